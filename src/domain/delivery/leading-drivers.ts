/**
 * Leading drivers: trouble that is forming before any forecast of cost or date shows it.
 *
 * - **Scope creep** (cost family): the total task estimate grows while the hours budget does not, so
 *   the growth eats the contingency before a single hour is over budget.
 * - **Resourcing gap** (time family): the work due by a near milestone needs a booking rate the team
 *   is not booking. Runs of whole days with no booking at all are absence (a holiday, a quiet week),
 *   not pace; a sprinkle of empty days between bookings is pace.
 *
 * Plus the evidence rule persistence is counted in: a day is evidence when the project moved that
 * day (hours booked, a task created, started, closed or put on hold).
 */
import {
  addWorkingDayNumbers,
  addWorkingDays,
  dayNumber,
  fromDayNumber,
  isWorkingDay,
  latestWorkingDayOnOrBefore,
  workingDaysBetween,
  type IsoDate,
} from '../shared/dates';
import { round, sum } from '../shared/numbers';
import type { EffortModel } from './forecast';
import type { DeliveryPolicy } from './policy';
import type { ProjectFacts } from './project-facts';
import { budgetHours, effectiveEstimates, firstLoggedDay, totalEstimate } from './progress';

/** Estimate growth since the baseline against a fixed budget. */
export interface ScopeCreep {
  /** Growth as a fraction of the hours budget (0.12 = the estimate grew by 12 % of the budget). */
  value: number | null;
  baselineEstimateHours: number | null;
  currentEstimateHours: number | null;
  budgetHours: number | null;
  /** Tasks counted as growth (created after the plan settled). */
  addedTasks: number;
}

/**
 * Share of the hours budget kept back for what estimates never cover. Estimate growth that still fits
 * under the rest of the budget is absorbed by the budget's room (an agreed change that raised the
 * budget with the scope leaves room too); growth that takes the estimate into this reserve or past
 * the budget is creep against the budget.
 */
export const BUDGET_RESERVE_SHARE = 0.05;

/**
 * Scope creep as of `facts.asOf`: estimate growth since the baseline that the budget's room does
 * not absorb (see {@link BUDGET_RESERVE_SHARE}), as a fraction of the budget. The baseline estimate
 * is the captured one when the baseline carries it; otherwise the tasks that existed once the plan
 * settled (the first booked hour plus `scope.baselineGraceWorkingDays`). Null without a budget or
 * estimates, or before the plan settled.
 */
export function scopeCreep(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): ScopeCreep {
  const bac = budgetHours(facts);
  const none: ScopeCreep = {
    value: null,
    baselineEstimateHours: null,
    currentEstimateHours: est === null ? null : totalEstimate(est),
    budgetHours: bac,
    addedTasks: 0,
  };
  if (bac === null || est === null) return none;
  const current = totalEstimate(est);
  const captured = facts.baseline.plannedEstimateHours;
  if (captured !== undefined && captured !== null && captured > 0) {
    return {
      value: unabsorbedGrowth(current, captured, bac),
      baselineEstimateHours: captured,
      currentEstimateHours: none.currentEstimateHours,
      budgetHours: bac,
      addedTasks: 0,
    };
  }
  const first = firstLoggedDay(facts);
  if (first === null) return none;
  const settled = addWorkingDays(first, policy.scope.baselineGraceWorkingDays);
  if (facts.asOf <= settled) return none;
  let baseline = 0;
  let added = 0;
  for (const t of facts.tasks) {
    const e = est.get(t.id) ?? 0;
    if (t.createdOn !== null && t.createdOn > settled) added += 1;
    else baseline += e;
  }
  return {
    value: unabsorbedGrowth(current, baseline, bac),
    baselineEstimateHours: baseline,
    currentEstimateHours: none.currentEstimateHours,
    budgetHours: bac,
    addedTasks: added,
  };
}

/** Growth from `baseline` to `current` beyond the budget's room, as a fraction of `budget`. */
function unabsorbedGrowth(current: number, baseline: number, budget: number): number {
  const room = Math.max(baseline, (1 - BUDGET_RESERVE_SHARE) * budget);
  return Math.max(0, current - room) / budget;
}

/** Booking rate against the rate the nearest milestones need. */
export interface ResourcingGap {
  /** Share of the needed rate not being booked (0–1); null when nothing near or too little history. */
  value: number | null;
  /** Milestone whose need is least covered. */
  milestoneId: string | null;
  milestoneName: string | null;
  plannedEnd: IsoDate | null;
  /** Actual hours per working day booked recently (absences excluded). */
  bookedPerDay: number | null;
  /** Actual hours per working day needed to finish the work due by `plannedEnd`. */
  neededPerDay: number | null;
}

/**
 * Booking pace over the last `window` working days up to `asOf`, in hours per working day present:
 * runs of at least `absenceRun` working days without any booking are left out (absence), shorter
 * gaps count as slow pace. Null when fewer than half the window's days are usable or the project
 * had no booking before the window.
 */
export function bookingPace(
  facts: ProjectFacts,
  window: number,
  absenceRun: number,
): number | null {
  const first = firstLoggedDay(facts);
  if (first === null) return null;
  const last = latestWorkingDayOnOrBefore(facts.asOf);
  const lastDay = dayNumber(last);
  const start = addWorkingDays(last, -(window - 1));
  if (start <= first) return null;
  const byDay = new Map<IsoDate, number>();
  for (const d of facts.dailyHours) {
    if (d.date >= start && d.date <= facts.asOf)
      byDay.set(d.date, (byDay.get(d.date) ?? 0) + d.hours);
  }
  let hours = 0;
  let present = 0;
  let run = 0;
  for (let i = window - 1; i >= 0; i -= 1) {
    const day = fromDayNumber(addWorkingDayNumbers(lastDay, -i));
    const h = byDay.get(day) ?? 0;
    // Weekend bookings count as hours, never as days.
    if (h > 0) {
      if (run < absenceRun) present += run;
      run = 0;
      hours += h;
      present += 1;
    } else run += 1;
  }
  // A trailing empty run counts as absence only once it is long enough to be one.
  if (run < absenceRun) present += run;
  for (const [date, h] of byDay) if (!isWorkingDay(date)) hours += h;
  return present * 2 >= window ? hours / present : null;
}

/**
 * Resourcing gap as of `facts.asOf`: for each open milestone due within the horizon, the actual
 * hours still needed for all work due by it (the effort model's remaining hours) over the working
 * days left, against the recent booking pace. The worst milestone is reported.
 */
export function resourcingGap(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  model: EffortModel | null,
): ResourcingGap {
  const none: ResourcingGap = {
    value: null,
    milestoneId: null,
    milestoneName: null,
    plannedEnd: null,
    bookedPerDay: null,
    neededPerDay: null,
  };
  if (model === null || facts.status !== 'active') return none;
  const r = policy.resourcing;
  const pace = bookingPace(facts, r.windowWorkingDays, r.absenceRunWorkingDays);
  if (pace === null) return none;
  const open = [...facts.baseline.milestones]
    .filter((m) => m.plannedEnd !== null && m.plannedEnd > facts.asOf)
    .sort((a, b) => (a.plannedEnd ?? '').localeCompare(b.plannedEnd ?? ''));
  let worst: ResourcingGap = {
    value: null,
    milestoneId: null,
    milestoneName: null,
    plannedEnd: null,
    bookedPerDay: round(pace, 2),
    neededPerDay: null,
  };
  for (const m of open) {
    const end = m.plannedEnd as IsoDate;
    const daysLeft = workingDaysBetween(facts.asOf, end);
    if (daysLeft > r.horizonWorkingDays) break;
    const due = facts.tasks.filter((t) => {
      if (t.status === 'closed' || t.milestoneId === null) return false;
      const tm = facts.baseline.milestones.find((x) => x.id === t.milestoneId);
      return tm !== undefined && tm.plannedEnd !== null && tm.plannedEnd <= end;
    });
    if (!due.some((t) => t.milestoneId === m.id)) continue;
    const needed = sum(due.map((t) => model.remainingHours(t))) / Math.max(1, daysLeft);
    if (needed <= 0) continue;
    const shortfall = Math.max(0, 1 - pace / needed);
    if (worst.value === null || shortfall > worst.value) {
      worst = {
        value: shortfall,
        milestoneId: m.id,
        milestoneName: m.name,
        plannedEnd: end,
        bookedPerDay: round(pace, 2),
        neededPerDay: round(needed, 2),
      };
    }
  }
  return worst;
}

/**
 * True when the project moved on `date` (as seen in `facts`): hours booked, or a task created,
 * started, closed or put on hold that day. Only evidence days count towards — or break — the
 * persistence of a signal; a day on which nothing happened says nothing new — until nothing has
 * happened for longer than anyone is away ({@link isStalled}): then each quiet day is evidence of a
 * stall.
 */
export function isEvidenceDay(facts: ProjectFacts, date: IsoDate): boolean {
  if (facts.dailyHours.some((d) => d.date === date && d.hours > 0)) return true;
  return taskMovedOn(facts, date) || isStalled(facts, date);
}

/** Working days a whole team may be away (a holiday fortnight) before its silence is a stall. */
export const SILENCE_ALLOWANCE_WORKING_DAYS = 10;
/** Hours booked on a day below which the day is quiet (an hour of chasing is not progress). */
export const QUIET_DAY_HOURS = 1;

function taskMovedOn(facts: ProjectFacts, date: IsoDate): boolean {
  return facts.tasks.some(
    (t) =>
      t.createdOn === date || t.startedOn === date || t.closedOn === date || t.onHoldSince === date,
  );
}

/**
 * True when `date` ends a run of more than {@link SILENCE_ALLOWANCE_WORKING_DAYS} quiet working days
 * (no task moved, under {@link QUIET_DAY_HOURS} booked) on a project that had been worked before
 * the run: longer than a holiday, so the quiet is the project standing still.
 */
export function isStalled(facts: ProjectFacts, date: IsoDate): boolean {
  const first = firstLoggedDay(facts);
  if (first === null || !isWorkingDay(date)) return false;
  const dateDay = dayNumber(date);
  for (let i = 0; i <= SILENCE_ALLOWANCE_WORKING_DAYS; i += 1) {
    const day = fromDayNumber(addWorkingDayNumbers(dateDay, -i));
    if (day <= first) return false;
    if (hoursOn(facts, day) >= QUIET_DAY_HOURS || taskMovedOn(facts, day)) return false;
  }
  return true;
}

/** Hours of the last daily entry dated `date` (0 without one). */
function hoursOn(facts: ProjectFacts, date: IsoDate): number {
  for (let i = facts.dailyHours.length - 1; i >= 0; i -= 1) {
    const d = facts.dailyHours[i];
    if (d !== undefined && d.date === date) return d.hours;
  }
  return 0;
}
