/**
 * How the delivery judgement has done for one tenant, from its own history (SPEC §2.3, §9): every
 * escalated project is later confirmed by a slip or overrun, marked "not a real issue" by a human,
 * or still open to judgement; every troubled project was escalated before its trouble showed, only
 * after, or never. The override log is the truth the tenant gives us; the slips and overruns are
 * the truth HaloPSA gives us.
 */
import { workingDaysBetween, type IsoDate } from '../shared/dates';
import { median, safeDivide } from '../shared/numbers';
import type { Escalation } from './escalation';
import { scheduleForecast } from './forecast';
import type { DeliveryPolicy } from './policy';
import type { ProjectFacts } from './project-facts';
import { budgetHours } from './progress';

/** The first day a project's trouble showed in HaloPSA, and how. */
export interface VisibleTrouble {
  projectId: string;
  visibleOn: IsoDate;
  kind: 'slip' | 'overrun';
}

/**
 * The first visible trouble in a project's own record as of `facts.asOf`: a milestone whose planned
 * end passed with work still open (visible the next day), or the day booked hours passed the hours
 * budget, whichever came first. Null when neither happened.
 */
export function visibleTrouble(facts: ProjectFacts, policy: DeliveryPolicy): VisibleTrouble | null {
  let best: VisibleTrouble | null = null;
  const consider = (visibleOn: IsoDate, kind: VisibleTrouble['kind']): void => {
    if (visibleOn > facts.asOf) return;
    if (best === null || visibleOn < best.visibleOn) {
      best = { projectId: facts.projectId, visibleOn, kind };
    }
  };
  const schedule = scheduleForecast(facts, policy, null);
  for (const m of schedule.milestones) {
    if (m.plannedEnd === null) continue;
    const late = m.complete
      ? m.actualEnd !== null && m.actualEnd > m.plannedEnd
      : m.plannedEnd < facts.asOf;
    if (late) consider(dayAfter(m.plannedEnd), 'slip');
  }
  const bac = budgetHours(facts);
  if (bac !== null) {
    let total = 0;
    const days = [...facts.dailyHours].sort((a, b) => a.date.localeCompare(b.date));
    for (const d of days) {
      total += d.hours;
      if (total > bac) {
        consider(d.date, 'overrun');
        break;
      }
    }
  }
  return best;
}

function dayAfter(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** How one project's story ended up, judged against the engine's first escalation. */
export type JudgementOutcome =
  /** Escalated, and a slip or overrun showed afterwards. */
  | 'confirmed'
  /** Escalated, and a human marked it "not a real issue"; nothing showed since. */
  | 'not-a-real-issue'
  /** Escalated, nothing showed and nobody marked it: still open to judgement. */
  | 'unconfirmed'
  /** Troubled, but first escalated only once the trouble was already visible. */
  | 'escalated-late'
  /** Troubled and never escalated. */
  | 'never-escalated';

/** One project's line in the record. */
export interface JudgementLine {
  projectId: string;
  outcome: JudgementOutcome;
  firstEscalatedOn: IsoDate | null;
  troubleVisibleOn: IsoDate | null;
  troubleKind: VisibleTrouble['kind'] | null;
  /** Working days from the first escalation to the visible trouble (confirmed lines only). */
  leadWorkingDays: number | null;
  /** The reasons humans gave when marking escalations of the project "not a real issue". */
  notRealReasons: string[];
  /** Model versions the project's escalations were opened under (`policyVersion`s). */
  policyVersions: number[];
}

/** The tenant's judgement record. */
export interface JudgementRecord {
  escalatedProjects: number;
  confirmed: number;
  notARealIssue: number;
  unconfirmed: number;
  troubledProjects: number;
  escalatedLate: number;
  neverEscalated: number;
  /**
   * Escalated projects whose trouble showed (before or after the escalation) over those settled
   * either way (trouble showed, or marked not a real issue); unconfirmed ones are left out.
   */
  precision: number | null;
  /** Troubled projects escalated before the trouble showed, over all troubled projects. */
  recallBeforeVisible: number | null;
  medianLeadWorkingDays: number | null;
  lines: JudgementLine[];
}

/**
 * The record over `projectIds` (every project judged), their escalations (any status) and their
 * visible troubles. A human "not a real issue" mark stands unless the trouble showed after all —
 * HaloPSA's record then overrules the mark and the line counts as confirmed.
 */
export function judgementRecord(
  projectIds: readonly string[],
  escalations: readonly Escalation[],
  troubles: readonly VisibleTrouble[],
): JudgementRecord {
  const lines: JudgementLine[] = [];
  for (const projectId of [...new Set(projectIds)].sort()) {
    const own = escalations.filter((e) => e.projectId === projectId);
    const first = own.reduce<IsoDate | null>((acc, e) => {
      const d = e.openedAt.slice(0, 10);
      return acc === null || d < acc ? d : acc;
    }, null);
    const trouble = troubles.find((t) => t.projectId === projectId) ?? null;
    const notRealReasons = own
      .filter((e) => e.status === 'false-positive' || e.falsePositiveReason !== null)
      .map((e) => e.falsePositiveReason ?? '');
    let outcome: JudgementOutcome | null = null;
    if (trouble !== null) {
      if (first === null) outcome = 'never-escalated';
      else outcome = first < trouble.visibleOn ? 'confirmed' : 'escalated-late';
    } else if (first !== null) {
      outcome = notRealReasons.length > 0 ? 'not-a-real-issue' : 'unconfirmed';
    }
    if (outcome === null) continue;
    lines.push({
      projectId,
      outcome,
      firstEscalatedOn: first,
      troubleVisibleOn: trouble?.visibleOn ?? null,
      troubleKind: trouble?.kind ?? null,
      leadWorkingDays:
        outcome === 'confirmed' && first !== null && trouble !== null
          ? workingDaysBetween(first, trouble.visibleOn)
          : null,
      notRealReasons,
      policyVersions: [...new Set(own.map((e) => e.policyVersion))].sort((a, b) => a - b),
    });
  }
  const count = (o: JudgementOutcome): number => lines.filter((l) => l.outcome === o).length;
  const confirmed = count('confirmed');
  const notReal = count('not-a-real-issue');
  const late = count('escalated-late');
  const never = count('never-escalated');
  const troubled = confirmed + late + never;
  return {
    escalatedProjects: confirmed + notReal + count('unconfirmed') + late,
    confirmed,
    notARealIssue: notReal,
    unconfirmed: count('unconfirmed'),
    troubledProjects: troubled,
    escalatedLate: late,
    neverEscalated: never,
    precision: safeDivide(confirmed + late, confirmed + late + notReal),
    recallBeforeVisible: safeDivide(confirmed, troubled),
    medianLeadWorkingDays: median(
      lines.flatMap((l) => (l.leadWorkingDays === null ? [] : [l.leadWorkingDays])),
    ),
    lines,
  };
}
