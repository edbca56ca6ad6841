import type {
  ReadinessSnapshots,
  RenewalSnapshotRow,
} from '../app/renewals/readiness-snapshots.port';
import type { Db } from './db';
import { json, dayOf, numOrNull } from './renewal-columns';

/** The daily readiness snapshots (`renewal_snapshots`). */
export class ReadinessSnapshotRepository implements ReadinessSnapshots {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** The latest snapshot before `date` per contract (the "previous" for what-changed and hysteresis). */
  async previousSnapshots(date: string): Promise<Map<number, RenewalSnapshotRow>> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (contract_id) * FROM renewal_snapshots
        WHERE tenant_id = $1 AND snapshot_date < $2::date
        ORDER BY contract_id, snapshot_date DESC`,
      [this.tenantId, date],
    );
    return new Map(rows.map((r) => [Number(r.contract_id), snapshotOf(r)]));
  }

  /** The latest snapshot per contract (on or before `date` when given). */
  async latestSnapshots(date?: string): Promise<RenewalSnapshotRow[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (contract_id) * FROM renewal_snapshots
        WHERE tenant_id = $1 AND ($2::date IS NULL OR snapshot_date <= $2::date)
        ORDER BY contract_id, snapshot_date DESC`,
      [this.tenantId, date ?? null],
    );
    return rows.map(snapshotOf);
  }

  /** One contract's snapshots, oldest first (the trend). */
  async snapshots(contractId: number, limit = 90): Promise<RenewalSnapshotRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM (SELECT * FROM renewal_snapshots WHERE tenant_id = $1 AND contract_id = $2
          ORDER BY snapshot_date DESC LIMIT $3) s ORDER BY snapshot_date`,
      [this.tenantId, contractId, limit],
    );
    return rows.map(snapshotOf);
  }

  /** Stores (or replaces) the day's snapshot of a contract. */
  async saveSnapshot(s: RenewalSnapshotRow, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO renewal_snapshots (tenant_id, contract_id, snapshot_date, client_id, score, band, confidence,
          flagged, flag_cause, flag_severity, end_date, stage, assessment, changes, data_quality, created_at,
          policy_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (tenant_id, contract_id, snapshot_date) DO UPDATE SET
         client_id = EXCLUDED.client_id, score = EXCLUDED.score, band = EXCLUDED.band,
         confidence = EXCLUDED.confidence, flagged = EXCLUDED.flagged, flag_cause = EXCLUDED.flag_cause,
         flag_severity = EXCLUDED.flag_severity, end_date = EXCLUDED.end_date, stage = EXCLUDED.stage,
         assessment = EXCLUDED.assessment, changes = EXCLUDED.changes,
         data_quality = EXCLUDED.data_quality, created_at = EXCLUDED.created_at,
         policy_version = EXCLUDED.policy_version`,
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
        s.policyVersion ?? s.assessment.policyVersion ?? null,
      ],
    );
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
    policyVersion: numOrNull(r.policy_version),
  };
}
