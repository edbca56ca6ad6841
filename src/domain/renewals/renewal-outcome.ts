/**
 * How a tracked contract term ended (SPEC §3.5, closing the loop): renewed — its end date moved later,
 * or a successor of the same client and type started within the grace period — or churned — it was
 * made inactive, or its end passed with no successor once the grace period ran out. Each outcome
 * carries the readiness the contract had 90, 60 and 30 days before that end, so the score can be
 * judged against what happened.
 */
import { addDays, type IsoDate } from '../shared/dates';

/** Days after a contract's end within which a successor (same client and type) counts as its renewal. */
export const RENEWAL_GRACE_DAYS = 31;

/** An end date moved later only counts as a renewal inside the 90-day window (before, it is a correction). */
export const RENEWAL_HORIZON_DAYS = 90;

/** The two ways a term ends. */
export type RenewalOutcomeKind = 'renewed' | 'churned';

/** What showed the outcome: a later end date, a successor contract, an end with none, an inactive contract. */
export type RenewalOutcomeEvidence = 'extended' | 'successor' | 'ended' | 'inactive';

/** A contract term as HaloPSA holds it today, with its monthly recurring value. */
export interface ContractTermNow {
  contractId: number;
  clientId: number | null;
  contractType: string | null;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  /** False when HaloPSA marks the contract inactive; null when unknown. */
  active: boolean | null;
  monthlyValue: number;
}

/** The readiness a contract had on the day a renewal window opened (null when not tracked then). */
export interface ReadinessAtWindow {
  window: '90' | '60' | '30';
  on: IsoDate;
  score: number | null;
  band: string | null;
}

/** A decided outcome of one contract term. */
export interface RenewalOutcome {
  contractId: number;
  /** The end date of the term that was renewed or lost (the one the renewal work aimed at). */
  endDate: IsoDate;
  outcome: RenewalOutcomeKind;
  evidence: RenewalOutcomeEvidence;
  decidedOn: IsoDate;
  successorContractId: number | null;
  /** The new end date of a term extended in place. */
  newEndDate: IsoDate | null;
  /** Monthly value of the term that ended. */
  startingMrr: number;
  /** Monthly value after the outcome: the extended or successor contract's, 0 when churned. */
  endingMrr: number;
}

/**
 * The outcome of the term ending `trackedEndDate` (the end date the renewal work last saw), judged on
 * `asOf` from every contract's current term; null while still undecided (the end has not passed, or
 * it passed less than the grace period ago with no successor yet).
 */
export function decideRenewalOutcome(
  term: ContractTermNow,
  trackedEndDate: IsoDate,
  all: readonly ContractTermNow[],
  asOf: IsoDate,
): RenewalOutcome | null {
  const base = {
    contractId: term.contractId,
    endDate: trackedEndDate,
    decidedOn: asOf,
    startingMrr: term.monthlyValue,
  };
  if (
    term.endDate !== null &&
    term.endDate > trackedEndDate &&
    term.active !== false &&
    trackedEndDate <= addDays(asOf, RENEWAL_HORIZON_DAYS)
  ) {
    return {
      ...base,
      outcome: 'renewed',
      evidence: 'extended',
      successorContractId: null,
      newEndDate: term.endDate,
      endingMrr: term.monthlyValue,
    };
  }
  const ended = trackedEndDate < asOf || term.active === false;
  if (!ended) return null;
  const successor = all.find(
    (s) =>
      s.contractId !== term.contractId &&
      s.clientId !== null &&
      s.clientId === term.clientId &&
      s.contractType === term.contractType &&
      s.active !== false &&
      s.startDate !== null &&
      (term.startDate === null || s.startDate > term.startDate) &&
      s.startDate <= addDays(trackedEndDate, RENEWAL_GRACE_DAYS),
  );
  if (successor !== undefined) {
    return {
      ...base,
      outcome: 'renewed',
      evidence: 'successor',
      successorContractId: successor.contractId,
      newEndDate: null,
      endingMrr: successor.monthlyValue,
    };
  }
  // A successor may still be signed inside the grace period, unless the contract was closed.
  if (term.active !== false && asOf <= addDays(trackedEndDate, RENEWAL_GRACE_DAYS)) return null;
  return {
    ...base,
    outcome: 'churned',
    evidence: term.active === false ? 'inactive' : 'ended',
    successorContractId: null,
    newEndDate: null,
    endingMrr: 0,
  };
}

/**
 * The readiness on the days the 90/60/30-day windows of a term ending `endDate` opened: the latest
 * daily snapshot on or before each day (null when none was taken by then).
 */
export function readinessAtWindows(
  endDate: IsoDate,
  snapshots: ReadonlyArray<{ date: IsoDate; score: number; band: string }>,
): ReadinessAtWindow[] {
  const sorted = [...snapshots].sort((a, b) => a.date.localeCompare(b.date));
  return (['90', '60', '30'] as const).map((window) => {
    const on = addDays(endDate, -Number(window));
    const hit = sorted.filter((s) => s.date <= on).pop();
    return { window, on, score: hit?.score ?? null, band: hit?.band ?? null };
  });
}

/** The one-line timeline summary of an outcome, with its readiness history. */
export function outcomeSummary(o: RenewalOutcome, readiness: readonly ReadinessAtWindow[]): string {
  const how =
    o.evidence === 'extended'
      ? `renewed: end date moved from ${o.endDate} to ${o.newEndDate}`
      : o.evidence === 'successor'
        ? `renewed: successor contract ${o.successorContractId} follows the term ending ${o.endDate}`
        : o.evidence === 'inactive'
          ? `churned: contract made inactive (term ending ${o.endDate}), no successor`
          : `churned: ended ${o.endDate} without renewal`;
  const history = readiness
    .map((r) => `${r.window} days ${r.score === null ? 'not tracked' : `${r.score} (${r.band})`}`)
    .join(', ');
  return `Outcome ${how}. Readiness at ${history}.`;
}
