/** The portfolio page (with its per-server page cache) and the clients list of the tab. */
import type { Rag } from '../app/delivery-views';
import type { ProjectFilter, Slice } from '../app/delivery/tab-queries.port';
import type {
  ClientSummaryView,
  ProjectListItemView,
  ProjectsPageView,
} from '../app/delivery/tab-views';
import type { HealthDriver } from '../domain/delivery/health-score';
import type { Db } from './db';
import { driverDto, escapeLike, OPEN_STATUSES, RAG_ORDER_SQL, RAGS, ragCounts } from './tab-rows';
import { deepFreeze } from '../shared/deep-freeze';

interface ListRow {
  id: number | string;
  name: string | null;
  client_id: number | string | null;
  client_name: string | null;
  pm_id: number | string | null;
  pm_name: string | null;
  score: number | null;
  rag: string;
  confidence: number | null;
  risk_tags: string[] | null;
  drivers: HealthDriver[] | null;
  snapshot_date: string | null;
  open_escalations: number | string;
}

/** Portfolio pages kept per server: the newest built, up to this many (each up to ~100 KB). */
const PAGE_CACHE_SIZE = 100;

/** SQL read models of the tab's portfolio and clients pages. */
export class SqlPortfolioQueries {
  /**
   * Portfolio pages already built, by tenant, filter and slice, with the tenant's `tab_versions`
   * version they were built under (migration 008). A page is served again only while that version
   * is current, so a committed change to projects, health, clients, agents or escalations is seen
   * by the next request on every server; the check is one primary-key read instead of the list
   * query over every project.
   */
  private readonly pages = new Map<string, { version: number; page: ProjectsPageView }>();

  constructor(private readonly db: Db) {}

  /** One page of the portfolio, worst first, with RAG counts over every page (rag filter aside). */
  async projectsPage(
    tenantId: string,
    filter: ProjectFilter,
    slice: Slice,
  ): Promise<ProjectsPageView> {
    const [row] = await this.db.query<{ version: number | string }>(
      'SELECT version FROM tab_versions WHERE tenant_id = $1',
      [tenantId],
    );
    // Read before the page is built: a change committed meanwhile leaves the page filed under the
    // older version, which the next request no longer matches.
    const version = row === undefined ? 0 : Number(row.version);
    const key = JSON.stringify([tenantId, filter, slice]);
    const cached = this.pages.get(key);
    if (cached !== undefined && cached.version === version) {
      // Most recently used last, so the oldest entry is the first to go.
      this.pages.delete(key);
      this.pages.set(key, cached);
      return cached.page;
    }
    // Shared between requests, so frozen: a caller that tried to change it would throw.
    const page = deepFreeze(await this.buildProjectsPage(tenantId, filter, slice));
    this.pages.delete(key);
    this.pages.set(key, { version, page });
    while (this.pages.size > PAGE_CACHE_SIZE) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
    return page;
  }

  private async buildProjectsPage(
    tenantId: string,
    filter: ProjectFilter,
    slice: Slice,
  ): Promise<ProjectsPageView> {
    const text = filter.text?.trim() || null;
    // Only what ordering and filtering need is read for every project; names, drivers and escalation
    // counts are joined for the page's rows alone (the list has to stay cheap at 2,000 projects).
    const [row] = await this.db.query<{
      counts: { rag: string; n: number }[] | null;
      items: ListRow[] | null;
    }>(
      `WITH base AS (
         SELECT p.id, p.summary AS name, p.client_id, p.agent_id AS pm_id, h.score,
                coalesce(h.rag, 'unknown') AS rag
           FROM halo_projects p
           LEFT JOIN project_health_latest h ON h.tenant_id = p.tenant_id AND h.project_id = p.id
          WHERE p.tenant_id = $1
            AND ($2::boolean OR coalesce(h.status <> 'closed', p.date_closed IS NULL))
            AND ($3::bigint IS NULL OR p.client_id = $3)
            AND ($4::text IS NULL OR p.id::text = $4 OR p.summary ILIKE '%' || $5 || '%'
                 OR EXISTS (SELECT 1 FROM halo_clients c WHERE c.tenant_id = p.tenant_id
                              AND c.id = p.client_id AND c.name ILIKE '%' || $5 || '%'))
            AND (NOT $9::boolean OR p.agent_id = $10::bigint
                 OR EXISTS (SELECT 1 FROM halo_clients c WHERE c.tenant_id = p.tenant_id
                              AND c.id = p.client_id AND c.account_manager_id = $11::bigint))
       ), page AS (
         SELECT r.*, ${RAG_ORDER_SQL} AS rag_order FROM base r
          WHERE $6::text[] IS NULL OR r.rag = ANY($6::text[])
          ORDER BY ${RAG_ORDER_SQL}, r.score NULLS LAST, r.name, r.id
          LIMIT $7 OFFSET $8
       )
       SELECT (SELECT json_agg(x) FROM (SELECT rag, count(*) AS n FROM base GROUP BY rag) x) AS counts,
              (SELECT json_agg(i ORDER BY i.rag_order, i.score NULLS LAST, i.name, i.id) FROM (
                 SELECT page.*, c.name AS client_name, a.name AS pm_name, h.confidence, h.risk_tags,
                        to_char(h.snapshot_date, 'YYYY-MM-DD') AS snapshot_date, h.drivers,
                        (SELECT count(*) FROM escalations e WHERE e.tenant_id = $1 AND e.project_id = page.id
                            AND e.status IN ${OPEN_STATUSES}) AS open_escalations
                   FROM page
                   LEFT JOIN project_health_latest h ON h.tenant_id = $1 AND h.project_id = page.id
                   LEFT JOIN halo_clients c ON c.tenant_id = $1 AND c.id = page.client_id
                   LEFT JOIN halo_agents a ON a.tenant_id = $1 AND a.id = page.pm_id) i) AS items`,
      [
        tenantId,
        filter.includeClosed,
        filter.clientId,
        text,
        text === null ? null : escapeLike(text),
        filter.rags,
        slice.limit,
        slice.offset,
        (filter.owners ?? null) !== null,
        filter.owners?.pmAgentId ?? null,
        filter.owners?.accountManagerAgentId ?? null,
      ],
    );
    const counts = ragCounts(row?.counts ?? null);
    const total = (filter.rags ?? RAGS).reduce((sum, rag) => sum + counts[rag], 0);
    const items = (row?.items ?? []).map(listItem);
    return {
      items,
      page: Math.floor(slice.offset / slice.limit) + 1,
      pageSize: slice.limit,
      total,
      counts,
    };
  }

  /** Clients with their active projects and worst RAG, by name. */
  async clients(tenantId: string): Promise<ClientSummaryView[]> {
    const rows = await this.db.query<{
      id: number | string;
      name: string | null;
      active: number | string;
      worst: number | null;
    }>(
      `SELECT c.id, c.name, count(p.id) AS active,
              min(CASE coalesce(h.rag, 'unknown') WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END)
                FILTER (WHERE p.id IS NOT NULL) AS worst
         FROM halo_clients c
         LEFT JOIN halo_projects p ON p.tenant_id = c.tenant_id AND p.client_id = c.id AND p.date_closed IS NULL
         LEFT JOIN project_health_latest h ON h.tenant_id = p.tenant_id AND h.project_id = p.id
        WHERE c.tenant_id = $1 AND NOT c.inactive
        GROUP BY c.id, c.name ORDER BY c.name, c.id`,
      [tenantId],
    );
    const worst: Rag[] = ['red', 'amber', 'green', 'unknown'];
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name ?? `Client ${r.id}`,
      activeProjects: Number(r.active),
      worstRag: r.worst === null ? 'unknown' : (worst[Number(r.worst)] ?? 'unknown'),
    }));
  }
}

function listItem(r: ListRow): ProjectListItemView {
  const rag: Rag = RAGS.includes(r.rag as Rag) ? (r.rag as Rag) : 'unknown';
  return {
    id: Number(r.id),
    name: r.name ?? `Project ${r.id}`,
    client: { id: Number(r.client_id ?? 0), name: r.client_name ?? '' },
    pm: r.pm_id === null ? null : { id: Number(r.pm_id), name: r.pm_name ?? '' },
    health: {
      score: rag === 'unknown' || r.score === null ? null : r.score,
      rag,
      confidence: r.confidence ?? 0,
      drivers: (r.drivers ?? []).map(driverDto),
    },
    riskTags: (r.risk_tags ?? []) as ProjectListItemView['riskTags'],
    openEscalations: Number(r.open_escalations),
    asOf: r.snapshot_date ?? '',
  };
}
