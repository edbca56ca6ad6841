import type { ReadinessAtWindow, RenewalOutcome } from '../../domain/renewals';

/** A stored renewal outcome with the readiness history it was judged against. */
export interface RenewalOutcomeRow extends RenewalOutcome {
  readiness: ReadinessAtWindow[];
  recordedAt: string;
}

/** The decided outcomes of one tenant's contract terms (written once per contract and end date). */
export interface RenewalOutcomes {
  /** Stores the outcome unless one exists for the same contract and end date; true when stored. */
  recordOutcome(row: RenewalOutcomeRow): Promise<boolean>;
  /** Every stored outcome, oldest decision first. */
  outcomes(): Promise<RenewalOutcomeRow[]>;
}
