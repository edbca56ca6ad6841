/**
 * How one project actually ran, day by day: a plan (milestones, tasks, budget, team) plus the
 * disturbances of its archetype, simulated into timesheet entries, task closures and status
 * changes. Pure: nothing is written until a run is accepted (see project-scenarios.ts).
 *
 * The team books hours against the first incomplete milestone, aiming to finish its remaining
 * work a little before the milestone's target; what it can book per day is capped by its capacity
 * (the planned daily rate times a headroom). Disturbances change the capacity (holds, quiet weeks,
 * resourcing gaps, blocks), the work still to do (rework, underestimated tasks, added scope) or the
 * plan itself (a re-baseline).
 */
import { addWorkingDays, isWeekend, workingDaysBetween } from '../simulator/calendar';
import type { Rng } from '../simulator/prng';

export interface PlannedTask {
  name: string;
  milestone: number;
  /** Estimate in hours as HaloPSA holds it now (after any revision). */
  estimate: number;
  /** The estimate before a revision, when it was revised (creeping scope). */
  originalEstimate?: number;
  /** Day the estimate was revised. */
  revisedOn?: number;
  /** Hours the work really takes. */
  effort: number;
  /** Day the task was created (scope added later has a later day). */
  createdDay: number;
  engineer: number;
}

export interface PlannedMilestone {
  name: string;
  start: number;
  /** Target day as HaloPSA holds it now. */
  target: number;
  /** The target before a re-baseline moved it. */
  originalTarget?: number;
}

/** A window of days [from, to] (inclusive). */
export interface DayWindow {
  from: number;
  to: number;
}

export interface ProjectDisturbances {
  /** Days with no project work at all: on hold, quiet week, holiday fortnight. */
  idle: Array<DayWindow & { kind: 'hold' | 'quiet' | 'holiday' }>;
  /** Capacity multipliers (a resourcing gap is a window at 0.2). */
  capacity: Array<DayWindow & { mult: number }>;
  /** A burn spike: hours times `mult`, the excess being unplanned rework that does not advance tasks. */
  spike?: DayWindow & { mult: number };
  /** From `day`, the remaining work of every open task grows by `factor` (tasks were underestimated). */
  effortGrowth?: { day: number; factor: number };
  /** From `day`, the capacity headroom changes (the team throws hours at it, or cannot). */
  headroomFrom?: { day: number; headroom: number };
  /** The milestone current on `from` waits on the client or a vendor until `to` (exclusive). */
  block?: DayWindow & { waitingOn: 'client' | 'vendor'; reason: string };
  /** Share of days whose hours are actually entered as timesheets (thin data); 1 = all. */
  recordShare: number;
}

export interface ProjectPlan {
  start: number;
  kickoff: number;
  milestones: PlannedMilestone[];
  tasks: PlannedTask[];
  /** Budget hours as HaloPSA holds it now (0 = none entered). */
  budgetHours: number;
  budgetBefore?: number;
  team: number[];
  /** Capacity as a multiple of the planned daily rate. */
  headroom: number;
  chargeRate: number;
  disturbances: ProjectDisturbances;
}

/** One timesheet entry worked (recorded or not). */
export interface WorkEntry {
  task: number;
  agent: number;
  day: number;
  /** Start, hours after midnight. */
  startHour: number;
  hours: number;
  recorded: boolean;
}

export interface TaskOutcome {
  done: number;
  /** Day and hour the task was closed, when it was. */
  closedDay?: number;
  closedHour?: number;
  startedDay?: number;
}

export interface ProjectRun {
  plan: ProjectPlan;
  entries: WorkEntry[];
  tasks: TaskOutcome[];
  /** Day each milestone completed (all its tasks closed), when it did. */
  milestoneDone: Array<number | undefined>;
  /** Day the blocked task was blocked and which task, when a block happened. */
  blockedTask?: number;
  blockStartedOn?: number;
  /** True when the block was lifted on or before the last data day. */
  unblocked: boolean;
  /** Day the project was closed, when it was. */
  closedOn?: number;
}

const EARLY_START_DAYS = 7;

/** Working days in [from, to]. */
export function workingDaysIn(from: number, to: number): number {
  return workingDaysBetween(from - 1, to);
}

function within(w: DayWindow, day: number): boolean {
  return day >= w.from && day <= w.to;
}

/** Quarter-hour rounding, as engineers enter time. */
function quarter(h: number): number {
  return Math.round(h * 4) / 4;
}

/** Simulates a plan up to `lastDay`; `rng` only varies daily hours and entry times. */
export function runProject(plan: ProjectPlan, lastDay: number, rng: Rng): ProjectRun {
  const d0 = plan.disturbances;
  const effort = plan.tasks.map((t) => t.effort);
  const outcomes: TaskOutcome[] = plan.tasks.map(() => ({ done: 0 }));
  const entries: WorkEntry[] = [];
  const milestoneDone: Array<number | undefined> = plan.milestones.map(() => undefined);
  let grown = false;
  let blockedTask: number | undefined;
  let blockStartedOn: number | undefined;
  let lastWorkDay: number | undefined;

  const tasksOf = (m: number, day: number): number[] =>
    plan.tasks.flatMap((t, i) => (t.milestone === m && t.createdDay <= day ? [i] : []));
  const open = (i: number): boolean => outcomes[i]?.closedDay === undefined;

  for (let day = plan.kickoff; day <= lastDay; day++) {
    if (isWeekend(day)) continue;
    if (d0.effortGrowth && !grown && day >= d0.effortGrowth.day) {
      grown = true;
      plan.tasks.forEach((_, i) => {
        const done = outcomes[i]?.done ?? 0;
        if (open(i)) effort[i] = done + ((effort[i] ?? 0) - done) * d0.effortGrowth!.factor;
      });
    }
    const current = milestoneDone.findIndex((d) => d === undefined);
    if (current < 0) break;
    // Scope added to a milestone that is already done goes to the milestone in progress.
    plan.tasks.forEach((t) => {
      if (t.createdDay === day && milestoneDone[t.milestone] !== undefined) t.milestone = current;
    });
    const ms = plan.milestones[current]!;
    const taskIds = tasksOf(current, day).filter(open);
    if (taskIds.length === 0) continue;
    if (day < ms.start - EARLY_START_DAYS) continue;
    if (d0.idle.some((w) => within(w, day))) continue;

    if (d0.block && blockedTask === undefined && day >= d0.block.from && day < d0.block.to) {
      blockedTask = taskIds[taskIds.length - 1];
      blockStartedOn = day;
    }
    const blocked = d0.block !== undefined && blockedTask !== undefined && day < d0.block.to;
    if (blocked) {
      // While the dependency is outstanding the milestone stalls; the PM chases it weekly.
      if (workingDaysBetween(blockStartedOn ?? day, day) % 5 === 4 && blockedTask !== undefined) {
        effort[blockedTask] = (effort[blockedTask] ?? 0) + 0.5;
        book(blockedTask, plan.team[0] ?? 0, day, 11, 0.5);
      }
      continue;
    }

    const remaining = taskIds.reduce((s, i) => s + (effort[i] ?? 0) - (outcomes[i]?.done ?? 0), 0);
    const window = Math.max(1, workingDaysIn(ms.start, ms.target));
    const planned = tasksOf(current, day).reduce((s, i) => s + (plan.tasks[i]?.estimate ?? 0), 0);
    const plannedRate = planned / window;
    const headroom =
      d0.headroomFrom && day >= d0.headroomFrom.day ? d0.headroomFrom.headroom : plan.headroom;
    const capMult = d0.capacity.reduce((m, w) => (within(w, day) ? m * w.mult : m), 1);
    const capacity = plannedRate * headroom * capMult;
    // Teams aim to finish a milestone a few working days before its target, not on the day.
    const left = workingDaysIn(day, ms.target) - Math.max(2, Math.round(window * 0.15));
    const demand =
      left <= 0 ? capacity : Math.max((remaining / left) * 1.12, Math.min(remaining, 3));
    let hours = quarter(Math.min(demand, capacity) * rng.float(0.8, 1.2));
    if (hours < 0.5) {
      if (capacity < 0.5) continue;
      hours = 0.5;
    }
    let rework = 0;
    if (d0.spike && within(d0.spike, day)) {
      rework = quarter(hours * (d0.spike.mult - 1));
    }
    const engineers = Math.min(plan.team.length, Math.max(1, Math.ceil((hours + rework) / 7)));
    const split = Math.min(9, quarter((hours + rework) / engineers));
    let reworkLeft = rework;
    let startHour = 9 + rng.int(0, 4) * 0.25;
    for (let e = 0; e < engineers; e++) {
      const task = taskIds.find(open);
      if (task === undefined) break;
      // Rework is time spent on the task that does not move it forward.
      const extra = Math.min(reworkLeft, split);
      reworkLeft -= extra;
      effort[task] = (effort[task] ?? 0) + extra;
      book(task, plan.team[e % plan.team.length] ?? 0, day, startHour, split);
      startHour += 0.25;
    }
    if (tasksOf(current, day).every((i) => !open(i))) milestoneDone[current] = day;
  }

  function book(task: number, agent: number, day: number, startHour: number, hours: number): void {
    const o = outcomes[task]!;
    o.startedDay ??= day;
    const recorded = d0.recordShare >= 1 || rng.chance(d0.recordShare);
    entries.push({ task, agent, day, startHour, hours, recorded });
    o.done += hours;
    lastWorkDay = day;
    if (o.done >= (effort[task] ?? 0) - 1e-9 && !(blockedTask === task && isBlockedOn(day))) {
      o.closedDay = day;
      o.closedHour = Math.min(23.5, startHour + hours + 0.25);
    }
  }

  function isBlockedOn(day: number): boolean {
    return d0.block !== undefined && day >= d0.block.from && day < d0.block.to;
  }

  const allDone = milestoneDone.every((d) => d !== undefined);
  let closedOn: number | undefined;
  if (allDone && lastWorkDay !== undefined) {
    const last = Math.max(...milestoneDone.map((d) => d ?? 0));
    const close = addWorkingDays(last, 1 + rng.int(0, 3));
    if (close <= lastDay) closedOn = close;
  }
  return {
    plan,
    entries,
    tasks: outcomes,
    milestoneDone,
    blockedTask,
    blockStartedOn,
    unblocked: d0.block !== undefined && d0.block.to <= lastDay,
    closedOn,
  };
}

/** What a run's records show by `lastDay`: the first day a slip and an overrun are visible. */
export interface RunVisibility {
  slipOn?: number;
  overrunOn?: number;
}

/**
 * First slip: the day after a milestone's (current) target when the milestone was not complete by
 * the end of its target day. First overrun: the day the recorded hours first exceed the budget.
 */
export function runVisibility(run: ProjectRun, lastDay: number): RunVisibility {
  let slipOn: number | undefined;
  run.plan.milestones.forEach((m, i) => {
    const tasks = run.plan.tasks.flatMap((t, k) => (t.milestone === i ? [run.tasks[k]] : []));
    const closed = tasks.map((t) => t?.closedDay);
    const done = closed.some((d) => d === undefined)
      ? undefined
      : Math.max(...closed.map((d) => d ?? 0));
    if ((done === undefined || done > m.target) && m.target + 1 <= lastDay) {
      slipOn = slipOn === undefined ? m.target + 1 : Math.min(slipOn, m.target + 1);
    }
  });
  let overrunOn: number | undefined;
  if (run.plan.budgetHours > 0) {
    let sum = 0;
    const sorted = run.entries
      .filter((e) => e.recorded)
      .sort((a, b) => a.day - b.day || a.startHour - b.startHour);
    for (const e of sorted) {
      sum += e.hours;
      if (sum > run.plan.budgetHours + 1e-9) {
        overrunOn = e.day;
        break;
      }
    }
  }
  return { slipOn, overrunOn };
}
