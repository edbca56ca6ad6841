/**
 * Early-warning signals: forward-looking, smoothed forecasts that see trouble before it shows in
 * HaloPSA. Trouble becomes visible when actual hours pass the budget or a milestone date passes
 * with work open; these signals forecast exactly those two events from recent behaviour, plus how
 * long material work has been blocked.
 *
 * Soundness choices (not tuned to one data generator):
 * - Cost rate (actual hours per estimated hour) comes from closed tasks' logged hours whenever the
 *   loader supplies per-task hours (HaloPSA timesheet events carry the ticket): no work in progress
 *   distorts it. It is recency-weighted (two-week half-life), each task is capped at 1.5× the median
 *   task ratio (one task that absorbed a spike is an outlier, not a trend), it is shrunk towards 1 by
 *   a prior worth 5 % of the total estimate (a few early tasks cannot swing it), and the latest four
 *   tasks can raise it (a regime change is forecast as the new regime, not averaged away).
 * - Without per-task hours, the rate is project-level: the mean of a trailing 8-week ratio (weekly
 *   hours winsorised at 1.5× the median week) and the cumulative ratio, with the same prior.
 * - An open task already past its expected effort is assumed to need a tenth of it plus half its
 *   overrun so far (the further past, the more it still needs).
 * - Progress for rates uses the 50/50 rule (started tasks earn half) so work in progress does not look
 *   like overrun; the reported % complete stays 0/100.
 * - Capacity is the more optimistic of the median week over 6 weeks (after dropping the weakest
 *   week) and the mean of the last 2, in weeks ending at the last day with any time, each week read
 *   over the working days present in it: a run of a working week or more with nothing booked (a
 *   hold, a quiet week, a holiday fortnight) is absence, not pace; a ramp-up or a catch-up shows in
 *   the recent mean; a real slowdown shows once it lasts; a stall shows as forecasts moving later
 *   every day.
 * - Milestones are forecast earliest-due-first: all open work due by a milestone's date must be done
 *   by then, so its forecast end is today + that work × rate / capacity.
 */
import {
  addWorkingDayNumbers,
  addWorkingDays,
  dayNumber,
  daysBetween,
  fromDayNumber,
  isWorkingDayNumber,
  workingDaysBetween,
  type IsoDate,
} from '../shared/dates';
import { median, mean, sum } from '../shared/numbers';
import type { DeliveryPolicy } from './policy';
import type { ProjectFacts, ProjectTask } from './project-facts';
import {
  actuals,
  budgetHours,
  effectiveEstimates,
  firstLoggedDay,
  progressOf,
  totalEstimate,
  weeklyHours,
  weeksBefore,
} from './progress';

/** Forecast of hours at completion against the hours budget. */
export interface BurnForecast {
  /** Forecast overrun fraction: EAC / budget − 1 (negative = under budget); null without evidence. */
  value: number | null;
  eacHours: number | null;
  budgetHours: number | null;
  actualHours: number;
  /** Actual hours per estimated hour, smoothed; null when unmeasurable. */
  rate: number | null;
  /** Share of the estimate earned under the 50/50 rule. */
  earnedShare: number | null;
  /** Why the value is what it is, for the driver's explanation. */
  basis: 'forecast' | 'already-over-budget' | 'insufficient-evidence' | 'no-budget';
}

/** Forecast of one milestone. */
export interface MilestoneForecast {
  milestoneId: string;
  name: string;
  plannedEnd: IsoDate | null;
  complete: boolean;
  /** Day its last task closed, when complete. */
  actualEnd: IsoDate | null;
  /** Forecast completion for open milestones; null without capacity evidence. */
  forecastEnd: IsoDate | null;
  /** Working days late (positive) or early (negative); for complete milestones the actual slip. */
  slipWorkingDays: number | null;
  ownerAgentId: string | null;
}

/** Forecast slip of the worst open milestone. */
export interface ScheduleForecast {
  /** Worst forecast slip in working days over open milestones; null without evidence. */
  value: number | null;
  worst: MilestoneForecast | null;
  capacityHoursPerDay: number | null;
  milestones: MilestoneForecast[];
}

/** Material blockage: the longest-lasting hold, block or overdue dependency on meaningful work. */
export interface Blockage {
  /** Working days the oldest material blockage has lasted (0 when nothing is blocked). */
  value: number;
  /** Share of remaining estimated work that is blocked. */
  blockedShare: number;
  worstTaskId: string | null;
  ownerAgentId: string | null;
  /** Working days each open task has been held up (directly or through a dependency), by task id. */
  blockedDaysByTask: ReadonlyMap<string, number>;
}

/** The three escalation signals for one day. */
export interface DaySignals {
  date: IsoDate;
  burn: BurnForecast;
  schedule: ScheduleForecast;
  dependency: Blockage;
}

const RATE_WINDOW_WEEKS = 8;
const CAPACITY_WEEKS = 6;
const TASK_HALF_LIFE_WEEKS = 2;
const OUTLIER_CAP = 1.5;
const RECENT_TASKS = 4;
/** Forecast slips are capped (a stalled project would otherwise forecast centuries). */
const MAX_SLIP = 250;
const PRIOR_SHARE = 0.05;

/** Winsorise weekly values at 1.5× their median (a spike week counts as a busy, not a wild, week). */
function winsorise(values: number[]): number[] {
  const m = median(values.filter((v) => v > 0));
  if (m === null) return values;
  return values.map((v) => Math.min(v, 1.5 * m));
}

/**
 * Actual hours per estimated hour, smoothed and shrunk towards 1. Null when nothing is estimated.
 */
export function costRate(
  facts: ProjectFacts,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): { rate: number | null; earnedShare: number | null } {
  const now = progressOf(facts, facts.asOf, est);
  if (now.totalEstimateHours === null || now.creditedPercent === null) {
    return { rate: null, earnedShare: null };
  }
  const total = now.totalEstimateHours;
  const prior = PRIOR_SHARE * total;
  const earnedNow = now.creditedPercent * total;
  const ac = actuals(facts).hours;
  const cumulative = (ac + prior) / (earnedNow + prior);

  const windowStart = weeksBefore(facts.asOf, RATE_WINDOW_WEEKS);
  const earnedThen = (progressOf(facts, windowStart, est).creditedPercent ?? 0) * total;
  const first = firstLoggedDay(facts);
  const firstDay = first === null ? null : dayNumber(first);
  const asOfDay = dayNumber(facts.asOf);
  const weeks = weeklyHours(facts, RATE_WINDOW_WEEKS).filter(
    (_, i) => firstDay === null || asOfDay - 7 * i >= firstDay,
  );
  const windowHours = sum(winsorise(weeks));
  const trailing = (windowHours + prior) / (Math.max(0, earnedNow - earnedThen) + prior);

  const estimators = [cumulative, trailing];
  // Per-task logged hours on closed tasks are the cleanest evidence (no work-in-progress at all).
  const closed = facts.tasks.filter(
    (t) => t.status === 'closed' && t.loggedHours !== null && (t.estimateHours ?? 0) > 0,
  );
  if (closed.length >= 3) {
    let logged = 0;
    let estimated = 0;
    for (const t of closed) {
      logged += t.loggedHours ?? 0;
      estimated += t.estimateHours ?? 0;
    }
    estimators.push((logged + prior) / (estimated + prior));
  }
  return { rate: mean(estimators), earnedShare: now.creditedPercent };
}

/** Share of tasks (closed or open) whose logged hours are known. */
function loggedCoverage(facts: ProjectFacts): number {
  if (facts.tasks.length === 0) return 0;
  return facts.tasks.filter((t) => t.loggedHours !== null).length / facts.tasks.length;
}

/**
 * Task-level cost rate: logged / estimated hours over closed tasks, recency-weighted (half-life
 * {@link TASK_HALF_LIFE_WEEKS} weeks, so a mid-project change shows within weeks), each task's ratio
 * capped at 1.5× the median closed-task ratio (one task that absorbed a spike is an outlier, not a
 * trend) and shrunk towards 1 by a prior worth {@link PRIOR_SHARE} of the total estimate (so one odd
 * early task cannot swing it); the latest {@link RECENT_TASKS} tasks alone can raise it.
 */
function taskRate(facts: ProjectFacts, est: ReadonlyMap<string, number>, total: number): number {
  const prior = PRIOR_SHARE * total;
  const closed = facts.tasks.filter(
    (t) => t.status === 'closed' && t.loggedHours !== null && (est.get(t.id) ?? 0) > 0,
  );
  const typical = median(closed.map((t) => (t.loggedHours ?? 0) / (est.get(t.id) ?? 1))) ?? 1;
  const cap = OUTLIER_CAP * Math.max(1, typical);
  let logged = 0;
  let estimated = 0;
  for (const t of closed) {
    const ageWeeks = t.closedOn === null ? 0 : Math.max(0, daysBetween(t.closedOn, facts.asOf)) / 7;
    const w = 0.5 ** (ageWeeks / TASK_HALF_LIFE_WEEKS);
    logged += w * cappedHours(t, est, cap);
    estimated += w * (est.get(t.id) ?? 0);
  }
  const weighted = (logged + prior) / (estimated + prior);
  // A regime change (the last few tasks all running over) is the trend to forecast with, not an
  // average with the older, better tasks.
  const latest = [...closed]
    .sort((a, b) => (b.closedOn ?? '').localeCompare(a.closedOn ?? ''))
    .slice(0, RECENT_TASKS);
  if (latest.length < RECENT_TASKS) return weighted;
  // One or two tasks that absorbed a spike are not a regime: every one of them must have run over.
  if (!latest.every((t) => cappedHours(t, est, cap) > (est.get(t.id) ?? 0))) return weighted;
  const recent =
    (sum(latest.map((t) => cappedHours(t, est, cap))) + prior) /
    (sum(latest.map((t) => est.get(t.id) ?? 0)) + prior);
  return Math.max(weighted, recent);
}

/** A closed task's logged hours, capped at `cap` times its estimate. */
function cappedHours(t: ProjectTask, est: ReadonlyMap<string, number>, cap: number): number {
  return Math.min(t.loggedHours ?? 0, (est.get(t.id) ?? 0) * cap);
}

/**
 * Forecast hours at completion versus budget. With per-task logged hours (the normal case: HaloPSA
 * timesheet events carry the ticket) the forecast is AC plus, for every open task, what it still
 * needs at the closed-task rate — free of the saw-tooth that work in progress puts into project-level
 * ratios. Without them it falls back to AC + remaining estimate × smoothed project-level rate.
 */
export function burnForecast(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  model: EffortModel | null = effortModel(facts),
): BurnForecast {
  const bac = budgetHours(facts);
  const ac = actuals(facts).hours;
  if (bac === null) return burnOf(bac, ac, model, null, null, 'no-budget');
  const enough = model !== null && model.earnedShare >= policy.minEvidence.progressShare;
  if (!enough) {
    return ac > bac
      ? burnOf(bac, ac, model, ac / bac - 1, ac, 'already-over-budget')
      : burnOf(bac, ac, model, null, null, 'insufficient-evidence');
  }
  let remaining = 0;
  for (const t of facts.tasks) remaining += model.remainingHours(t);
  const eac = ac + remaining;
  return burnOf(bac, ac, model, eac / bac - 1, eac, ac > bac ? 'already-over-budget' : 'forecast');
}

/** A burn forecast built in one literal (spreading a shared base cost more than the forecast). */
function burnOf(
  bac: number | null,
  ac: number,
  model: EffortModel | null,
  value: number | null,
  eacHours: number | null,
  basis: BurnForecast['basis'],
): BurnForecast {
  return {
    budgetHours: bac,
    actualHours: ac,
    rate: model?.rate ?? null,
    earnedShare: model?.earnedShare ?? null,
    value,
    eacHours,
    basis,
  };
}

/** How much actual effort the open work still needs. */
export interface EffortModel {
  /** Actual hours per estimated hour. */
  rate: number;
  /** Share of the estimate earned under the 50/50 rule. */
  earnedShare: number;
  /** True when per-task logged hours drive the model. */
  taskLevel: boolean;
  /** Actual hours task `t` still needs (0 for closed tasks). */
  remainingHours(t: ProjectTask): number;
}

/**
 * The effort model for the facts' day; null when nothing is estimated. `est` is the facts'
 * effective estimates when the caller already has them.
 */
export function effortModel(
  facts: ProjectFacts,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): EffortModel | null {
  const projectRate = costRate(facts, est);
  if (est === null || projectRate.rate === null || projectRate.earnedShare === null) return null;
  const taskLevel = loggedCoverage(facts) >= 0.8;
  const total = totalEstimate(est);
  const rate = taskLevel ? taskRate(facts, est, total) : projectRate.rate;
  return modelAt(facts, est, taskLevel, rate, projectRate.earnedShare);
}

/**
 * The same effort model with the cost rate set to `rate`: at 1 (every open task needs its estimate)
 * it shows how much of a cost forecast the estimates alone carry, whatever the closed tasks' rate.
 */
export function withRate(
  facts: ProjectFacts,
  model: EffortModel,
  rate: number,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): EffortModel {
  return modelAt(facts, est ?? new Map<string, number>(), model.taskLevel, rate, model.earnedShare);
}

function modelAt(
  facts: ProjectFacts,
  est: ReadonlyMap<string, number>,
  taskLevel: boolean,
  rate: number,
  earnedShare: number,
): EffortModel {
  return {
    rate,
    earnedShare,
    taskLevel,
    remainingHours(t: ProjectTask): number {
      if (t.status === 'closed') return 0;
      const need = (est.get(t.id) ?? 0) * rate;
      if (!taskLevel) return need * remainingCredit(t, facts.asOf);
      const logged = t.loggedHours ?? 0;
      // A task already past its expected effort is not about to finish: the further past, the more
      // it still needs (a tenth of the expectation plus half the overrun so far).
      return logged < need ? need - logged : 0.1 * need + 0.5 * (logged - need);
    },
  };
}

/** Remaining share of a task under the 50/50 rule. */
function remainingCredit(t: ProjectTask, date: IsoDate): number {
  if (t.status === 'closed') return 0;
  const started = t.startedOn !== null ? t.startedOn <= date : t.status === 'in-progress';
  return started ? 0.5 : 1;
}

/**
 * A run of at least this many working days with nothing booked at all is absence (a project hold, a
 * holiday fortnight, leave), not pace: a working week, as a week with no time at all always was.
 */
export const ABSENCE_RUN_WORKING_DAYS = 5;

/**
 * Working days from day `from` to day `to` inclusive (day numbers, both on or after `first`)
 * that are not absence: days outside every run of {@link ABSENCE_RUN_WORKING_DAYS} or more working
 * days with nothing booked. Runs are followed back before `from` far enough to know their full
 * length. `booked[day - bookedFrom]` is 1 on a day with time booked; the result holds one flag per
 * day from `from`.
 */
function presentWorkingDays(
  booked: Uint8Array,
  bookedFrom: number,
  first: number,
  from: number,
  to: number,
): Uint8Array {
  const scanFrom = addWorkingDayNumbers(from, -(ABSENCE_RUN_WORKING_DAYS - 1));
  const start = scanFrom < first ? first : scanFrom;
  const present = new Uint8Array(Math.max(0, to - from + 1));
  let runStart = start;
  let runLength = 0;
  for (let day = start; day <= to; day += 1) {
    if (!isWorkingDayNumber(day)) continue;
    if (booked[day - bookedFrom] === 1) {
      if (runLength > 0 && runLength < ABSENCE_RUN_WORKING_DAYS)
        markWorkingDays(present, from, runStart, day);
      runLength = 0;
      if (day >= from) present[day - from] = 1;
    } else {
      if (runLength === 0) runStart = day;
      runLength += 1;
    }
  }
  if (runLength > 0 && runLength < ABSENCE_RUN_WORKING_DAYS)
    markWorkingDays(present, from, runStart, to + 1);
  return present;
}

/** Flags in `present` (one flag per day from `from`) the working days of `[start, end)`. */
function markWorkingDays(present: Uint8Array, from: number, start: number, end: number): void {
  for (let day = Math.max(start, from); day < end; day += 1)
    if (isWorkingDayNumber(day)) present[day - from] = 1;
}

/** Hours of work per working day the team is currently sustaining; null without enough history. */
export function capacityHoursPerDay(facts: ProjectFacts, policy: DeliveryPolicy): number | null {
  const first = firstLoggedDay(facts);
  const last = lastLoggedDay(facts);
  if (first === null || last === null) return null;
  if (workingDaysBetween(first, facts.asOf) < policy.minEvidence.workingDaysOfHistory) return null;
  // Weeks end at the last day with any time: days with no time at all are absence, not a pace
  // reading. Time still passes, so a real stall shows as forecasts moving later day by day.
  // Only whole weeks after the first logged day count: a partial first week is not a reading.
  // The team's pace is read from the days it worked: a run of a working week or more with nothing
  // booked (a hold, leave, a holiday fortnight the plan allowed for) is absence, so a week is read
  // as its hours over the working days present in it (a week with none present is left out) —
  // the week a project came back from a hold is read at the pace it came back at.
  // Day numbers throughout: this runs for every project on every day a persistence check reads.
  const firstDay = dayNumber(first);
  const lastDay = dayNumber(last);
  const windowStart = lastDay - 7 * CAPACITY_WEEKS + 1;
  // A week before the window covers the working days a run is followed back.
  const scanStart = windowStart - 7;
  const bookedDays = new Uint8Array(lastDay - scanStart + 1);
  const hours = new Array<number>(CAPACITY_WEEKS).fill(0);
  // Days before the scan are passed over by their ISO text, without reading a day number.
  const oldest = fromDayNumber(scanStart);
  for (const d of facts.dailyHours) {
    if (d.date > last || d.date < oldest) continue;
    const day = dayNumber(d.date);
    const age = lastDay - day;
    if (age < 0) continue;
    if (d.hours > 0 && day >= scanStart) bookedDays[day - scanStart] = 1;
    const i = Math.floor(age / 7);
    if (i < CAPACITY_WEEKS) hours[i] = (hours[i] ?? 0) + d.hours;
  }
  const present = presentWorkingDays(bookedDays, scanStart, firstDay, windowStart, lastDay);
  const paces = hours.map((h, i) => {
    let days = 0;
    for (let d = lastDay - 7 * (i + 1) + 1; d <= lastDay - 7 * i; d += 1)
      days += present[d - windowStart] ?? 0;
    return days > 0 ? (h * 5) / days : h;
  });
  const weeks = paces.filter((h, i) => (lastDay - 7 * (i + 1) >= firstDay && h > 0) || i === 0);
  // One weak week (leave, a public holiday) is not the team's pace: drop the weakest week first.
  const trimmed = weeks.length >= 3 ? [...weeks].sort((a, b) => a - b).slice(1) : weeks;
  const med = median(trimmed) ?? 0;
  const recent = mean(weeks.slice(0, 2)) ?? 0;
  const perWeek = Math.max(med, recent);
  return perWeek > 0 ? perWeek / 5 : null;
}

/** Last day with logged time on or before `asOf`, or null. */
function lastLoggedDay(facts: ProjectFacts): IsoDate | null {
  let last: IsoDate | null = null;
  for (const d of facts.dailyHours) {
    if (d.hours > 0 && d.date <= facts.asOf && (last === null || d.date > last)) last = d.date;
  }
  return last;
}

/** An open milestone being forecast. */
interface OpenMilestone {
  plannedStart: IsoDate | null;
  plannedEnd: IsoDate;
  /** The day its phase began: the earlier of its planned start and its first started task. */
  begunOn: IsoDate | null;
  remaining: number;
  blockedDays: number;
  blockedRemaining: number;
  f: MilestoneForecast;
}

/**
 * Forecast every milestone. Milestones at work are forecast earliest-due-first from the pace of the
 * phase at work: all open work due by a milestone's date must be done by then, so its forecast end is
 * today + that work × rate / capacity, with capacity read from the days since the phase began (the
 * team on a design phase is not the team the build phase is planned with). A milestone whose phase
 * has not begun is forecast on its plan, moved by the slip of the open milestones before it beyond
 * the slack the plan leaves between them.
 */
export function scheduleForecast(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  model: EffortModel | null = effortModel(facts),
  blocked: ReadonlyMap<string, number> = new Map(),
): ScheduleForecast {
  const milestones: MilestoneForecast[] = [];
  const open: OpenMilestone[] = [];
  let previousEnd: IsoDate | null = facts.startDate;
  for (const m of [...facts.baseline.milestones].sort((a, b) => a.sequence - b.sequence)) {
    const tasks = facts.tasks.filter((t) => t.milestoneId === m.id);
    const complete = tasks.length > 0 && tasks.every((t) => t.status === 'closed');
    const actualEnd = complete
      ? tasks.reduce<IsoDate | null>(
          (acc, t) =>
            t.closedOn !== null && (acc === null || t.closedOn > acc) ? t.closedOn : acc,
          null,
        )
      : null;
    const f: MilestoneForecast = {
      milestoneId: m.id,
      name: m.name,
      plannedEnd: m.plannedEnd,
      complete,
      actualEnd,
      forecastEnd: null,
      slipWorkingDays:
        complete && actualEnd !== null && m.plannedEnd !== null
          ? workingDaysBetween(m.plannedEnd, actualEnd)
          : null,
      ownerAgentId: m.ownerAgentId,
    };
    milestones.push(f);
    const plannedStart = m.plannedStart ?? previousEnd;
    previousEnd = m.plannedEnd ?? previousEnd;
    if (!complete && tasks.length > 0 && m.plannedEnd !== null) {
      let remaining = 0;
      if (model !== null) for (const t of tasks) remaining += model.remainingHours(t);
      const held = blocked.size === 0 ? [] : tasks.filter((t) => (blocked.get(t.id) ?? 0) > 0);
      const firstWork = tasks.reduce<IsoDate | null>((acc, t) => {
        const d = t.startedOn ?? t.closedOn ?? (t.status === 'open' ? null : facts.asOf);
        return d !== null && d <= facts.asOf && (acc === null || d < acc) ? d : acc;
      }, null);
      const begunOn =
        plannedStart !== null && plannedStart <= facts.asOf
          ? firstWork !== null && firstWork < plannedStart
            ? firstWork
            : plannedStart
          : firstWork;
      open.push({
        plannedStart,
        plannedEnd: m.plannedEnd,
        begunOn,
        remaining,
        blockedDays: Math.max(0, ...held.map((t) => blocked.get(t.id) ?? 0)),
        blockedRemaining: model === null ? 0 : sum(held.map((t) => model.remainingHours(t))),
        f,
      });
    }
  }
  // A milestone is forecast from the team's pace once it has been at work long enough for that
  // pace to be its own; before, it is on its plan.
  const atWork = open.filter(
    (o) =>
      o.begunOn !== null &&
      workingDaysBetween(o.begunOn, facts.asOf) >= policy.minEvidence.workingDaysOfHistory,
  );
  const capacity = capacityHoursPerDay(facts, policy);
  let worst: MilestoneForecast | null = null;
  for (const o of atWork) {
    const overdue = Math.max(0, workingDaysBetween(o.plannedEnd, facts.asOf));
    if (capacity !== null && model !== null) {
      const due = sum(atWork.filter((x) => x.plannedEnd <= o.plannedEnd).map((x) => x.remaining));
      const days = Math.min(
        MAX_SLIP * 2,
        Math.max(Math.ceil(due / capacity), blockedDaysFor(o, capacity)),
      );
      o.f.forecastEnd = addWorkingDays(facts.asOf, Math.max(0, days));
      o.f.slipWorkingDays = Math.min(
        MAX_SLIP,
        Math.max(workingDaysBetween(o.plannedEnd, o.f.forecastEnd), overdue),
      );
    } else if (overdue > 0) {
      o.f.slipWorkingDays = overdue;
    }
    worst = laterOf(worst, o.f);
  }
  // Without a pace, a milestone on its plan is known only to be on it or overdue.
  const paced = capacity !== null && model !== null;
  open.forEach((o, i) => {
    if (atWork.includes(o)) return;
    // Slip carried from the open milestones before it, less the plan's slack in between.
    let carried = 0;
    for (const e of open.slice(0, i)) {
      if (e.f.slipWorkingDays === null || e.plannedEnd > o.plannedEnd) continue;
      const slack =
        o.plannedStart === null
          ? 0
          : Math.max(0, workingDaysBetween(e.plannedEnd, o.plannedStart) - 1);
      carried = Math.max(carried, e.f.slipWorkingDays - slack);
    }
    let forecastEnd = addWorkingDays(o.plannedEnd, Math.max(0, carried));
    if (capacity !== null && o.blockedDays > 0) {
      const held = addWorkingDays(facts.asOf, Math.min(MAX_SLIP * 2, blockedDaysFor(o, capacity)));
      if (held > forecastEnd) forecastEnd = held;
    }
    const overdue = Math.max(0, workingDaysBetween(o.plannedEnd, facts.asOf));
    if (!paced && forecastEnd === o.plannedEnd && overdue === 0) return;
    o.f.forecastEnd = forecastEnd;
    o.f.slipWorkingDays = Math.min(
      MAX_SLIP,
      Math.max(0, workingDaysBetween(o.plannedEnd, forecastEnd), overdue),
    );
    worst = laterOf(worst, o.f);
  });
  const forecastable = model !== null && open.length > 0 && (paced || atWork.length === 0);
  return {
    value: worst?.slipWorkingDays ?? (forecastable ? 0 : null),
    worst,
    capacityHoursPerDay: capacity,
    milestones,
  };
}

/** The forecast slipping further of `worst` and `f` (`worst` on a tie or when `f` has no slip). */
function laterOf(worst: MilestoneForecast | null, f: MilestoneForecast): MilestoneForecast | null {
  const s = f.slipWorkingDays;
  return s !== null && (worst === null || s > (worst.slipWorkingDays ?? -Infinity)) ? f : worst;
}

/**
 * Working days an open milestone's blocked work holds it at capacity `c`: blocked work waits for
 * the blockage; with no end date known, expect it to last as long again as it has so far (a
 * blockage that is days old is likely to clear, weeks old is not).
 */
function blockedDaysFor(o: OpenMilestone, c: number): number {
  return o.blockedDays > 0 ? o.blockedDays + Math.ceil(o.blockedRemaining / c) : 0;
}

/** Share of a milestone's remaining work a hold must carry to count when it is small for the project. */
const MILESTONE_HOLD_SHARE = 0.25;

/** Longest material blockage: held or blocked tasks, overdue dependencies, or the whole project on hold. */
export function blockage(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): Blockage {
  // Tasks by id, built only when some open task names a dependency.
  let byId: Map<string, ProjectTask> | null = null;
  const openTasks = facts.tasks.filter((t) => t.status !== 'closed');
  let remaining = 0;
  for (const t of openTasks) remaining += est?.get(t.id) ?? 1;
  if (facts.status === 'on-hold' && facts.onHoldSince !== null) {
    const days = Math.max(0, workingDaysBetween(facts.onHoldSince, facts.asOf));
    return {
      value: days,
      blockedShare: 1,
      worstTaskId: null,
      ownerAgentId: facts.pmAgentId,
      blockedDaysByTask: new Map(openTasks.map((t) => [t.id, days])),
    };
  }
  // Reverse dependency edges among open tasks: a blocked task also blocks everything downstream.
  const dependents = new Map<string, string[]>();
  for (const t of openTasks) {
    for (const depId of t.dependsOnTaskIds ?? []) {
      const list = dependents.get(depId) ?? [];
      list.push(t.id);
      dependents.set(depId, list);
    }
  }
  let value = 0;
  const blockedIds = new Set<string>();
  const blockedDays = new Map<string, number>();
  let worst: ProjectTask | null = null;
  for (const t of openTasks) {
    let since: IsoDate | null = null;
    if ((t.status === 'on-hold' || t.status === 'blocked') && t.onHoldSince !== null) {
      since = t.onHoldSince;
    }
    for (const depId of t.dependsOnTaskIds ?? []) {
      byId ??= new Map(facts.tasks.map((task) => [task.id, task]));
      const dep = byId.get(depId);
      if (
        dep &&
        dep.status !== 'closed' &&
        dep.targetDate !== null &&
        dep.targetDate < facts.asOf
      ) {
        if (since === null || dep.targetDate < since) since = dep.targetDate;
      }
    }
    if (since === null) continue;
    const affected = downstreamOf(dependents, t.id);
    const days = Math.max(0, workingDaysBetween(since, facts.asOf));
    for (const id of affected) {
      blockedIds.add(id);
      blockedDays.set(id, Math.max(days, blockedDays.get(id) ?? 0));
    }
    const work = sum([...affected].map((id) => est?.get(id) ?? 1));
    const share = remaining > 0 ? work / remaining : 0;
    // A hold is material when it holds up enough of the project, or of its own milestone: a
    // milestone cannot finish while a large part of what is left of it waits.
    const milestoneLeft =
      t.milestoneId === null
        ? 0
        : sum(
            openTasks
              .filter((o) => o.milestoneId === t.milestoneId)
              .map((o) => est?.get(o.id) ?? 1),
          );
    const milestoneShare = milestoneLeft > 0 ? (est?.get(t.id) ?? 1) / milestoneLeft : 0;
    if (share < policy.dependency.minShareOfRemaining && milestoneShare < MILESTONE_HOLD_SHARE)
      continue;
    if (worst === null || days > value) {
      value = days;
      worst = t;
    }
  }
  const blockedWork = sum([...blockedIds].map((id) => est?.get(id) ?? 1));
  return {
    value,
    blockedShare: remaining > 0 ? Math.min(1, blockedWork / remaining) : 0,
    worstTaskId: worst?.id ?? null,
    ownerAgentId: worst ? ownerOf(facts, worst) : null,
    blockedDaysByTask: blockedDays,
  };
}

/** The owner of a held task: its milestone's owner, else its own agent. */
function ownerOf(facts: ProjectFacts, t: ProjectTask): string | null {
  return facts.baseline.milestones.find((m) => m.id === t.milestoneId)?.ownerAgentId ?? t.agentId;
}

/** `root` and every open task waiting on it through `dependents` (reverse dependency edges). */
function downstreamOf(dependents: ReadonlyMap<string, string[]>, root: string): Set<string> {
  const seen = new Set<string>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const next of dependents.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** All three signals for the facts' own day. */
export function signalsFor(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  model: EffortModel | null = effortModel(facts),
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): DaySignals {
  const dependency = blockage(facts, policy, est);
  return {
    date: facts.asOf,
    burn: burnForecast(facts, policy, model),
    schedule: scheduleForecast(facts, policy, model, dependency.blockedDaysByTask),
    dependency,
  };
}
