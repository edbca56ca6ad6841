import type {
  ClientMatch,
  DeliveryQueries,
  EscalationSummaryView,
  HealthDriverView,
  PortfolioProjectLine,
  PortfolioSummaryView,
  ProjectHealthView,
  ProjectSearch,
  Rag,
  WeeklyReportView,
} from '../app/delivery-views';
import { isGateMilestone } from '../domain/gates/gate-milestone';
import type { Escalation } from '../domain/delivery/escalation';
import type { HealthDriver, ProjectAssessment } from '../domain/delivery/health-score';
import type { HealthSnapshot } from '../domain/delivery/health-snapshot';
import { buildWeeklyControlReport } from '../domain/delivery/weekly-report';
import { inAllowList, type PilotAllowList } from '../domain/shared/pilot';
import type { Clock } from '../shared/clock';
import { groupRead } from '../shared/group-commit';
import type { Db } from './db';
import {
  PROJECT_OWNER_COLUMNS,
  projectOwnersOf,
  type ProjectOwnerRow,
} from './ownership.repository';

/** Texts searched in one statement at most (three array parameters). */
const SEARCH_BATCH = 200;

const RAG_ORDER: Record<Rag, number> = { red: 0, amber: 1, unknown: 2, green: 3 };

/** Formats a driver for people: its value and the policy threshold it is held against. */
export function driverView(d: HealthDriver): HealthDriverView {
  const fmt = (v: number) =>
    d.unit === 'fraction' ? `${Math.round(v * 100)} %` : `${round1(v)} working days`;
  return {
    label: d.label,
    value: d.value === null ? 'not measurable' : fmt(d.value),
    threshold: `amber ≥ ${fmt(d.threshold.amber)}, red ≥ ${fmt(d.threshold.red)}`,
    contribution: round1(d.contribution),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The row {@link healthViewSql} selects: what the `/health <project>` card shows. */
type HealthViewRow = {
  assessment: Pick<
    ProjectAssessment,
    'name' | 'rag' | 'score' | 'confidence' | 'riskTags' | 'drivers'
  >;
  changes: string[];
  created_at: Date | string;
  project_name: string | null;
  client_id: number | null;
  client_name: string | null;
  trend: Array<{ date: string; score: number; rag: Rag }> | null;
  next_milestone: { name: string; target_date: string } | null;
  escalations: Escalation[] | null;
};

/**
 * One project's latest health view as one row: the tenant `tenantId` and the project `projectId`
 * (parameters or columns of an enclosing query), selected only when `when` holds.
 */
function healthViewSql(tenantId: string, projectId: string, when = 'true'): string {
  return `SELECT jsonb_build_object('name', s.assessment->'assessment'->'name', 'rag', s.rag, 'score', s.score,
                'confidence', s.confidence, 'riskTags', s.assessment->'assessment'->'riskTags',
                'drivers', s.assessment->'assessment'->'drivers') AS assessment,
              s.changes, s.created_at, p.summary AS project_name, p.client_id, c.name AS client_name,
              (SELECT json_agg(t ORDER BY t.date) FROM (
                 SELECT to_char(h.snapshot_date, 'YYYY-MM-DD') AS date, h.score, h.rag FROM health_snapshots h
                  WHERE h.tenant_id = s.tenant_id AND h.project_id = s.project_id
                  ORDER BY h.snapshot_date DESC LIMIT 30) t) AS trend,
              (SELECT json_build_object('name', m.name, 'target_date', m.target_date) FROM halo_milestones m
                WHERE m.tenant_id = s.tenant_id AND m.project_id = s.project_id
                  AND coalesce(m.complete, false) = false AND m.target_date IS NOT NULL
                ORDER BY m.target_date LIMIT 1) AS next_milestone,
              (SELECT json_agg(e.state ORDER BY e.opened_at) FROM escalations e
                WHERE e.tenant_id = s.tenant_id AND e.project_id = s.project_id
                  AND e.status IN ('open', 'acknowledged', 'snoozed')) AS escalations
         FROM health_snapshots s
         JOIN halo_projects p ON p.tenant_id = s.tenant_id AND p.id = s.project_id
         LEFT JOIN halo_clients c ON c.tenant_id = s.tenant_id AND c.id = p.client_id
        WHERE s.tenant_id = ${tenantId} AND s.project_id = ${projectId} AND ${when}
        ORDER BY s.snapshot_date DESC LIMIT 1`;
}

/** The `/health <project>` view of a {@link HealthViewRow}. */
function healthView(projectId: number, row: HealthViewRow): ProjectHealthView {
  const a = row.assessment;
  const next = row.next_milestone;
  return {
    id: projectId,
    name: row.project_name ?? a.name,
    client: { id: Number(row.client_id ?? 0), name: row.client_name ?? '' },
    score: a.rag === 'unknown' ? null : a.score,
    rag: a.rag,
    confidence: a.confidence,
    riskTags: a.riskTags,
    drivers: a.drivers.map(driverView),
    changes: row.changes,
    trend: (row.trend ?? []).map((t) => ({
      date: t.date,
      score: t.rag === 'unknown' ? null : t.score,
    })),
    nextMilestone: next
      ? {
          name: next.name,
          dueDate: new Date(next.target_date).toISOString().slice(0, 10),
          isGate: isGateMilestone(next.name),
        }
      : null,
    openEscalations: (row.escalations ?? []).map((e): EscalationSummaryView => ({
      id: e.id,
      cause: e.cause,
      severity: e.severity,
      state: e.mitigationOwnerAgentId && e.status === 'acknowledged' ? 'assigned' : e.status,
      openedAt: e.openedAt,
    })),
    evaluatedAt: new Date(row.created_at).toISOString(),
  };
}

interface LatestRow {
  project_id: number;
  snapshot_date: string;
  assessment: { snapshot: HealthSnapshot; assessment: ProjectAssessment };
  changes: string[];
  project_name: string | null;
  client_id: number | null;
  client_name: string | null;
  created_at: Date;
}

/**
 * The bot's and the tab's read side of the delivery loop, answered from the stored daily snapshots
 * (no evaluation per request: `/health <project>` is on the latency budget).
 */
export class SqlDeliveryQueries implements DeliveryQueries {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private async latest(tenantId: string, projectId?: number): Promise<LatestRow[]> {
    return this.db.query<LatestRow & Record<string, unknown>>(
      `SELECT DISTINCT ON (s.project_id) s.project_id, to_char(s.snapshot_date, 'YYYY-MM-DD') AS snapshot_date,
              s.assessment, s.changes, s.created_at, p.summary AS project_name, p.client_id, c.name AS client_name
         FROM health_snapshots s
         JOIN halo_projects p ON p.tenant_id = s.tenant_id AND p.id = s.project_id
         LEFT JOIN halo_clients c ON c.tenant_id = s.tenant_id AND c.id = p.client_id
        WHERE s.tenant_id = $1 AND ($2::bigint IS NULL OR s.project_id = $2)
        ORDER BY s.project_id, s.snapshot_date DESC`,
      [tenantId, projectId ?? null],
    );
  }

  async portfolioSummary(tenantId: string): Promise<PortfolioSummaryView> {
    const rows = (await this.latest(tenantId)).filter(
      (r) => r.assessment.assessment.status !== 'closed',
    );
    const counts: Record<Rag, number> = { green: 0, amber: 0, red: 0, unknown: 0 };
    const lines: PortfolioProjectLine[] = rows.map((r) => {
      const a = r.assessment.assessment;
      counts[a.rag] += 1;
      const top = a.drivers.find((d) => d.contribution > 0);
      return {
        id: Number(r.project_id),
        name: r.project_name ?? a.name,
        clientName: r.client_name ?? '',
        score: a.rag === 'unknown' ? null : a.score,
        rag: a.rag,
        topDriver: top ? driverView(top) : null,
      };
    });
    lines.sort(
      (x, y) => RAG_ORDER[x.rag] - RAG_ORDER[y.rag] || (x.score ?? 101) - (y.score ?? 101),
    );
    return {
      counts,
      worst: lines.filter((l) => l.rag !== 'green'),
      evaluatedAt: lastEvaluated(rows, this.clock),
    };
  }

  searchProjects(tenantId: string, text: string): Promise<ProjectSearch> {
    return this.search({ tenantId, query: text.trim() });
  }

  /**
   * `/health <text>` asked by many at once (fifty people in a minute's stand-up) is read in one
   * round trip for all of them: for each text, the candidates with their owners (the caller judges
   * who reads which) and the first one's health view (the best match: the one shown unless the
   * caller chooses another).
   */
  private readonly search = groupRead(
    async (asked: readonly { tenantId: string; query: string }[]): Promise<ProjectSearch[]> => {
      const rows = await this.db.query<
        ProjectOwnerRow & {
          asked: number | string;
          id: number | string;
          summary: string;
          client_name: string | null;
          rag: Rag | null;
          view: HealthViewRow | null;
        }
      >(
        `WITH asked AS (
           SELECT k.tenant_id, k.query, k.pattern, k.ord
             FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(tenant_id, query, pattern, ord)),
         m AS (
           SELECT asked.ord AS asked, asked.tenant_id, found.*
             FROM asked CROSS JOIN LATERAL (
               SELECT p.id, p.summary, c.name AS client_name, ${PROJECT_OWNER_COLUMNS},
                      (SELECT s.rag FROM health_snapshots s WHERE s.tenant_id = p.tenant_id AND s.project_id = p.id
                        ORDER BY s.snapshot_date DESC LIMIT 1) AS rag,
                      row_number() OVER (ORDER BY (p.id::text = asked.query OR lower(p.summary) = lower(asked.query)) DESC,
                                                  p.date_closed IS NOT NULL, p.summary) AS ord
                 FROM halo_projects p
                 LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
                 LEFT JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
                WHERE p.tenant_id = asked.tenant_id
                  AND (p.id::text = asked.query OR p.summary ILIKE '%' || asked.pattern || '%')
                ORDER BY ord LIMIT 25) found)
         SELECT m.asked, m.id, m.summary, m.client_name, m.client_id, m.agent_id, m.agent_email, m.am_id,
                m.rag, to_jsonb(v) AS view
           FROM m LEFT JOIN LATERAL (${healthViewSql('m.tenant_id', 'm.id', 'm.ord = 1')}) v ON true
          ORDER BY m.asked, m.ord`,
        [
          asked.map((a) => a.tenantId),
          asked.map((a) => a.query),
          asked.map((a) => escapeLike(a.query)),
        ],
      );
      const found: ProjectSearch[] = asked.map(() => ({ matches: [], firstView: null }));
      for (const r of rows) {
        const i = Number(r.asked) - 1;
        const { query } = asked[i]!;
        const search = found[i]!;
        if (search.matches.length === 0 && r.view) {
          search.firstView = healthView(Number(r.id), r.view);
        }
        search.matches.push({
          id: Number(r.id),
          name: r.summary,
          clientName: r.client_name ?? '',
          rag: r.rag ?? 'unknown',
          exact: String(r.id) === query || r.summary.toLowerCase() === query.toLowerCase(),
          owners: projectOwnersOf(r),
        });
      }
      return found;
    },
    (asked) => JSON.stringify([asked.tenantId, asked.query]),
    SEARCH_BATCH,
  );

  async findClients(tenantId: string, text: string): Promise<ClientMatch[]> {
    const query = text.trim();
    const rows = await this.db.query<{ id: number; name: string }>(
      `SELECT id, name FROM halo_clients WHERE tenant_id = $1 AND (id::text = $2 OR name ILIKE '%' || $3 || '%')
        ORDER BY (id::text = $2 OR lower(name) = lower($2)) DESC, name LIMIT 25`,
      [tenantId, query, escapeLike(query)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      exact: String(r.id) === query || r.name.toLowerCase() === query.toLowerCase(),
    }));
  }

  async projectHealth(tenantId: string, projectId: number): Promise<ProjectHealthView | null> {
    // One round trip, and only what the card shows: this answers `/health <project>`.
    const [row] = await this.db.query<HealthViewRow>(healthViewSql('$1', '$2'), [
      tenantId,
      projectId,
    ]);
    return row ? healthView(projectId, row) : null;
  }

  async weeklyReport(
    tenantId: string,
    allowList: PilotAllowList = null,
  ): Promise<WeeklyReportView> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const [all, lastWeek, escalations, agents] = await Promise.all([
      this.latest(tenantId),
      this.db.query<{ assessment: { snapshot: HealthSnapshot } }>(
        `SELECT DISTINCT ON (project_id) assessment FROM health_snapshots
          WHERE tenant_id = $1 AND snapshot_date <= $2 ORDER BY project_id, snapshot_date DESC`,
        [tenantId, weekAgo],
      ),
      this.db.query<{ state: Escalation }>(
        `SELECT state FROM escalations WHERE tenant_id = $1 AND status IN ('open', 'acknowledged', 'snoozed')`,
        [tenantId],
      ),
      this.db.query<{ id: number; name: string }>(
        'SELECT id, name FROM halo_agents WHERE tenant_id = $1',
        [tenantId],
      ),
    ]);
    const agentName = new Map(agents.map((a) => [String(a.id), a.name]));
    const current = all.filter((r) =>
      inAllowList(allowList, {
        clientId: r.client_id === null ? null : Number(r.client_id),
        projectId: Number(r.project_id),
      }),
    );
    const byId = new Map(current.map((r) => [String(r.project_id), r]));
    const report = buildWeeklyControlReport({
      weekOf: mondayOf(today),
      assessments: current.map((r) => r.assessment.assessment),
      lastWeek: lastWeek.map((r) => r.assessment.snapshot),
      escalations: escalations.map((r) => r.state),
    });
    return {
      weekOf: report.weekOf,
      counts: report.counts,
      lines: report.rows.map((row) => ({
        projectId: Number(row.projectId),
        projectName: row.name,
        clientName: byId.get(row.projectId)?.client_name ?? '',
        rag: row.rag,
        score: row.score,
        causes: row.drivers,
        mitigationOwner: row.mitigationOwnerAgentId
          ? (agentName.get(row.mitigationOwnerAgentId) ?? null)
          : null,
        recoveryDate: row.recoveryDate,
        changeSinceLastWeek: row.changesSinceLastWeek.join('; ') || null,
      })),
      changes: [
        ...report.recovered.map((r) => `${r.name} is back to green`),
        ...report.exceptions.map(
          (e) => `${e.name} is unknown: ${e.issues.join(', ') || 'data too thin'}`,
        ),
      ],
      generatedAt: this.clock.now().toISOString(),
    };
  }
}

function lastEvaluated(rows: LatestRow[], clock: Clock): string {
  const times = rows.map((r) => new Date(r.created_at).getTime());
  return new Date(times.length > 0 ? Math.max(...times) : clock.now().getTime()).toISOString();
}

function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const offset = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
