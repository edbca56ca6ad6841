/**
 * Scoring a replay against known outcomes (SPEC §9): precision, recall before the trouble shows,
 * median lead time in working days, F1. A troubled project counts as caught only when it was first
 * escalated strictly before its trouble became visible.
 */
import { workingDaysBetween, type IsoDate } from '../shared/dates';
import { median, safeDivide } from '../shared/numbers';

/** Known outcome of one project. */
export interface ProjectOutcome {
  projectId: string;
  /** True when the project overran its budget or slipped a milestone. */
  troubled: boolean;
  /** Day the trouble became visible in HaloPSA; null when not troubled. */
  visibleOn: IsoDate | null;
}

/** Replay score. */
export interface ReplayScore {
  /** Projects escalated at least once. */
  flagged: number;
  troubled: number;
  /** Flagged projects that were troubled. */
  truePositives: number;
  /** Troubled projects escalated before the trouble was visible. */
  caughtEarly: number;
  /** Troubled projects escalated at least the required lead before visibility. */
  caughtWithLead: number;
  precision: number | null;
  /** Recall before the trouble shows. */
  recall: number | null;
  f1: number | null;
  /** Median working days from first escalation to visibility, over troubled projects caught early. */
  medianLeadWorkingDays: number | null;
  /** Projects where the escalation came late or never (risk misses). */
  missed: string[];
  /** Escalated projects that were never troubled. */
  falsePositives: string[];
}

/**
 * Score first-escalation dates (`projectId → first escalation day`, absent = never) against outcomes.
 * Projects without an outcome are ignored. `requiredLead` only feeds `caughtWithLead`.
 */
export function scoreReplay(
  firstEscalations: ReadonlyMap<string, IsoDate>,
  outcomes: readonly ProjectOutcome[],
  requiredLead = 10,
): ReplayScore {
  let flagged = 0;
  let tp = 0;
  let troubled = 0;
  let caughtEarly = 0;
  let caughtWithLead = 0;
  const leads: number[] = [];
  const missed: string[] = [];
  const falsePositives: string[] = [];
  for (const o of outcomes) {
    const first = firstEscalations.get(o.projectId);
    if (first !== undefined) {
      flagged += 1;
      if (o.troubled) tp += 1;
      else falsePositives.push(o.projectId);
    }
    if (!o.troubled) continue;
    troubled += 1;
    if (first !== undefined && (o.visibleOn === null || first < o.visibleOn)) {
      caughtEarly += 1;
      if (o.visibleOn !== null) {
        const lead = workingDaysBetween(first, o.visibleOn);
        leads.push(lead);
        if (lead >= requiredLead) caughtWithLead += 1;
      }
    } else missed.push(o.projectId);
  }
  const precision = safeDivide(tp, flagged);
  const recall = safeDivide(caughtEarly, troubled);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? null
      : (2 * precision * recall) / (precision + recall);
  return {
    flagged,
    troubled,
    truePositives: tp,
    caughtEarly,
    caughtWithLead,
    precision,
    recall,
    f1,
    medianLeadWorkingDays: median(leads),
    missed,
    falsePositives,
  };
}
