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
  /** The kind of project (e.g. `healthy:burn-spike`, `slow-resourcing-gap`), for the confusion. */
  archetype?: string;
}

/**
 * Confusion of one archetype: every project lands in exactly one of the five counts, so a
 * regression names the kind of project it hit.
 */
export interface ArchetypeConfusion {
  projects: number;
  /** Troubled and first escalated before the trouble was visible. */
  caughtEarly: number;
  /** Troubled and first escalated on or after the day it became visible. */
  caughtLate: number;
  /** Troubled and never escalated. */
  missed: number;
  /** Not troubled but escalated. */
  falseAlarms: number;
  /** Not troubled and never escalated. */
  quiet: number;
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
  /** Confusion per archetype (outcomes without one count under `unlabelled`). */
  byArchetype: Record<string, ArchetypeConfusion>;
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
  const byArchetype: Record<string, ArchetypeConfusion> = {};
  for (const o of outcomes) {
    const first = firstEscalations.get(o.projectId);
    const key = o.archetype ?? 'unlabelled';
    const c = (byArchetype[key] ??= {
      projects: 0,
      caughtEarly: 0,
      caughtLate: 0,
      missed: 0,
      falseAlarms: 0,
      quiet: 0,
    });
    c.projects += 1;
    if (!o.troubled) c[first === undefined ? 'quiet' : 'falseAlarms'] += 1;
    else if (first === undefined) c.missed += 1;
    else c[o.visibleOn === null || first < o.visibleOn ? 'caughtEarly' : 'caughtLate'] += 1;
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
    byArchetype: Object.fromEntries(
      Object.entries(byArchetype).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
}
