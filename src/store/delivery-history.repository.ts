import type {
  DeliveryHistoryReader,
  DeliveryHistoryScope,
} from '../app/delivery/delivery-history.port';
import type {
  BilledRow,
  DeliveryHistory,
  EffortRow,
  MilestoneRow,
  ProjectRow,
  StatusChange,
  TaskRow,
} from '../domain/delivery/delivery-history';
import type { Db } from './db';
import { idOf } from './halo-mirror-columns';
import { isoOf as iso, isoTimestamp } from './iso-timestamp';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A record id as the sync writes it. */
const CANONICAL_ID = '^[1-9][0-9]*$';
/**
 * Written some other way yet maybe a project's ('0500', '500.0'): read by every scope, kept by its
 * value. '0' and '' (HaloPSA's "no ticket") name no project and are left out.
 */
function oddId(column: string): string {
  return `${column} !~ '${CANONICAL_ID}' AND ${column} ~ '[1-9]'`;
}

/**
 * The tickets of the projects a query reads: with a scope, the scope's projects and their tasks
 * (each then read through its own index entries); without one, the tenant's.
 */
function ticketsOf(scoped: boolean): string {
  return scoped
    ? `SELECT p.id FROM halo_projects p WHERE p.tenant_id = $1 AND p.id = ANY($2::bigint[])
       UNION SELECT t.id FROM halo_tasks t WHERE t.tenant_id = $1 AND t.project_id = ANY($2::bigint[])`
    : `SELECT p.id FROM halo_projects p WHERE p.tenant_id = $1
       UNION SELECT t.id FROM halo_tasks t WHERE t.tenant_id = $1`;
}

/**
 * Loads a tenant's delivery history from the HaloPSA mirror in a handful of bulk queries: the
 * whole tenant, or one scope of projects (every query then reads only the scope's rows through an
 * index, so a webhook's one-project evaluation costs that project, not the portfolio). Rows come
 * in a fixed order so facts do not depend on the plan the database chose.
 */
export class SqlDeliveryHistoryReader implements DeliveryHistoryReader {
  constructor(private readonly db: Db) {}

  async scopes(tenantId: string, projectsPerScope: number): Promise<DeliveryHistoryScope[]> {
    const rows = await this.db.query(
      'SELECT id FROM halo_projects WHERE tenant_id = $1 ORDER BY id',
      [tenantId],
    );
    const size = Math.max(1, Math.floor(projectsPerScope));
    const scopes: DeliveryHistoryScope[] = [];
    for (let i = 0; i < rows.length; i += size) {
      scopes.push({ projectIds: rows.slice(i, i + size).map((r) => Number(r.id)) });
    }
    return scopes;
  }

  async load(tenantId: string, scope?: DeliveryHistoryScope): Promise<DeliveryHistory> {
    const { db } = this;
    const scoped = scope !== undefined;
    const params: unknown[] = scoped ? [tenantId, scope.projectIds] : [tenantId];
    const only = (column: string) => (scoped ? `AND ${column} = ANY($2::bigint[])` : '');
    const [projects, milestones, tasks, changes, effort, statuses, sync, issues, invoices] =
      await Promise.all([
        db.query(
          `SELECT p.id, p.summary, p.client_id, tt.name AS project_type, p.agent_id,
                ${isoTimestamp('p.date_occurred')} AS date_occurred,
                ${isoTimestamp('p.start_date')} AS start_date,
                ${isoTimestamp('p.target_date')} AS target_date,
                ${isoTimestamp('p.deadline_date')} AS deadline_date,
                ${isoTimestamp('p.date_closed')} AS date_closed,
                p.status_id, p.time_budget, p.money_budget, p.on_hold
           FROM halo_projects p
           LEFT JOIN LATERAL (SELECT p.raw->>'tickettype_name' AS name) tt ON true
          WHERE p.tenant_id = $1 ${only('p.id')} ORDER BY p.id`,
          params,
        ),
        db.query(
          `SELECT id, project_id, name, sequence, ${isoTimestamp('start_date')} AS start_date,
                ${isoTimestamp('target_date')} AS target_date, complete, value, agent_id
           FROM halo_milestones WHERE tenant_id = $1 ${only('project_id')} ORDER BY id`,
          params,
        ),
        db.query(
          `SELECT id, project_id, summary, raw->>'tickettype_name' AS task_type, milestone_id, estimate_hours,
                ${isoTimestamp('date_occurred')} AS date_occurred,
                ${isoTimestamp('target_date')} AS target_date,
                ${isoTimestamp('date_closed')} AS date_closed, status_id, agent_id, on_hold
           FROM halo_tasks WHERE tenant_id = $1 AND project_id IS NOT NULL ${only('project_id')}
          ORDER BY id`,
          params,
        ),
        // Each ticket's actions and timesheet totals are read through its own index entries
        // (lateral; OFFSET 0 keeps the planner from turning it into a join that scans the
        // tenant's actions, as it does while the statistics are stale): a scope costs its tickets, never a scan of the tenant's tables, so walking the
        // tenant scope by scope stays linear in its size. The whole tenant is read the same way, so
        // sums add up in the same order either way.
        db.query(
          `SELECT k.id AS ticket_id, ${isoTimestamp('a.action_at')} AS action_at, a.new_status
           FROM (${ticketsOf(scoped)}) k
           CROSS JOIN LATERAL (
             SELECT a.id, a.action_at, a.new_status FROM halo_actions a
              WHERE a.tenant_id = $1 AND a.ticket_id = k.id
                AND a.new_status IS NOT NULL AND a.action_at IS NOT NULL
             OFFSET 0) a
          ORDER BY k.id, a.action_at, a.id`,
          params,
        ),
        db.query(
          `SELECT k.id AS ticket_id, e.agent_id, e.day, e.hours, e.cost
           FROM (${ticketsOf(scoped)}) k
           CROSS JOIN LATERAL (
             SELECT e.agent_id, to_char(e.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                    sum(e.hours) AS hours, sum(e.hours * coalesce(e.charge_rate, 0)) AS cost
               FROM halo_timesheet_events e
              WHERE e.tenant_id = $1 AND e.ticket_id = k.id
                AND e.start_at IS NOT NULL AND e.hours IS NOT NULL
              GROUP BY 1, 2) e
          ORDER BY e.day, k.id, e.agent_id`,
          params,
        ),
        db.query('SELECT id, name FROM halo_statuses WHERE tenant_id = $1', [tenantId]),
        db.query(
          `SELECT min(watermark) AS watermark FROM sync_checkpoints WHERE tenant_id = $1 AND completed`,
          [tenantId],
        ),
        db.query(
          `SELECT record_id, field, problem FROM data_quality_exceptions
          WHERE tenant_id = $1 AND resource = 'projects' AND resolved_at IS NULL AND record_id <> ''
            ${scoped ? `AND (record_id = ANY($2::bigint[]::text[]) OR (${oddId('record_id')}))` : ''}
          ORDER BY record_id, field`,
          params,
        ),
        // Invoices HaloPSA raised against a project carry its id as `ticket_id`. A scope reads its
        // projects' ids through an index (migration 026), plus the few written some other way
        // ('0500', 500.0: still that project's), which are kept below only for the scope's projects.
        db.query(
          scoped
            ? `SELECT i.ticket_id, ${isoTimestamp('i.invoice_date')} AS invoice_date, i.total, i.id
               FROM (
                 SELECT raw->>'ticket_id' AS ticket_id, invoice_date, total, id FROM halo_invoices
                  WHERE tenant_id = $1 AND raw->>'ticket_id' = ANY($2::bigint[]::text[])
                 UNION ALL
                 SELECT raw->>'ticket_id' AS ticket_id, invoice_date, total, id FROM halo_invoices
                  WHERE tenant_id = $1 AND ${oddId("raw->>'ticket_id'")}) i
               WHERE i.invoice_date IS NOT NULL AND i.total IS NOT NULL
               ORDER BY i.invoice_date, i.id`
            : `SELECT raw->>'ticket_id' AS ticket_id,
                      ${isoTimestamp('v.invoice_date')} AS invoice_date, total
                 FROM halo_invoices v
                WHERE tenant_id = $1 AND raw->>'ticket_id' IS NOT NULL
                  AND v.invoice_date IS NOT NULL AND total IS NOT NULL
                ORDER BY v.invoice_date, id`,
          params,
        ),
      ]);
    const inScope = scoped ? new Set(scope.projectIds) : null;

    const dataQuality = new Map<number, string[]>();
    for (const r of issues) {
      const id = Number(r.record_id);
      if (inScope && !inScope.has(id)) continue;
      dataQuality.set(id, [
        ...(dataQuality.get(id) ?? []),
        `${String(r.field)}: ${String(r.problem)}`,
      ]);
    }
    const projectRows: ProjectRow[] = projects.map((r) => {
      const row: ProjectRow = {
        id: Number(r.id),
        name: String(r.summary ?? `Project ${r.id}`),
        clientId: num(r.client_id),
        projectType: (r.project_type as string | null) ?? null,
        pmAgentId: num(r.agent_id),
        createdAt: iso(r.date_occurred),
        startDate: iso(r.start_date),
        targetDate: iso(r.target_date),
        deadlineDate: iso(r.deadline_date),
        closedAt: iso(r.date_closed),
        statusId: num(r.status_id),
        timeBudget: num(r.time_budget),
        moneyBudget: num(r.money_budget),
        onHold: r.on_hold === true,
      };
      return row;
    });
    const watermark = sync[0]?.watermark;
    return {
      projects: projectRows,
      milestones: milestones.map((r): MilestoneRow => ({
        id: Number(r.id),
        projectId: Number(r.project_id),
        name: String(r.name ?? ''),
        sequence: Number(r.sequence ?? 0),
        startDate: iso(r.start_date),
        targetDate: iso(r.target_date),
        complete: r.complete === true,
        value: num(r.value),
        agentId: num(r.agent_id),
      })),
      billed: invoices.flatMap((r): BilledRow[] => {
        const projectId = idOf(r.ticket_id);
        const date = iso(r.invoice_date);
        const amount = num(r.total);
        return projectId === null ||
          date === null ||
          amount === null ||
          (inScope !== null && !inScope.has(projectId))
          ? []
          : [{ projectId, date, amount }];
      }),
      tasks: tasks.map((r): TaskRow => ({
        id: Number(r.id),
        projectId: Number(r.project_id),
        name: String(r.summary ?? ''),
        taskType: (r.task_type as string | null) ?? null,
        milestoneId: num(r.milestone_id),
        estimateHours: num(r.estimate_hours),
        createdAt: iso(r.date_occurred),
        targetDate: iso(r.target_date),
        closedAt: iso(r.date_closed),
        statusId: num(r.status_id),
        agentId: num(r.agent_id),
        onHold: r.on_hold === true,
      })),
      statusChanges: changes.map((r): StatusChange => ({
        ticketId: Number(r.ticket_id),
        at: iso(r.action_at)!,
        statusId: Number(r.new_status),
      })),
      effort: effort.map((r): EffortRow => ({
        ticketId: Number(r.ticket_id),
        agentId: num(r.agent_id),
        date: String(r.day),
        hours: Number(r.hours),
        cost: Number(r.cost),
      })),
      statusNames: new Map(statuses.map((r) => [Number(r.id), String(r.name ?? '')])),
      dataQuality,
      dataAsOf: watermark ? new Date(watermark as string).toISOString().slice(0, 10) : null,
    };
  }
}
