/**
 * Progress and effort arithmetic shared by earned value, forecasting and health: effective task
 * estimates, % complete from task completion (never from hours burned), planned % by date from
 * milestone windows, budget at completion and actual effort.
 */
import { addDays, dayNumber, fromDayNumber, type IsoDate } from '../shared/dates';
import { clamp, sum } from '../shared/numbers';
import type { ProjectFacts, ProjectTask } from './project-facts';

/** A task is open (remaining work) unless closed. */
export function isOpen(task: ProjectTask): boolean {
  return task.status !== 'closed';
}

/** Share of tasks carrying a positive estimate (0 when there are no tasks). */
export function estimateCoverage(facts: ProjectFacts): number {
  if (facts.tasks.length === 0) return 0;
  return facts.tasks.filter((t) => (t.estimateHours ?? 0) > 0).length / facts.tasks.length;
}

/**
 * Estimate per task in hours; tasks without an estimate get the mean of the estimated ones so
 * they still count. Null when no task is estimated.
 */
export function effectiveEstimates(facts: ProjectFacts): Map<string, number> | null {
  let known = 0;
  let knownHours = 0;
  for (const t of facts.tasks) {
    const e = t.estimateHours ?? 0;
    if (e > 0) {
      known += 1;
      knownHours += e;
    }
  }
  if (known === 0) return null;
  const fallback = knownHours / known;
  const out = new Map<string, number>();
  for (const t of facts.tasks) {
    const e = t.estimateHours ?? 0;
    out.set(t.id, e > 0 ? e : fallback);
  }
  return out;
}

/** Budget at completion in hours: the hours budget, else the money budget at the blended rate. */
export function budgetHours(facts: ProjectFacts): number | null {
  const b = facts.baseline;
  if (b.plannedHours !== null && b.plannedHours > 0) return b.plannedHours;
  if (
    b.plannedMoney !== null &&
    b.plannedMoney > 0 &&
    b.blendedRate !== null &&
    b.blendedRate > 0
  ) {
    return b.plannedMoney / b.blendedRate;
  }
  return null;
}

/** Budget at completion in money: the money budget, else the hours budget at the blended rate. */
export function budgetMoney(facts: ProjectFacts): number | null {
  const b = facts.baseline;
  if (b.plannedMoney !== null && b.plannedMoney > 0) return b.plannedMoney;
  if (
    b.plannedHours !== null &&
    b.plannedHours > 0 &&
    b.blendedRate !== null &&
    b.blendedRate > 0
  ) {
    return b.plannedHours * b.blendedRate;
  }
  return null;
}

/** Actual hours and cost booked on or before `date` (default: as of the facts). */
export function actuals(
  facts: ProjectFacts,
  date: IsoDate = facts.asOf,
): { hours: number; cost: number } {
  let hours = 0;
  let cost = 0;
  for (const d of facts.dailyHours) {
    if (d.date <= date) {
      hours += d.hours;
      cost += d.cost;
    }
  }
  return { hours, cost };
}

/** Progress figures in estimate-hours (or milestone-weight units when nothing is estimated). */
export interface Progress {
  /** Fraction of the work complete by task completion (0/100 rule); null when unmeasurable. */
  percentComplete: number | null;
  /** Fraction complete with 50 % credit for started, unclosed tasks (used for rates only). */
  creditedPercent: number | null;
  /** Total estimate in hours (null when nothing is estimated). */
  totalEstimateHours: number | null;
  /** Basis of the percentage. */
  basis: 'estimates' | 'milestone-weights' | 'none';
}

function startedBy(t: ProjectTask, date: IsoDate): boolean {
  if (t.startedOn !== null) return t.startedOn <= date;
  return t.status !== 'open' && t.status !== 'closed';
}

/** Credit (0, 0.5 or 1) of a task as of `date` under the 50/50 rule, or 0/100 when `half` is false. */
export function taskCredit(t: ProjectTask, date: IsoDate, half: boolean): number {
  if (t.status === 'closed' && t.closedOn !== null && t.closedOn <= date) return 1;
  if (t.status === 'closed' && t.closedOn === null) return 1;
  if (half && startedBy(t, date)) return 0.5;
  return 0;
}

/** Sum of the effective estimates, in task order. */
export function totalEstimate(est: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const e of est.values()) total += e;
  return total;
}

/**
 * % complete as of `date` (default `facts.asOf`), estimate-weighted; `est` is the facts' effective
 * estimates when the caller already has them.
 */
export function progressOf(
  facts: ProjectFacts,
  date: IsoDate = facts.asOf,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): Progress {
  if (est !== null) {
    const total = totalEstimate(est);
    let done = 0;
    let credited = 0;
    for (const t of facts.tasks) {
      const e = est.get(t.id) ?? 0;
      done += e * taskCredit(t, date, false);
      credited += e * taskCredit(t, date, true);
    }
    return {
      percentComplete: done / total,
      creditedPercent: credited / total,
      totalEstimateHours: total,
      basis: 'estimates',
    };
  }
  // No estimates: milestone weights × share of the milestone's tasks closed.
  const ms = facts.baseline.milestones.filter((m) => m.weight > 0);
  const totalWeight = sum(ms.map((m) => m.weight));
  if (totalWeight <= 0) {
    return {
      percentComplete: null,
      creditedPercent: null,
      totalEstimateHours: null,
      basis: 'none',
    };
  }
  let done = 0;
  let credited = 0;
  for (const m of ms) {
    const tasks = facts.tasks.filter((t) => t.milestoneId === m.id);
    if (tasks.length === 0) continue;
    done += (m.weight * sum(tasks.map((t) => taskCredit(t, date, false)))) / tasks.length;
    credited += (m.weight * sum(tasks.map((t) => taskCredit(t, date, true)))) / tasks.length;
  }
  return {
    percentComplete: done / totalWeight,
    creditedPercent: credited / totalWeight,
    totalEstimateHours: null,
    basis: 'milestone-weights',
  };
}

/** A milestone's planned window after defaults (start from the previous end or project start). */
export interface MilestoneWindow {
  milestoneId: string;
  start: IsoDate;
  end: IsoDate;
  /** Share of the whole project's planned value carried by this milestone. */
  share: number;
}

/**
 * Planned value shares and windows. Shares follow task estimates (or milestone weights when nothing is
 * estimated); unassigned tasks spread over the whole project window.
 */
export function milestoneWindows(facts: ProjectFacts): MilestoneWindow[] {
  const est = effectiveEstimates(facts);
  const ms = [...facts.baseline.milestones].sort((a, b) => a.sequence - b.sequence);
  const projectEnd =
    facts.targetEndDate ??
    ms.reduce<IsoDate | null>(
      (acc, m) =>
        m.plannedEnd !== null && (acc === null || m.plannedEnd > acc) ? m.plannedEnd : acc,
      null,
    );
  const raw: { id: string; start: IsoDate; end: IsoDate; value: number }[] = [];
  let prevEnd: IsoDate = facts.startDate;
  for (const m of ms) {
    const end = m.plannedEnd ?? projectEnd;
    const start = m.plannedStart ?? prevEnd;
    if (end === null) continue;
    const value =
      est !== null
        ? sum(facts.tasks.filter((t) => t.milestoneId === m.id).map((t) => est.get(t.id) ?? 0))
        : m.weight;
    raw.push({ id: m.id, start: start <= end ? start : end, end, value });
    prevEnd = end;
  }
  if (est !== null && projectEnd !== null) {
    const known = new Set(raw.map((r) => r.id));
    const loose = sum(
      facts.tasks
        .filter((t) => t.milestoneId === null || !known.has(t.milestoneId))
        .map((t) => est.get(t.id) ?? 0),
    );
    if (loose > 0)
      raw.push({ id: '(unassigned)', start: facts.startDate, end: projectEnd, value: loose });
  }
  const total = sum(raw.map((r) => r.value));
  if (total <= 0) return [];
  return raw.map((r) => ({
    milestoneId: r.id,
    start: r.start,
    end: r.end,
    share: r.value / total,
  }));
}

/** Planned fraction complete on `date`: linear within each milestone window. Null without a plan. */
export function plannedPercentOn(facts: ProjectFacts, date: IsoDate): number | null {
  const windows = milestoneWindows(facts);
  if (windows.length === 0) return null;
  let planned = 0;
  const day = dayNumber(date);
  for (const w of windows) {
    const s = dayNumber(w.start);
    const e = dayNumber(w.end);
    const frac = e <= s ? (day >= e ? 1 : 0) : clamp((day - s) / (e - s), 0, 1);
    planned += w.share * frac;
  }
  return clamp(planned, 0, 1);
}

/** Total hours booked in each of the `weeks` trailing 7-day blocks ending at `asOf` (index 0 = latest). */
export function weeklyHours(
  facts: ProjectFacts,
  weeks: number,
  asOf: IsoDate = facts.asOf,
): number[] {
  const out = new Array<number>(weeks).fill(0);
  const end = dayNumber(asOf);
  // Days outside the blocks are passed over by their ISO text, without reading a day number.
  const oldest = fromDayNumber(end - 7 * weeks + 1);
  for (const d of facts.dailyHours) {
    if (d.date > asOf || d.date < oldest) continue;
    const age = end - dayNumber(d.date);
    if (age < 0) continue;
    const i = Math.floor(age / 7);
    if (i < weeks) out[i] = (out[i] ?? 0) + d.hours;
  }
  return out;
}

/** First day with logged time, or null. */
export function firstLoggedDay(facts: ProjectFacts): IsoDate | null {
  let first: IsoDate | null = null;
  for (const d of facts.dailyHours) {
    if (d.hours > 0 && d.date <= facts.asOf && (first === null || d.date < first)) first = d.date;
  }
  return first;
}

/** The day `weeks` whole weeks before `asOf`. */
export function weeksBefore(asOf: IsoDate, weeks: number): IsoDate {
  return addDays(asOf, -7 * weeks);
}
