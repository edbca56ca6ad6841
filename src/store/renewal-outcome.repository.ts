import type { RenewalOutcomeRow, RenewalOutcomes } from '../app/renewals/renewal-outcomes.port';
import type { RenewalOutcome, ReadinessAtWindow } from '../domain/renewals';
import type { Db } from './db';
import { dayOf, isoOf, json, numOrNull } from './renewal-columns';

/** The decided renewal outcomes (`renewal_outcomes`). */
export class RenewalOutcomeRepository implements RenewalOutcomes {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Stores the outcome unless one exists for the same contract and end date; true when stored. */
  async recordOutcome(o: RenewalOutcomeRow): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO renewal_outcomes (tenant_id, contract_id, end_date, outcome, how, decided_on,
          successor_contract_id, new_end_date, starting_mrr, ending_mrr, readiness, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id, contract_id, end_date) DO NOTHING RETURNING contract_id`,
      [
        this.tenantId,
        o.contractId,
        o.endDate,
        o.outcome,
        o.evidence,
        o.decidedOn,
        o.successorContractId,
        o.newEndDate,
        o.startingMrr,
        o.endingMrr,
        JSON.stringify(o.readiness),
        o.recordedAt,
      ],
    );
    return rows.length > 0;
  }

  /** Every stored outcome, oldest decision first. */
  async outcomes(): Promise<RenewalOutcomeRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM renewal_outcomes WHERE tenant_id = $1 ORDER BY decided_on, contract_id, end_date`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      contractId: Number(r.contract_id),
      endDate: dayOf(r.end_date),
      outcome: r.outcome as RenewalOutcome['outcome'],
      evidence: r.how as RenewalOutcome['evidence'],
      decidedOn: dayOf(r.decided_on),
      successorContractId: numOrNull(r.successor_contract_id),
      newEndDate: r.new_end_date === null ? null : dayOf(r.new_end_date),
      startingMrr: Number(r.starting_mrr),
      endingMrr: Number(r.ending_mrr),
      readiness: json<ReadinessAtWindow[]>(r.readiness),
      recordedAt: isoOf(r.recorded_at),
    }));
  }
}
