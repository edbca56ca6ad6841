import type { Rag } from '../delivery-views';
import type {
  ClientSummaryView,
  ExceptionsPageView,
  ExceptionView,
  ProjectDetailView,
  ProjectsPageView,
} from './tab-views';

/** Filters of the portfolio list. */
export interface ProjectFilter {
  rags: Rag[] | null;
  clientId: number | null;
  /** Matches the id, or part of the project or client name (case-insensitive). */
  text: string | null;
  /** Closed projects are left out unless asked for. */
  includeClosed: boolean;
  /**
   * Only the projects this PM agent manages or whose client this account manager owns (a reader
   * of some projects, src/app/identity/access-policy.ts); null or absent: every project.
   */
  owners?: { pmAgentId: number | null; accountManagerAgentId: number | null } | null;
}

/** Which slice of a list. */
export interface Slice {
  offset: number;
  limit: number;
}

/**
 * The tab's read side of the delivery loop, answered from stored snapshots (no evaluation per
 * request). Every read filters on the tenant.
 */
export interface TabQueries {
  /** One page of the portfolio, worst first, with RAG counts over every page (rag filter aside). */
  projectsPage(tenantId: string, filter: ProjectFilter, slice: Slice): Promise<ProjectsPageView>;
  /** One project's whole picture, or null when the tenant has no such project. */
  projectDetail(
    tenantId: string,
    projectId: number,
    trendDays?: number,
  ): Promise<ProjectDetailView | null>;
  /** Clients with their active projects and worst RAG, by name. */
  clients(tenantId: string): Promise<ClientSummaryView[]>;
  /** Open data-quality exceptions and failed or unrouted deliveries, newest first. */
  exceptions(
    tenantId: string,
    type: ExceptionView['type'] | null,
    slice: Slice,
  ): Promise<ExceptionsPageView>;
}
