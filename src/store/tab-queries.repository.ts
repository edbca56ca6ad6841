/**
 * The tab's read side of the delivery loop: the portfolio page, one project's detail, clients and
 * exceptions, each answered by one SQL round trip from stored snapshots (no evaluation per request).
 * Every query filters on the tenant.
 */
import type { ProjectFilter, Slice, TabQueries } from '../app/delivery/tab-queries.port';
import type {
  ClientSummaryView,
  ExceptionsPageView,
  ExceptionView,
  ProjectDetailView,
  ProjectsPageView,
} from '../app/delivery/tab-views';
import type { Db } from './db';
import { SqlExceptionQueries } from './tab-exceptions.repository';
import { SqlPortfolioQueries } from './tab-portfolio.repository';
import { SqlProjectDetailQueries } from './tab-project-detail.repository';

/** SQL read models behind the tab API's delivery routes. */
export class SqlTabQueries implements TabQueries {
  private readonly portfolio: SqlPortfolioQueries;
  private readonly detail: SqlProjectDetailQueries;
  private readonly exceptionList: SqlExceptionQueries;

  constructor(db: Db) {
    this.portfolio = new SqlPortfolioQueries(db);
    this.detail = new SqlProjectDetailQueries(db);
    this.exceptionList = new SqlExceptionQueries(db);
  }

  projectsPage(tenantId: string, filter: ProjectFilter, slice: Slice): Promise<ProjectsPageView> {
    return this.portfolio.projectsPage(tenantId, filter, slice);
  }

  projectDetail(
    tenantId: string,
    projectId: number,
    trendDays = 90,
  ): Promise<ProjectDetailView | null> {
    return this.detail.projectDetail(tenantId, projectId, trendDays);
  }

  clients(tenantId: string): Promise<ClientSummaryView[]> {
    return this.portfolio.clients(tenantId);
  }

  exceptions(
    tenantId: string,
    type: ExceptionView['type'] | null,
    slice: Slice,
  ): Promise<ExceptionsPageView> {
    return this.exceptionList.exceptions(tenantId, type, slice);
  }
}
