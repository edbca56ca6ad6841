import type {
  ReadinessAssessment,
  ReadinessChange,
  RenewalTask,
  UpliftOpportunity,
} from '../domain/renewals';
import type { Db } from './db';

/** A stored readiness snapshot (one per contract per day). */
export interface RenewalSnapshotRow {
  contractId: number;
  clientId: number | null;
  date: string;
  score: number;
  band: string;
  confidence: number;
  flagged: boolean;
  flagCause: string | null;
  flagSeverity: string | null;
  endDate: string | null;
  stage: string;
  assessment: ReadinessAssessment;
  changes: ReadinessChange;
  dataQuality: string[];
}

/** A stored stage of the renewal workflow. */
export interface StageTaskRow {
  contractId: number;
  stage: '90' | '60' | '30';
  clientId: number | null;
  ownerAgentId: number | null;
  endDate: string;
  openedOn: string;
  checkpointDueOn: string;
  tasks: RenewalTask[];
  stakeholders: Record<string, string>;
  status: 'open' | 'checkpoint-logged' | 'escalated' | 'closed';
  version: number;
}

/** A logged customer checkpoint. */
export interface CheckpointRow {
  id: number;
  contractId: number;
  stage: '90' | '60' | '30';
  meetingOn: string;
  notes: string;
  ownerCall: string;
  score: number | null;
  band: string | null;
  disagrees: boolean;
  routedTo: string | null;
  loggedBy: { name: string; email: string | null; aadObjectId: string | null };
  loggedAt: string;
}

/** A stored concession request and its state. */
export interface ConcessionRow {
  id: number;
  contractId: number;
  clientId: number | null;
  discountPct: number;
  reason: string;
  assessment: Record<string, unknown>;
  approverTier: 'cs_lead' | 'msp_owner';
  status: 'pending' | 'approved' | 'rejected';
  version: number;
  requestedBy: { name: string; email: string | null; aadObjectId: string | null };
  requestedByKey: string;
  requestedAt: string;
  decidedBy: { name: string; email: string | null; aadObjectId: string | null } | null;
  decidedAt: string | null;
  comment: string | null;
}

/** How a contract is named on cards and in the tab. */
export interface ContractLabel {
  contractId: number;
  ref: string;
  clientId: number | null;
  clientName: string;
  contractType: string | null;
  ownerAgentId: number | null;
  ownerName: string | null;
  ownerEmail: string | null;
  endDate: string | null;
}

/** A contract's recurring charge and cost per billing period. */
export interface ContractMoney {
  periodCharge: number | null;
  costPerPeriod: number | null;
  billingPeriod: string | null;
  contractType: string | null;
}

/** A contract's term and charge, for retention. */
export interface ContractTerm {
  contractId: number;
  clientId: number | null;
  contractType: string | null;
  startDate: string | null;
  endDate: string | null;
  periodCharge: number | null;
  billingPeriod: string | null;
}

/** One renewal timeline event as stored. */
export interface RenewalEventRow {
  id: number;
  contractId: number;
  at: string;
  kind: string;
  actor: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const isoOf = (v: unknown): string => new Date(v as string).toISOString();
/** A `date` column as YYYY-MM-DD: drivers return a string, a UTC midnight or a local midnight. */
const dayOf = (v: unknown): string => {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (v instanceof Date && (v.getUTCHours() !== 0 || v.getUTCMinutes() !== 0)) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  }
  return isoOf(v).slice(0, 10);
};
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** SQL for the renewal loop's own state (migration 006). Every call takes the Db (or tx) to use. */
export class RenewalRepository {
  constructor(readonly tenantId: string) {}

  /** The latest snapshot before `date` per contract (the "previous" for what-changed and hysteresis). */
  async previousSnapshots(db: Db, date: string): Promise<Map<number, RenewalSnapshotRow>> {
    const rows = await db.query(
      `SELECT DISTINCT ON (contract_id) * FROM renewal_snapshots
        WHERE tenant_id = $1 AND snapshot_date < $2::date
        ORDER BY contract_id, snapshot_date DESC`,
      [this.tenantId, date],
    );
    return new Map(rows.map((r) => [Number(r.contract_id), snapshotOf(r)]));
  }

  /** The latest snapshot per contract (on or before `date` when given). */
  async latestSnapshots(db: Db, date?: string): Promise<RenewalSnapshotRow[]> {
    const rows = await db.query(
      `SELECT DISTINCT ON (contract_id) * FROM renewal_snapshots
        WHERE tenant_id = $1 AND ($2::date IS NULL OR snapshot_date <= $2::date)
        ORDER BY contract_id, snapshot_date DESC`,
      [this.tenantId, date ?? null],
    );
    return rows.map(snapshotOf);
  }

  /** One contract's snapshots, oldest first (the trend). */
  async snapshots(db: Db, contractId: number, limit = 90): Promise<RenewalSnapshotRow[]> {
    const rows = await db.query(
      `SELECT * FROM (SELECT * FROM renewal_snapshots WHERE tenant_id = $1 AND contract_id = $2
          ORDER BY snapshot_date DESC LIMIT $3) s ORDER BY snapshot_date`,
      [this.tenantId, contractId, limit],
    );
    return rows.map(snapshotOf);
  }

  /** Stores (or replaces) the day's snapshot of a contract. */
  async saveSnapshot(db: Db, s: RenewalSnapshotRow, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO renewal_snapshots (tenant_id, contract_id, snapshot_date, client_id, score, band, confidence,
          flagged, flag_cause, flag_severity, end_date, stage, assessment, changes, data_quality, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (tenant_id, contract_id, snapshot_date) DO UPDATE SET
         client_id = EXCLUDED.client_id, score = EXCLUDED.score, band = EXCLUDED.band,
         confidence = EXCLUDED.confidence, flagged = EXCLUDED.flagged, flag_cause = EXCLUDED.flag_cause,
         flag_severity = EXCLUDED.flag_severity, end_date = EXCLUDED.end_date, stage = EXCLUDED.stage,
         assessment = EXCLUDED.assessment, changes = EXCLUDED.changes,
         data_quality = EXCLUDED.data_quality, created_at = EXCLUDED.created_at`,
      [
        this.tenantId,
        s.contractId,
        s.date,
        s.clientId,
        s.score,
        s.band,
        s.confidence,
        s.flagged,
        s.flagCause,
        s.flagSeverity,
        s.endDate,
        s.stage,
        JSON.stringify(s.assessment),
        JSON.stringify(s.changes),
        JSON.stringify(s.dataQuality),
        now,
      ],
    );
  }

  /** Opens a stage once: true when this call opened it, false when it was already open. */
  async openStage(db: Db, s: Omit<StageTaskRow, 'version'>, now: Date): Promise<boolean> {
    const rows = await db.query(
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
    db: Db,
    filter: { contractId?: number; status?: StageTaskRow['status'] } = {},
  ): Promise<StageTaskRow[]> {
    const rows = await db.query(
      `SELECT * FROM renewal_stage_tasks WHERE tenant_id = $1
          AND ($2::bigint IS NULL OR contract_id = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY contract_id, stage DESC`,
      [this.tenantId, filter.contractId ?? null, filter.status ?? null],
    );
    return rows.map(stageOf);
  }

  /** Moves a stage to `status` if it is still at `version` (compare-and-set); false when it moved on. */
  async updateStage(
    db: Db,
    contractId: number,
    stage: string,
    version: number,
    change: { status: StageTaskRow['status']; tasks?: RenewalTask[]; escalatedAt?: Date | null },
    now: Date,
  ): Promise<boolean> {
    const rows = await db.query(
      `UPDATE renewal_stage_tasks SET status = $5, tasks = coalesce($6::jsonb, tasks),
              escalated_at = coalesce($7, escalated_at), version = version + 1, updated_at = $8
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
      ],
    );
    return rows.length === 1;
  }

  /** Records a checkpoint. */
  async addCheckpoint(db: Db, c: Omit<CheckpointRow, 'id'>): Promise<number> {
    const [row] = await db.query(
      `INSERT INTO renewal_checkpoints (tenant_id, contract_id, stage, meeting_on, notes, owner_call, score, band,
          disagrees, routed_to, logged_by, logged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        this.tenantId,
        c.contractId,
        c.stage,
        c.meetingOn,
        c.notes,
        c.ownerCall,
        c.score,
        c.band,
        c.disagrees,
        c.routedTo,
        JSON.stringify(c.loggedBy),
        c.loggedAt,
      ],
    );
    return Number(row!.id);
  }

  /** A contract's checkpoints, oldest first (or every contract's when `contractId` is null). */
  async checkpoints(db: Db, contractId: number | null): Promise<CheckpointRow[]> {
    const rows = await db.query(
      `SELECT * FROM renewal_checkpoints WHERE tenant_id = $1 AND ($2::bigint IS NULL OR contract_id = $2)
        ORDER BY logged_at, id`,
      [this.tenantId, contractId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: Number(r.contract_id),
      stage: String(r.stage) as CheckpointRow['stage'],
      meetingOn: dayOf(r.meeting_on),
      notes: String(r.notes),
      ownerCall: String(r.owner_call),
      score: numOrNull(r.score),
      band: (r.band as string | null) ?? null,
      disagrees: r.disagrees === true,
      routedTo: (r.routed_to as string | null) ?? null,
      loggedBy: json(r.logged_by),
      loggedAt: isoOf(r.logged_at),
    }));
  }

  /** Inserts a newly detected opportunity, or refreshes a still-proposed one; true when new. */
  async upsertUplift(db: Db, o: UpliftOpportunity, now: Date): Promise<boolean> {
    const rows = await db.query(
      `INSERT INTO uplift_opportunities (tenant_id, id, contract_id, client_id, kind, subject,
          estimated_monthly_uplift, evidence, status, detected_on, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'proposed', $9, $10)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         estimated_monthly_uplift = EXCLUDED.estimated_monthly_uplift, evidence = EXCLUDED.evidence,
         updated_at = EXCLUDED.updated_at
         WHERE uplift_opportunities.status = 'proposed'
       RETURNING (xmax = 0) AS inserted`,
      [
        this.tenantId,
        o.id,
        Number(o.contractId),
        o.clientId === '' ? null : Number(o.clientId),
        o.kind,
        o.subject,
        o.estimatedMonthlyUplift,
        JSON.stringify(o.evidence),
        o.detectedOn,
        now,
      ],
    );
    return rows[0]?.inserted === true;
  }

  /** Uplift opportunities (of one contract, or all). */
  async uplift(db: Db, contractId: number | null): Promise<UpliftOpportunity[]> {
    const rows = await db.query(
      `SELECT * FROM uplift_opportunities WHERE tenant_id = $1 AND ($2::bigint IS NULL OR contract_id = $2)
        ORDER BY estimated_monthly_uplift DESC, id`,
      [this.tenantId, contractId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      kind: String(r.kind) as UpliftOpportunity['kind'],
      contractId: String(r.contract_id),
      clientId: r.client_id === null ? '' : String(r.client_id),
      subject: String(r.subject),
      estimatedMonthlyUplift: Number(r.estimated_monthly_uplift),
      evidence: json<string[]>(r.evidence),
      status: String(r.status) as UpliftOpportunity['status'],
      detectedOn: dayOf(r.detected_on),
      decidedOn: r.decided_on === null ? null : dayOf(r.decided_on),
      decidedBy: (r.decided_by as string | null) ?? null,
    }));
  }

  /** Records the customer's answer on a still-proposed opportunity (compare-and-set on status). */
  async decideUplift(
    db: Db,
    id: string,
    status: 'accepted' | 'declined',
    by: string,
    on: string,
    now: Date,
  ): Promise<boolean> {
    const rows = await db.query(
      `UPDATE uplift_opportunities SET status = $3, decided_by = $4, decided_on = $5, updated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND status = 'proposed' RETURNING id`,
      [this.tenantId, id, status, by, on, now],
    );
    return rows.length === 1;
  }

  /** Stores a new pending concession request; null when the contract already has one pending. */
  async insertConcession(
    db: Db,
    c: Omit<ConcessionRow, 'id' | 'status' | 'version' | 'decidedBy' | 'decidedAt' | 'comment'>,
  ): Promise<number | null> {
    const rows = await db.query(
      `INSERT INTO concession_requests (tenant_id, contract_id, client_id, discount_pct, reason, assessment,
          approver_tier, status, requested_by, requested_by_key, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)
       ON CONFLICT (tenant_id, contract_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [
        this.tenantId,
        c.contractId,
        c.clientId,
        c.discountPct,
        c.reason,
        JSON.stringify(c.assessment),
        c.approverTier,
        JSON.stringify(c.requestedBy),
        c.requestedByKey,
        c.requestedAt,
      ],
    );
    return rows[0] ? Number(rows[0].id) : null;
  }

  /** One concession request. */
  async concession(db: Db, id: number): Promise<ConcessionRow | null> {
    const rows = await db.query(
      'SELECT * FROM concession_requests WHERE tenant_id = $1 AND id = $2',
      [this.tenantId, id],
    );
    return rows[0] ? concessionOf(rows[0]) : null;
  }

  /** Concession requests (of one contract, or all), newest first. */
  async concessions(db: Db, contractId: number | null): Promise<ConcessionRow[]> {
    const rows = await db.query(
      `SELECT * FROM concession_requests WHERE tenant_id = $1 AND ($2::bigint IS NULL OR contract_id = $2)
        ORDER BY requested_at DESC, id DESC`,
      [this.tenantId, contractId],
    );
    return rows.map(concessionOf);
  }

  /**
   * Applies a decision if the request is still pending at `expectedVersion` (compare-and-set), and
   * records it in `concession_decisions` (one row per request). False when someone decided first.
   */
  async decideConcession(
    db: Db,
    id: number,
    expectedVersion: number,
    d: {
      status: 'approved' | 'rejected';
      decidedBy: NonNullable<ConcessionRow['decidedBy']>;
      decidedAt: string;
      comment: string | null;
    },
  ): Promise<boolean> {
    const rows = await db.query(
      `UPDATE concession_requests SET status = $4, version = version + 1, decided_by = $5, decided_at = $6,
              comment = $7
        WHERE tenant_id = $1 AND id = $2 AND version = $3 AND status = 'pending' RETURNING id`,
      [
        this.tenantId,
        id,
        expectedVersion,
        d.status,
        JSON.stringify(d.decidedBy),
        d.decidedAt,
        d.comment,
      ],
    );
    if (rows.length !== 1) return false;
    await db.query(
      `INSERT INTO concession_decisions (tenant_id, concession_id, decision, decided_by, decided_at, comment)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.tenantId, id, d.status, JSON.stringify(d.decidedBy), d.decidedAt, d.comment],
    );
    return true;
  }

  /** Remembers which outbox post carries a concession's card. */
  async setConcessionCard(db: Db, id: number, dedupeKey: string): Promise<void> {
    await db.query(
      `INSERT INTO concession_cards (tenant_id, concession_id, dedupe_key) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, concession_id) DO NOTHING`,
      [this.tenantId, id, dedupeKey],
    );
  }

  /** The outbox dedupe key of a concession's posted card, if any. */
  async concessionCard(db: Db, id: number): Promise<string | null> {
    const rows = await db.query(
      'SELECT dedupe_key FROM concession_cards WHERE tenant_id = $1 AND concession_id = $2',
      [this.tenantId, id],
    );
    return rows[0] ? String(rows[0].dedupe_key) : null;
  }

  /** Display labels of contracts (reference, client, owner) from the mirror, by contract id. */
  async contractLabels(
    db: Db,
    contractIds: readonly number[] | null,
  ): Promise<Map<number, ContractLabel>> {
    const rows = await db.query(
      `SELECT c.id, c.ref, c.client_id, cl.name AS client_name, c.raw->>'contracttype_name' AS contract_type,
              cl.account_manager_id, a.name AS owner_name, a.email AS owner_email, c.end_date
         FROM halo_contracts c
         LEFT JOIN halo_clients cl ON cl.tenant_id = c.tenant_id AND cl.id = c.client_id
         LEFT JOIN halo_agents a ON a.tenant_id = c.tenant_id AND a.id = cl.account_manager_id
        WHERE c.tenant_id = $1 AND ($2::bigint[] IS NULL OR c.id = ANY($2::bigint[]))`,
      [this.tenantId, contractIds === null ? null : [...contractIds]],
    );
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          contractId: Number(r.id),
          ref: (r.ref as string | null) ?? `Contract ${String(r.id)}`,
          clientId: numOrNull(r.client_id),
          clientName: (r.client_name as string | null) ?? 'Unknown client',
          contractType: (r.contract_type as string | null) ?? null,
          ownerAgentId: numOrNull(r.account_manager_id),
          ownerName: (r.owner_name as string | null) ?? null,
          ownerEmail: (r.owner_email as string | null) ?? null,
          endDate: r.end_date === null ? null : isoOf(r.end_date).slice(0, 10),
        },
      ]),
    );
  }

  /** The recurring figures of contracts (per period, as HaloPSA holds them), by id. */
  async contractMoney(
    db: Db,
    contractIds: readonly number[] | null,
  ): Promise<Map<number, ContractMoney>> {
    const rows = await db.query(
      `SELECT id, period_charge, cost_per_period, billing_period, raw->>'contracttype_name' AS contract_type
         FROM halo_contracts WHERE tenant_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [this.tenantId, contractIds === null ? null : [...contractIds]],
    );
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          periodCharge: numOrNull(r.period_charge),
          costPerPeriod: numOrNull(r.cost_per_period),
          billingPeriod: (r.billing_period as string | null) ?? null,
          contractType: (r.contract_type as string | null) ?? null,
        },
      ]),
    );
  }

  /** Entra object ids of everyone holding one of `roles` (approvers for a card's refresh). */
  async aadObjectIdsWithRoles(db: Db, roles: readonly string[]): Promise<string[]> {
    const rows = await db.query(
      `SELECT DISTINCT aad_object_id FROM role_assignments
        WHERE tenant_id = $1 AND role = ANY($2::text[]) AND aad_object_id IS NOT NULL ORDER BY aad_object_id`,
      [this.tenantId, [...roles]],
    );
    return rows.map((r) => String(r.aad_object_id));
  }

  /** Every contract's term and recurring charge (for retention: who renewed, contracted, churned). */
  async contractTerms(db: Db): Promise<ContractTerm[]> {
    const rows = await db.query(
      `SELECT id, client_id, raw->>'contracttype_name' AS contract_type, start_date, end_date,
              period_charge, billing_period
         FROM halo_contracts WHERE tenant_id = $1 ORDER BY id`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      contractId: Number(r.id),
      clientId: numOrNull(r.client_id),
      contractType: (r.contract_type as string | null) ?? null,
      startDate: r.start_date === null ? null : isoOf(r.start_date).slice(0, 10),
      endDate: r.end_date === null ? null : isoOf(r.end_date).slice(0, 10),
      periodCharge: numOrNull(r.period_charge),
      billingPeriod: (r.billing_period as string | null) ?? null,
    }));
  }

  /** Stores the day's KPIs (the first stored day is the baseline). */
  async saveKpis(
    db: Db,
    capturedOn: string,
    kpis: Record<string, unknown>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await db.query(
      `INSERT INTO renewal_kpi_snapshots (tenant_id, captured_on, kpis, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, captured_on) DO UPDATE SET kpis = EXCLUDED.kpis, detail = EXCLUDED.detail`,
      [this.tenantId, capturedOn, JSON.stringify(kpis), JSON.stringify(detail)],
    );
  }

  /** Every stored KPI snapshot, oldest first. */
  async kpiSnapshots(
    db: Db,
  ): Promise<Array<{ capturedOn: string; kpis: Record<string, unknown> }>> {
    const rows = await db.query(
      'SELECT captured_on, kpis FROM renewal_kpi_snapshots WHERE tenant_id = $1 ORDER BY captured_on',
      [this.tenantId],
    );
    return rows.map((r) => ({ capturedOn: dayOf(r.captured_on), kpis: json(r.kpis) }));
  }

  /** Appends an entry to a contract's renewal timeline. */
  async addEvent(db: Db, e: Omit<RenewalEventRow, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO renewal_events (tenant_id, contract_id, at, kind, actor, summary, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.tenantId, e.contractId, e.at, e.kind, e.actor, e.summary, JSON.stringify(e.detail)],
    );
  }

  /** A contract's timeline events in order. */
  async events(db: Db, contractId: number): Promise<RenewalEventRow[]> {
    const rows = await db.query(
      `SELECT * FROM renewal_events WHERE tenant_id = $1 AND contract_id = $2 ORDER BY at, id`,
      [this.tenantId, contractId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: Number(r.contract_id),
      at: isoOf(r.at),
      kind: String(r.kind),
      actor: (r.actor as string | null) ?? null,
      summary: String(r.summary),
      detail: json<Record<string, unknown>>(r.detail),
    }));
  }
}

function snapshotOf(r: Record<string, unknown>): RenewalSnapshotRow {
  return {
    contractId: Number(r.contract_id),
    clientId: numOrNull(r.client_id),
    date: dayOf(r.snapshot_date),
    score: Number(r.score),
    band: String(r.band),
    confidence: Number(r.confidence),
    flagged: r.flagged === true,
    flagCause: (r.flag_cause as string | null) ?? null,
    flagSeverity: (r.flag_severity as string | null) ?? null,
    endDate: r.end_date === null ? null : dayOf(r.end_date),
    stage: String(r.stage),
    assessment: json(r.assessment),
    changes: json(r.changes),
    dataQuality: json(r.data_quality),
  };
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

function concessionOf(r: Record<string, unknown>): ConcessionRow {
  return {
    id: Number(r.id),
    contractId: Number(r.contract_id),
    clientId: numOrNull(r.client_id),
    discountPct: Number(r.discount_pct),
    reason: String(r.reason),
    assessment: json(r.assessment),
    approverTier: String(r.approver_tier) as ConcessionRow['approverTier'],
    status: String(r.status) as ConcessionRow['status'],
    version: Number(r.version),
    requestedBy: json(r.requested_by),
    requestedByKey: String(r.requested_by_key),
    requestedAt: isoOf(r.requested_at),
    decidedBy: r.decided_by === null ? null : json(r.decided_by),
    decidedAt: r.decided_at === null ? null : isoOf(r.decided_at),
    comment: (r.comment as string | null) ?? null,
  };
}
