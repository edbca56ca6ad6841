import type { UpliftOpportunities } from '../app/renewals/uplift-opportunities.port';
import type { Db } from './db';
import type { UpliftOpportunity } from '../domain/renewals';
import { json, dayOf } from './renewal-columns';

/** Uplift opportunities (`uplift_opportunities`). */
export class UpliftRepository implements UpliftOpportunities {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Inserts a newly detected opportunity, or refreshes a still-proposed one; true when new. */
  async upsertUplift(o: UpliftOpportunity, now: Date): Promise<boolean> {
    const rows = await this.db.query(
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
  async uplift(contractId: number | null): Promise<UpliftOpportunity[]> {
    const rows = await this.db.query(
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
      decisionReason: (r.decision_reason as string | null) ?? null,
    }));
  }

  /** Records the customer's answer on a still-proposed opportunity (compare-and-set on status). */
  async decideUplift(
    id: string,
    status: 'accepted' | 'declined',
    by: string,
    on: string,
    now: Date,
    reason: string | null = null,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE uplift_opportunities SET status = $3, decided_by = $4, decided_on = $5, updated_at = $6,
              decision_reason = $7
        WHERE tenant_id = $1 AND id = $2 AND status = 'proposed' RETURNING id`,
      [this.tenantId, id, status, by, on, now, reason],
    );
    return rows.length === 1;
  }
}
