import type {
  DeliveryStore,
  DeliveryUnitOfWork,
  OpenEscalationWatch,
  StoredSnapshot,
} from '../app/delivery/delivery-store.port';
import type { Escalation, EscalationDecision } from '../domain/delivery/escalation';
import type { ProjectAssessment } from '../domain/delivery/health-score';
import type { HealthSnapshot } from '../domain/delivery/health-snapshot';
import type { DeliveryPolicyConfig } from '../domain/delivery/policy';
import type { ProjectBaseline } from '../domain/delivery/project-facts';
import type { Clock } from '../shared/clock';
import type { Db } from './db';

/**
 * Called with the transaction that records an escalation decision, so the notification it causes
 * (the outbox row) commits or rolls back with it.
 */
export type DecisionNotifier = (tx: Db, decision: EscalationDecision) => Promise<void>;

/** PostgreSQL implementation of the delivery loop's persistence port. */
export class SqlDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly clock: Clock,
    private readonly notifier?: DecisionNotifier,
  ) {}

  async currentPolicy(): Promise<DeliveryPolicyConfig | null> {
    const rows = await this.db.query<{ config: DeliveryPolicyConfig }>(
      'SELECT config FROM delivery_policies WHERE tenant_id = $1 ORDER BY version DESC LIMIT 1',
      [this.tenantId],
    );
    return rows[0]?.config ?? null;
  }

  async savePolicy(config: DeliveryPolicyConfig, by: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ v: number }>(
        'SELECT coalesce(max(version), 0) + 1 AS v FROM delivery_policies WHERE tenant_id = $1',
        [this.tenantId],
      );
      const version = Number(rows[0]!.v);
      const stamped = { ...config, default: { ...config.default, version } };
      await tx.query(
        'INSERT INTO delivery_policies (tenant_id, version, config, created_at, created_by) VALUES ($1, $2, $3, $4, $5)',
        [this.tenantId, version, JSON.stringify(stamped), this.clock.now().toISOString(), by],
      );
      return version;
    });
  }

  async baselines(): Promise<Map<number, ProjectBaseline>> {
    const rows = await this.db.query<{ project_id: number; baseline: ProjectBaseline }>(
      `SELECT DISTINCT ON (project_id) project_id, baseline FROM project_baselines
        WHERE tenant_id = $1 ORDER BY project_id, version DESC`,
      [this.tenantId],
    );
    return new Map(rows.map((r) => [Number(r.project_id), r.baseline]));
  }

  async saveBaseline(
    projectId: number,
    baseline: ProjectBaseline,
    reason: string,
    by: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO project_baselines (tenant_id, project_id, version, baseline, captured_at, reason, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        this.tenantId,
        projectId,
        baseline.version,
        JSON.stringify(baseline),
        this.clock.now().toISOString(),
        reason,
        by,
      ],
    );
  }

  async liveEscalations(): Promise<Map<number, Escalation[]>> {
    const rows = await this.db.query<{ project_id: number; state: Escalation }>(
      `SELECT project_id, state FROM escalations
        WHERE tenant_id = $1 AND (status IN ('open', 'acknowledged', 'snoozed')
           OR (status = 'false-positive' AND (state->>'suppressedUntil')::timestamptz > $2))`,
      [this.tenantId, this.clock.now().toISOString()],
    );
    const out = new Map<number, Escalation[]>();
    for (const r of rows)
      out.set(Number(r.project_id), [...(out.get(Number(r.project_id)) ?? []), r.state]);
    return out;
  }

  async unacknowledgedEscalations(): Promise<OpenEscalationWatch[]> {
    const rows = await this.db.query<{
      state: Escalation;
      assessment: ProjectAssessment | null;
      project_type: string | null;
    }>(
      `SELECT e.state, s.assessment->'assessment' AS assessment, p.raw->>'tickettype_name' AS project_type
         FROM escalations e
         LEFT JOIN LATERAL (
           SELECT h.assessment FROM health_snapshots h
            WHERE h.tenant_id = e.tenant_id AND h.project_id = e.project_id
            ORDER BY h.snapshot_date DESC LIMIT 1) s ON true
         LEFT JOIN halo_projects p ON p.tenant_id = e.tenant_id AND p.id = e.project_id
        WHERE e.tenant_id = $1 AND e.status = 'open' AND e.state->>'reescalatedAt' IS NULL
        ORDER BY e.opened_at, e.id`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      escalation: r.state,
      assessment: r.assessment ?? null,
      projectType: r.project_type ?? null,
    }));
  }

  async previousSnapshots(date: string): Promise<Map<number, HealthSnapshot>> {
    const rows = await this.db.query<{
      project_id: number;
      assessment: { snapshot: HealthSnapshot };
    }>(
      `SELECT DISTINCT ON (project_id) project_id, assessment FROM health_snapshots
        WHERE tenant_id = $1 AND snapshot_date < $2 ORDER BY project_id, snapshot_date DESC`,
      [this.tenantId, date],
    );
    return new Map(rows.map((r) => [Number(r.project_id), r.assessment.snapshot]));
  }

  async inTransaction<T>(work: (uow: DeliveryUnitOfWork) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work(new SqlDeliveryUnitOfWork(tx, this.tenantId, this.clock, this.notifier)),
    );
  }
}

class SqlDeliveryUnitOfWork implements DeliveryUnitOfWork {
  constructor(
    private readonly tx: Db,
    private readonly tenantId: string,
    private readonly clock: Clock,
    private readonly notifier: DecisionNotifier | undefined,
  ) {}

  async saveSnapshot(projectId: number, date: string, stored: StoredSnapshot): Promise<void> {
    const { snapshot } = stored;
    await this.tx.query(
      `INSERT INTO health_snapshots (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, assessment, changes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, project_id, snapshot_date) DO UPDATE SET score = EXCLUDED.score, rag = EXCLUDED.rag,
         confidence = EXCLUDED.confidence, risk_tags = EXCLUDED.risk_tags, assessment = EXCLUDED.assessment,
         changes = EXCLUDED.changes, created_at = EXCLUDED.created_at`,
      [
        this.tenantId,
        projectId,
        date,
        snapshot.score,
        snapshot.rag,
        snapshot.confidence,
        snapshot.riskTags,
        JSON.stringify({ snapshot, assessment: stored.assessment }),
        JSON.stringify(stored.changes),
        this.clock.now().toISOString(),
      ],
    );
  }

  async applyDecision(decision: EscalationDecision): Promise<void> {
    const e = decision.escalation;
    await this.tx.query(
      `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state, opened_at, updated_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
         state = EXCLUDED.state, updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at`,
      [
        this.tenantId,
        e.id,
        Number(e.projectId),
        e.clientId,
        e.cause,
        e.status,
        e.severity,
        JSON.stringify(e),
        e.openedAt,
        e.updatedAt,
        e.closedAt,
      ],
    );
    if (this.notifier) await this.notifier(this.tx, decision);
  }

  async lockEscalation(id: string): Promise<Escalation | null> {
    const rows = await this.tx.query<{ state: Escalation }>(
      'SELECT state FROM escalations WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [this.tenantId, id],
    );
    return rows[0]?.state ?? null;
  }
}
