import type { UpliftOpportunity } from '../../domain/renewals';

/** The uplift opportunities detected on one tenant's contracts. */
export interface UpliftOpportunities {
  /** Inserts a newly detected opportunity, or refreshes a still-proposed one; true when new. */
  upsertUplift(o: UpliftOpportunity, now: Date): Promise<boolean>;
  /** Uplift opportunities (of one contract, or all), largest first. */
  uplift(contractId: number | null): Promise<UpliftOpportunity[]>;
  /**
   * Records the customer's answer (and why, when given) on a still-proposed opportunity
   * (compare-and-set on status).
   */
  decideUplift(
    id: string,
    status: 'accepted' | 'declined',
    by: string,
    on: string,
    now: Date,
    reason?: string | null,
  ): Promise<boolean>;
}
