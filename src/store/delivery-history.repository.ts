import type { DeliveryHistoryReader } from '../app/delivery/delivery-history.port';
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

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Loads a tenant's delivery history from the HaloPSA mirror in a handful of bulk queries. */
export class SqlDeliveryHistoryReader implements DeliveryHistoryReader {
  constructor(private readonly db: Db) {}

  async load(tenantId: string): Promise<DeliveryHistory> {
    const { db } = this;
    const [projects, milestones, tasks, changes, effort, statuses, sync, issues, invoices] =
      await Promise.all([
        db.query(
          `SELECT p.id, p.summary, p.client_id, tt.name AS project_type, p.agent_id, p.date_occurred, p.start_date,
                p.target_date, p.deadline_date, p.date_closed, p.status_id, p.time_budget, p.money_budget, p.on_hold
           FROM halo_projects p
           LEFT JOIN LATERAL (SELECT p.raw->>'tickettype_name' AS name) tt ON true
          WHERE p.tenant_id = $1 ORDER BY p.id`,
          [tenantId],
        ),
        db.query(
          `SELECT id, project_id, name, sequence, start_date, target_date, complete, value, agent_id
           FROM halo_milestones WHERE tenant_id = $1`,
          [tenantId],
        ),
        db.query(
          `SELECT id, project_id, summary, raw->>'tickettype_name' AS task_type, milestone_id, estimate_hours,
                date_occurred, target_date, date_closed, status_id, agent_id, on_hold
           FROM halo_tasks WHERE tenant_id = $1 AND project_id IS NOT NULL`,
          [tenantId],
        ),
        db.query(
          `SELECT a.ticket_id, a.action_at, a.new_status FROM halo_actions a
          WHERE a.tenant_id = $1 AND a.new_status IS NOT NULL AND a.action_at IS NOT NULL
            AND (EXISTS (SELECT 1 FROM halo_tasks t WHERE t.tenant_id = a.tenant_id AND t.id = a.ticket_id)
              OR EXISTS (SELECT 1 FROM halo_projects p WHERE p.tenant_id = a.tenant_id AND p.id = a.ticket_id))`,
          [tenantId],
        ),
        db.query(
          `SELECT e.ticket_id, e.agent_id, to_char(e.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                sum(e.hours) AS hours, sum(e.hours * coalesce(e.charge_rate, 0)) AS cost
           FROM halo_timesheet_events e
          WHERE e.tenant_id = $1 AND e.start_at IS NOT NULL AND e.hours IS NOT NULL
            AND (EXISTS (SELECT 1 FROM halo_tasks t WHERE t.tenant_id = e.tenant_id AND t.id = e.ticket_id)
              OR EXISTS (SELECT 1 FROM halo_projects p WHERE p.tenant_id = e.tenant_id AND p.id = e.ticket_id))
          GROUP BY 1, 2, 3`,
          [tenantId],
        ),
        db.query('SELECT id, name FROM halo_statuses WHERE tenant_id = $1', [tenantId]),
        db.query(
          `SELECT min(watermark) AS watermark FROM sync_checkpoints WHERE tenant_id = $1 AND completed`,
          [tenantId],
        ),
        db.query(
          `SELECT record_id, field, problem FROM data_quality_exceptions
          WHERE tenant_id = $1 AND resource = 'projects' AND resolved_at IS NULL AND record_id <> ''`,
          [tenantId],
        ),
        // Invoices HaloPSA raised against a project carry its id as `ticket_id`.
        db.query(
          `SELECT raw->>'ticket_id' AS ticket_id, invoice_date, total FROM halo_invoices
          WHERE tenant_id = $1 AND raw->>'ticket_id' IS NOT NULL AND invoice_date IS NOT NULL
            AND total IS NOT NULL`,
          [tenantId],
        ),
      ]);

    const dataQuality = new Map<number, string[]>();
    for (const r of issues) {
      const id = Number(r.record_id);
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
        return projectId === null || date === null || amount === null
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
