/**
 * The tab's read side of the delivery loop: the portfolio page, one project's detail, clients and
 * exceptions, each answered by one SQL round trip from stored snapshots (no evaluation per request).
 * Every query filters on the tenant.
 */
import type {
  ClientDto,
  DriverDto,
  EscalationDto,
  ExceptionDto,
  ExceptionsPageDto,
  MilestoneDto,
  ProjectDetailDto,
  ProjectListItemDto,
  ProjectsPageDto,
  Rag,
  TimelineEntryDto,
  TrendPointDto,
} from '../api/dto';
import { isGateMilestone } from '../domain/delivery/gate-milestone';
import type { Escalation } from '../domain/delivery/escalation';
import type { HealthDriver, ProjectAssessment } from '../domain/delivery/health-score';
import type { Db } from './db';
import { driverView } from './delivery-queries';

const RAGS: readonly Rag[] = ['red', 'amber', 'unknown', 'green'];
const RAG_ORDER_SQL = `CASE r.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END`;
const OPEN_STATUSES = `('open', 'acknowledged', 'snoozed')`;

/** Filters of the portfolio list. */
export interface ProjectFilter {
  rags: Rag[] | null;
  clientId: number | null;
  /** Matches the id, or part of the project or client name (case-insensitive). */
  text: string | null;
  /** Closed projects are left out unless asked for. */
  includeClosed: boolean;
}

/** Which slice of a list. */
export interface Slice {
  offset: number;
  limit: number;
}

/** Formats a stored driver as the tab shows it. */
export function driverDto(d: HealthDriver): DriverDto {
  const view = driverView(d);
  return {
    key: d.key,
    label: d.label,
    value: d.value,
    unit: d.unit,
    threshold: { amber: d.threshold.amber, red: d.threshold.red },
    level: d.level === 'amber' || d.level === 'red' ? d.level : null,
    contribution: view.contribution,
    display: { value: view.value, threshold: view.threshold },
    explanation: d.explanation,
  };
}

function ragCounts(rows: { rag: string; n: number | string }[] | null): Record<Rag, number> {
  const counts: Record<Rag, number> = { red: 0, amber: 0, unknown: 0, green: 0 };
  for (const row of rows ?? []) {
    const rag = RAGS.includes(row.rag as Rag) ? (row.rag as Rag) : 'unknown';
    counts[rag] += Number(row.n);
  }
  return counts;
}

function isoDay(value: string | Date | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

function isoTime(value: string | Date | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Portfolio pages kept per server: the newest built, up to this many (each up to ~100 KB). */
const PAGE_CACHE_SIZE = 100;

/** SQL read models behind the tab API's delivery routes. */
export class SqlTabQueries {
  /**
   * Portfolio pages already built, by tenant, filter and slice, with the tenant's `tab_versions`
   * version they were built under (migration 008). A page is served again only while that version
   * is current, so a committed change to projects, health, clients, agents or escalations is seen
   * by the next request on every server; the check is one primary-key read instead of the list
   * query over every project.
   */
  private readonly pages = new Map<string, { version: number; page: ProjectsPageDto }>();

  constructor(private readonly db: Db) {}

  /** One page of the portfolio, worst first, with RAG counts over every page (rag filter aside). */
  async projectsPage(
    tenantId: string,
    filter: ProjectFilter,
    slice: Slice,
  ): Promise<ProjectsPageDto> {
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
  ): Promise<ProjectsPageDto> {
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

  /** One project's whole picture, or null when the tenant has no such project. */
  async projectDetail(
    tenantId: string,
    projectId: number,
    trendDays = 90,
  ): Promise<ProjectDetailDto | null> {
    const [row] = await this.db.query<{
      name: string | null;
      client_id: number | string | null;
      client_name: string | null;
      pm_id: number | string | null;
      pm_name: string | null;
      date_closed: string | Date | null;
      snapshot_date: string | null;
      assessment: { assessment: ProjectAssessment } | null;
      changes: string[] | null;
      created_at: string | Date | null;
      trend: RawTrend[] | null;
      milestones: RawMilestone[] | null;
      escalations: Escalation[] | null;
      agents: { id: number | string; name: string | null }[] | null;
      audit: RawAudit[] | null;
    }>(
      `SELECT p.summary AS name, p.client_id, c.name AS client_name, p.agent_id AS pm_id, a.name AS pm_name,
              p.date_closed, to_char(s.snapshot_date, 'YYYY-MM-DD') AS snapshot_date, s.assessment, s.changes,
              s.created_at,
              (SELECT json_agg(t ORDER BY t.date) FROM (
                 SELECT to_char(h.snapshot_date, 'YYYY-MM-DD') AS date, h.score, h.rag,
                        h.assessment->'assessment'->'evm'->'hours'->'cpi' AS cpi,
                        h.assessment->'assessment'->'evm'->'hours'->'spi' AS spi,
                        h.assessment->'assessment'->'evm'->'hoursBurnRatio' AS burn,
                        h.assessment->'assessment'->'evm'->'plannedPercent' AS planned,
                        h.assessment->'assessment'->'evm'->'percentComplete' AS complete
                   FROM health_snapshots h
                  WHERE h.tenant_id = p.tenant_id AND h.project_id = p.id
                  ORDER BY h.snapshot_date DESC LIMIT $3) t) AS trend,
              (SELECT json_agg(m ORDER BY m.sequence NULLS LAST, m.target_date NULLS LAST, m.id) FROM (
                 SELECT id, name, sequence, start_date, target_date, complete FROM halo_milestones
                  WHERE tenant_id = p.tenant_id AND project_id = p.id) m) AS milestones,
              (SELECT json_agg(e.state ORDER BY e.opened_at DESC) FROM escalations e
                WHERE e.tenant_id = p.tenant_id AND e.project_id = p.id) AS escalations,
              (SELECT json_agg(json_build_object('id', g.id, 'name', g.name)) FROM halo_agents g
                WHERE g.tenant_id = p.tenant_id AND g.id IN (
                  SELECT (x.state->>'ownerAgentId')::bigint FROM escalations x
                   WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id AND x.state->>'ownerAgentId' ~ '^[0-9]+$'
                  UNION
                  SELECT (x.state->>'mitigationOwnerAgentId')::bigint FROM escalations x
                   WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id
                     AND x.state->>'mitigationOwnerAgentId' ~ '^[0-9]+$')) AS agents,
              (SELECT json_agg(l ORDER BY l.seq) FROM (
                 SELECT l.seq, l.at, l.subject_type, l.subject_id, l.action, l.actor, l.detail FROM audit_log l
                  WHERE l.tenant_id = p.tenant_id
                    AND ((l.subject_type = 'project' AND l.subject_id = p.id::text)
                      OR (l.subject_type = 'escalation' AND l.subject_id IN (
                            SELECT x.id FROM escalations x WHERE x.tenant_id = p.tenant_id AND x.project_id = p.id))
                      OR l.detail->>'projectId' = p.id::text)
                  ORDER BY l.seq DESC LIMIT 200) l) AS audit
         FROM halo_projects p
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
         LEFT JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         LEFT JOIN LATERAL (
           SELECT * FROM health_snapshots s WHERE s.tenant_id = p.tenant_id AND s.project_id = p.id
            ORDER BY s.snapshot_date DESC LIMIT 1) s ON true
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [tenantId, projectId, trendDays],
    );
    if (!row) return null;
    const a = row.assessment?.assessment ?? null;
    const agentName = new Map(
      (row.agents ?? []).map((g) => [String(g.id), g.name ?? String(g.id)]),
    );
    const nameOf = (id: string | null) => (id === null ? null : (agentName.get(id) ?? id));
    const escalations = row.escalations ?? [];
    const drivers = (a?.drivers ?? []).map(driverDto);
    const rag: Rag = a?.rag ?? 'unknown';
    return {
      id: projectId,
      name: row.name ?? a?.name ?? `Project ${projectId}`,
      client: { id: Number(row.client_id ?? 0), name: row.client_name ?? '' },
      pm: row.pm_id === null ? null : { id: Number(row.pm_id), name: row.pm_name ?? '' },
      status: a?.status ?? (row.date_closed ? 'closed' : 'active'),
      health: {
        score: a && rag !== 'unknown' ? a.score : null,
        rag,
        confidence: a?.confidence ?? 0,
        drivers,
      },
      riskTags: a?.riskTags ?? [],
      changes: row.changes ?? [],
      confidenceFactors: (a?.confidenceFactors ?? []).map((f) => ({
        key: f.key,
        label: f.label,
        factor: f.factor,
      })),
      dataQualityIssues: a?.dataQualityIssues ?? [],
      evm: {
        asOf: a?.evm.asOf ?? row.snapshot_date ?? '',
        percentComplete: a?.evm.percentComplete ?? null,
        plannedPercent: a?.evm.plannedPercent ?? null,
        scheduleSlipDays: a?.evm.scheduleSlipDays ?? null,
        hoursBurnRatio: a?.evm.hoursBurnRatio ?? null,
        hours: a?.evm.hours ?? null,
        money: a?.evm.money ?? null,
      },
      trend: (row.trend ?? []).map(trendPoint),
      milestones: (row.milestones ?? []).map((m): MilestoneDto => ({
        id: Number(m.id),
        name: m.name ?? '',
        sequence: m.sequence,
        startDate: isoDay(m.start_date),
        targetDate: isoDay(m.target_date),
        complete: m.complete === true,
        isGate: isGateMilestone(m.name ?? ''),
        gate: null,
      })),
      escalations: escalations.map((e): EscalationDto => ({
        id: e.id,
        cause: e.cause,
        severity: e.severity,
        state: e.status === 'acknowledged' && e.mitigationOwnerAgentId ? 'assigned' : e.status,
        details: escalationDetails(e, a),
        ownerName: nameOf(e.ownerAgentId),
        mitigationOwnerName: nameOf(e.mitigationOwnerAgentId),
        openedAt: e.openedAt,
        closedAt: e.closedAt,
      })),
      timeline: timeline(escalations, row.audit ?? [], nameOf),
      asOf: row.snapshot_date ?? '',
      evaluatedAt: isoTime(row.created_at) ?? '',
    };
  }

  /** Clients with their active projects and worst RAG, by name. */
  async clients(tenantId: string): Promise<ClientDto[]> {
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

  /** Open data-quality exceptions and failed or unrouted deliveries, newest first. */
  async exceptions(
    tenantId: string,
    type: ExceptionDto['type'] | null,
    slice: Slice,
  ): Promise<ExceptionsPageDto> {
    const [row] = await this.db.query<{
      data_quality: number | string;
      failed: number | string;
      items: RawException[] | null;
    }>(
      `WITH all_rows AS (
         SELECT 'data-quality' AS type, q.last_seen AS at, q.resource, q.record_id, q.field, q.problem,
                q.first_seen, q.last_seen, NULL::bigint AS id, NULL AS kind, NULL AS stream, NULL::bigint AS client_id,
                NULL AS status, NULL::integer AS attempts, NULL AS last_error, NULL::timestamptz AS created_at
           FROM data_quality_exceptions q WHERE q.tenant_id = $1 AND q.resolved_at IS NULL
         UNION ALL
         SELECT 'failed-delivery', o.created_at, NULL, NULL, NULL, NULL, NULL, NULL, o.id, o.kind, o.stream,
                o.client_id, o.status, o.attempts, o.last_error, o.created_at
           FROM outbox o WHERE o.tenant_id = $1 AND o.status IN ('failed', 'unrouted')
       )
       SELECT (SELECT count(*) FROM all_rows WHERE type = 'data-quality') AS data_quality,
              (SELECT count(*) FROM all_rows WHERE type = 'failed-delivery') AS failed,
              (SELECT json_agg(x ORDER BY x.at DESC, x.type, x.id, x.resource, x.record_id, x.field) FROM (
                 SELECT * FROM all_rows WHERE $2::text IS NULL OR type = $2
                  ORDER BY at DESC, type, id, resource, record_id, field LIMIT $3 OFFSET $4) x) AS items`,
      [tenantId, type, slice.limit, slice.offset],
    );
    const dataQuality = Number(row?.data_quality ?? 0);
    const failed = Number(row?.failed ?? 0);
    return {
      items: (row?.items ?? []).map(exceptionDto),
      page: Math.floor(slice.offset / slice.limit) + 1,
      pageSize: slice.limit,
      total: type === null ? dataQuality + failed : type === 'data-quality' ? dataQuality : failed,
      counts: { dataQuality, failedDeliveries: failed },
    };
  }
}

interface RawTrend {
  date: string;
  score: number;
  rag: string;
  cpi: number | null;
  spi: number | null;
  burn: number | null;
  planned: number | null;
  complete: number | null;
}

interface RawMilestone {
  id: number | string;
  name: string | null;
  sequence: number | null;
  start_date: string | null;
  target_date: string | null;
  complete: boolean | null;
}

interface RawAudit {
  seq: number | string;
  at: string;
  subject_type: string;
  subject_id: string;
  action: string;
  actor: { name?: string } | null;
  detail: Record<string, unknown> | null;
}

interface RawException {
  type: ExceptionDto['type'];
  resource: string | null;
  record_id: string | null;
  field: string | null;
  problem: string | null;
  first_seen: string | null;
  last_seen: string | null;
  id: number | string | null;
  kind: string | null;
  stream: string | null;
  client_id: number | string | null;
  status: 'failed' | 'unrouted' | null;
  attempts: number | null;
  last_error: string | null;
  created_at: string | null;
}

function listItem(r: ListRow): ProjectListItemDto {
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
    riskTags: (r.risk_tags ?? []) as ProjectListItemDto['riskTags'],
    openEscalations: Number(r.open_escalations),
    asOf: r.snapshot_date ?? '',
  };
}

const pct = (v: number | null) => (typeof v === 'number' ? Math.round(v * 1000) / 10 : null);
const num = (v: number | null) => (typeof v === 'number' ? v : null);

function trendPoint(t: RawTrend): TrendPointDto {
  const rag: Rag = RAGS.includes(t.rag as Rag) ? (t.rag as Rag) : 'unknown';
  return {
    date: t.date,
    score: rag === 'unknown' ? null : t.score,
    rag,
    cpi: num(t.cpi),
    spi: num(t.spi),
    burnPercent: pct(t.burn),
    planPercent: pct(t.planned),
    completePercent: pct(t.complete),
  };
}

function escalationDetails(e: Escalation, a: ProjectAssessment | null): string[] {
  const driver = a?.drivers.find((d) => d.key === e.cause);
  if (!driver) return [];
  const view = driverView(driver);
  return [driver.explanation, `${view.value} (${view.threshold})`];
}

const ESCALATION_WORDS: Record<Escalation['events'][number]['action'], string> = {
  opened: 'opened',
  updated: 'updated',
  resolved: 'resolved',
  're-escalated': 're-escalated to the delivery director',
  acknowledged: 'acknowledged',
  assigned: 'assigned a mitigation owner',
  snoozed: 'snoozed',
  'snooze-ended': 'snooze ended',
  'false-positive': 'marked as a false positive',
};

function timeline(
  escalations: Escalation[],
  audit: RawAudit[],
  nameOf: (id: string | null) => string | null,
): TimelineEntryDto[] {
  const entries: TimelineEntryDto[] = [];
  for (const e of escalations) {
    for (const ev of e.events) {
      const words = ESCALATION_WORDS[ev.action] ?? ev.action;
      entries.push({
        at: ev.at,
        source: 'escalation',
        action: `escalation.${ev.action}`,
        actorName: ev.by === 'engine' ? 'Control Tower' : nameOf(ev.by),
        summary: `${e.cause} escalation ${words}${ev.note ? `: ${ev.note}` : ''}`,
      });
    }
  }
  for (const l of audit) {
    entries.push({
      at: new Date(l.at).toISOString(),
      source: 'audit',
      action: l.action,
      actorName: l.actor?.name ?? 'Control Tower',
      summary: `${l.action} (${l.subject_type} ${l.subject_id})`,
    });
  }
  return entries.sort((x, y) => x.at.localeCompare(y.at));
}

function exceptionDto(r: RawException): ExceptionDto {
  if (r.type === 'data-quality') {
    return {
      type: 'data-quality',
      resource: r.resource ?? '',
      recordId: r.record_id ?? '',
      field: r.field ?? '',
      problem: r.problem ?? '',
      firstSeen: isoTime(r.first_seen) ?? '',
      lastSeen: isoTime(r.last_seen) ?? '',
    };
  }
  return {
    type: 'failed-delivery',
    id: String(r.id),
    kind: r.kind ?? '',
    stream: r.stream,
    clientId: r.client_id === null ? null : Number(r.client_id),
    status: r.status ?? 'failed',
    attempts: r.attempts ?? 0,
    lastError: r.last_error,
    createdAt: isoTime(r.created_at) ?? '',
  };
}
