import type { RenewalStages, StageChange, StageTaskRow } from '../app/renewals/renewal-stages.port';
import type { Db } from './db';
import { json, dayOf, numOrNull } from './renewal-columns';

/** The 90/60/30-day stages and their tasks (`renewal_stage_tasks`). */
export class RenewalStageRepository implements RenewalStages {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Opens a stage once: true when this call opened it, false when it was already open. */
  async openStage(s: Omit<StageTaskRow, 'version'>, now: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO renewal_stage_tasks (tenant_id, contract_id, stage, client_id, owner_agent_id, end_date,
          opened_on, checkpoint_due_on, tasks, stakeholders, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT (tenant_id, contract_id, stage) DO NOTHING RETURNING contract_id`,
      [
        this.tenantId,
        s.contractId,
        s.stage,
        s.clientId,
        s.ownerAgentId,
        s.endDate,
        s.openedOn,
        s.checkpointDueOn,
        JSON.stringify(s.tasks),
        JSON.stringify(s.stakeholders),
        s.status,
        now,
      ],
    );
    return rows.length === 1;
  }

  /** Stage tasks, optionally of one contract or with one status. */
  async stageTasks(
    filter: { contractId?: number; status?: StageTaskRow['status'] } = {},
  ): Promise<StageTaskRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM renewal_stage_tasks WHERE tenant_id = $1
          AND ($2::bigint IS NULL OR contract_id = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY contract_id, stage DESC`,
      [this.tenantId, filter.contractId ?? null, filter.status ?? null],
    );
    return rows.map(stageOf);
  }

  /** Moves a stage to `status` if it is still at `version` (compare-and-set); false when it moved on. */
  async updateStage(
    contractId: number,
    stage: string,
    version: number,
    change: StageChange,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE renewal_stage_tasks SET status = $5, tasks = coalesce($6::jsonb, tasks),
              escalated_at = coalesce($7, escalated_at), version = version + 1, updated_at = $8,
              stakeholders = coalesce($9::jsonb, stakeholders),
              owner_agent_id = coalesce($10::bigint, owner_agent_id)
        WHERE tenant_id = $1 AND contract_id = $2 AND stage = $3 AND version = $4 RETURNING stage`,
      [
        this.tenantId,
        contractId,
        stage,
        version,
        change.status,
        change.tasks ? JSON.stringify(change.tasks) : null,
        change.escalatedAt ?? null,
        now,
        change.stakeholders ? JSON.stringify(change.stakeholders) : null,
        change.ownerAgentId ?? null,
      ],
    );
    return rows.length === 1;
  }
}

function stageOf(r: Record<string, unknown>): StageTaskRow {
  return {
    contractId: Number(r.contract_id),
    stage: String(r.stage) as StageTaskRow['stage'],
    clientId: numOrNull(r.client_id),
    ownerAgentId: numOrNull(r.owner_agent_id),
    endDate: dayOf(r.end_date),
    openedOn: dayOf(r.opened_on),
    checkpointDueOn: dayOf(r.checkpoint_due_on),
    tasks: json(r.tasks),
    stakeholders: json(r.stakeholders),
    status: String(r.status) as StageTaskRow['status'],
    version: Number(r.version),
  };
}
