/**
 * Day-by-day simulation of one project's delivery: the plan (milestones, tasks, estimates, budget) and
 * what actually happens (hours logged, tasks closed, holds). Trouble is a change in the underlying
 * rates (burn per unit of progress, velocity, a blocking dependency) that only becomes visible in
 * HaloPSA weeks later, when a milestone target passes incomplete or logged hours exceed the budget.
 */
import { addWorkingDays, isWeekend, workingDaysBetween } from './calendar';
import type { ProjectIntent } from './dataset';
import { MILESTONE_PLANS, STATUS, TASK_NAMES } from './lookups';
import type { Rng } from './prng';

export type ProjectSituation = ProjectIntent['situation'];

/** Healthy noise that must not be mistaken for trouble. */
export type ProjectNoise = 'burn-spike' | 'short-hold' | 'quiet-week';

/** The missing-data variant. */
export type MissingData = 'no-budget' | 'no-owner' | 'no-timesheets';

/** A hold on a task between two working days (`to` undefined = still on hold at asOf). */
export interface TaskHold {
  from: number;
  to?: number;
  status: number;
  reason: string;
}

export interface SimTask {
  name: string;
  milestone: number;
  estimate: number;
  plannedStart: number;
  plannedEnd: number;
  started?: number;
  closed?: number;
  progress: number;
  hours: number;
  holds: TaskHold[];
}

/** A simulated milestone (days are UTC day numbers). */
export interface SimMilestone {
  name: string;
  startDay: number;
  targetDay: number;
  completeDay?: number;
}

/** Hours logged on one task on one day. */
export interface SimWork {
  task: number;
  day: number;
  hours: number;
}

/** The outcome of one simulation. */
export interface ProjectSim {
  startDay: number;
  tasks: SimTask[];
  milestones: SimMilestone[];
  work: SimWork[];
  plannedRate: number;
  sumEstimate: number;
  budgetHours: number;
  troubleDay?: number;
  noiseDay?: number;
  slipDay?: number;
  overrunDay?: number;
  visibleDay?: number;
  /** Day the last task closed (all work done), if on or before asOf. */
  doneDay?: number;
}

/** Inputs of one simulation attempt. */
export interface ProjectSpec {
  situation: ProjectSituation;
  noise?: ProjectNoise;
  startDay: number;
  asOfDay: number;
}

const quarter = (h: number): number => Math.round(h * 4) / 4;

/** Runs one attempt; the caller checks the outcome matches the intended situation and retries if not. */
export function simulateProject(rng: Rng, spec: ProjectSpec): ProjectSim {
  const { situation, noise, asOfDay } = spec;
  const startDay = addWorkingDays(spec.startDay, 0);
  const nMilestones = rng.int(3, 5);
  const plan = MILESTONE_PLANS[nMilestones] ?? [];
  const plannedRate = rng.float(2.5, 5.5);
  const tasks: SimTask[] = [];
  const milestones: SimMilestone[] = [];
  let cursor = startDay;
  let nameIdx = rng.int(0, TASK_NAMES.length - 1);
  plan.forEach((name, m) => {
    const count = rng.int(3, 5);
    const msStart = cursor;
    let last = cursor;
    for (let k = 0; k < count; k++) {
      const estimate = rng.int(3, 14) * 2;
      const dur = Math.max(1, Math.ceil(estimate / plannedRate));
      const plannedEnd = addWorkingDays(cursor, dur - 1);
      tasks.push({
        name: TASK_NAMES[nameIdx++ % TASK_NAMES.length] ?? 'Task',
        milestone: m,
        estimate,
        plannedStart: cursor,
        plannedEnd,
        progress: 0,
        hours: 0,
        holds: [],
      });
      last = plannedEnd;
      cursor = addWorkingDays(plannedEnd, 1);
    }
    milestones.push({ name, startDay: msStart, targetDay: addWorkingDays(last, rng.int(2, 4)) });
  });
  const sumEstimate = tasks.reduce((s, t) => s + t.estimate, 0);
  const budgetHours = Math.round(sumEstimate * rng.float(1.05, 1.15));
  const plannedDays = workingDaysBetween(startDay, cursor);

  // Underlying rates: healthy teams have a little headroom over the plan.
  const capBase = rng.float(1.02, 1.15);
  const effBase = rng.float(0.86, 0.98);
  const troubled = situation === 'burning' || situation === 'slipping' || situation === 'blocked';
  const troubleDay = troubled
    ? addWorkingDays(startDay, Math.round(plannedDays * rng.float(0.1, 0.5)))
    : undefined;
  const noiseDay = noise
    ? addWorkingDays(startDay, Math.round(plannedDays * rng.float(0.2, 0.7)))
    : undefined;
  const noiseLen = noise === 'short-hold' ? rng.int(2, 4) : 5;
  const burnFactor = rng.float(1.45, 2.1);
  const burnRamp = rng.int(4, 10);
  const burnCompensation = rng.float(0.85, 1.0);
  const velocityDrop = rng.float(0.3, 0.55);
  const blockLen = rng.int(25, 55);

  // A blocked project waits on one task (in the current or the next milestone) for weeks.
  let blockedTask = -1;
  const work: SimWork[] = [];
  let cum = 0;
  let overrunDay: number | undefined;
  const open = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < tasks.length; i++) if (tasks[i]?.closed === undefined) out.push(i);
    return out;
  };

  for (let d = startDay; d <= asOfDay; d++) {
    if (isWeekend(d)) continue;
    const remaining = open();
    if (remaining.length === 0) break;
    let cap = plannedRate * capBase;
    let eff = effBase;
    const sinceNoise = noiseDay === undefined ? -1 : workingDaysBetween(noiseDay, d);
    const inNoise = noiseDay !== undefined && d >= noiseDay && sinceNoise < noiseLen;
    if (inNoise && noise === 'burn-spike') {
      eff *= 2;
      cap *= 1.4;
    }
    if (inNoise && (noise === 'quiet-week' || noise === 'short-hold')) cap = 0;
    if (troubleDay !== undefined && d >= troubleDay) {
      const since = workingDaysBetween(troubleDay, d);
      if (situation === 'burning') {
        const k = Math.min(1, (since + 1) / burnRamp);
        eff *= 1 + (burnFactor - 1) * k;
        cap *= 1 + (burnFactor - 1) * k * burnCompensation;
      } else if (situation === 'slipping') {
        cap *= 1 - (1 - velocityDrop) * Math.min(1, (since + 1) / 4);
      } else if (situation === 'blocked') {
        if (blockedTask < 0) {
          const firstOpen = remaining[0] ?? 0;
          const m = tasks[firstOpen]?.milestone ?? 0;
          const cands = remaining.filter((i) => {
            const tm = tasks[i]?.milestone ?? 0;
            return tm === m || tm === m + 1;
          });
          blockedTask = rng.pick(cands.length > 0 ? cands : remaining);
          const bt = tasks[blockedTask];
          if (bt) {
            bt.started ??= d;
            bt.holds.push({
              from: d,
              status: STATUS.waitingOnDependency,
              reason: rng.pick(BLOCK_REASONS),
            });
          }
        }
        const bt = tasks[blockedTask];
        const hold = bt?.holds[bt.holds.length - 1];
        if (hold && hold.to === undefined && since >= blockLen) hold.to = d;
        cap *= 0.85;
      }
    }
    // Short hold: the current task is put on hold for a few days.
    if (noise === 'short-hold' && noiseDay !== undefined && d === noiseDay) {
      const t = tasks[remaining[0] ?? 0];
      if (t) {
        t.started ??= d;
        t.holds.push({
          from: d,
          to: addWorkingDays(d, noiseLen),
          status: STATUS.onHold,
          reason: 'Customer asked to pause for their month-end',
        });
      }
    }
    let h = quarter(cap * rng.float(0.8, 1.2));
    let guard = 0;
    while (h >= 0.25 && guard++ < 50) {
      const workable = open().filter((i) => !isHeld(tasks[i], d));
      const ti = workable[0];
      if (ti === undefined) break;
      const t = tasks[ti];
      if (!t) break;
      t.started ??= d;
      const need = quarter(Math.max(0.25, (t.estimate - t.progress) * eff));
      const spend = Math.min(h, need);
      t.progress += spend / eff;
      t.hours += spend;
      h -= spend;
      cum += spend;
      const last = work[work.length - 1];
      if (last && last.task === ti && last.day === d) last.hours += spend;
      else work.push({ task: ti, day: d, hours: spend });
      if (overrunDay === undefined && cum > budgetHours) overrunDay = d;
      if (t.progress >= t.estimate - 1e-6) t.closed = d;
    }
  }

  let slipDay: number | undefined;
  for (const [m, ms] of milestones.entries()) {
    const mt = tasks.filter((t) => t.milestone === m);
    const done = mt.every((t) => t.closed !== undefined);
    if (done) ms.completeDay = Math.max(...mt.map((t) => t.closed ?? 0));
    const late = done ? (ms.completeDay ?? 0) > ms.targetDay : ms.targetDay + 1 <= asOfDay;
    if (late) slipDay = Math.min(slipDay ?? Infinity, ms.targetDay + 1);
  }
  const visibleCandidates = [slipDay, overrunDay].filter((d): d is number => d !== undefined);
  const allDone = tasks.every((t) => t.closed !== undefined);
  return {
    startDay,
    tasks,
    milestones,
    work,
    plannedRate,
    sumEstimate,
    budgetHours,
    troubleDay,
    noiseDay,
    slipDay,
    overrunDay,
    visibleDay: visibleCandidates.length > 0 ? Math.min(...visibleCandidates) : undefined,
    doneDay: allDone ? Math.max(...tasks.map((t) => t.closed ?? 0)) : undefined,
  };
}

function isHeld(t: SimTask | undefined, d: number): boolean {
  if (!t) return false;
  return t.holds.some((h) => d >= h.from && (h.to === undefined || d < h.to));
}

const BLOCK_REASONS = [
  'Waiting on hardware delivery from supplier',
  'Waiting on customer to provide admin access',
  'Blocked: ISP circuit install date not confirmed',
  'Waiting on third-party vendor for licence keys',
  'Blocked by customer change freeze',
];

/** Minimum working days between trouble starting and it becoming visible. */
export const MIN_LEAD_DAYS = 20;

/** True when a simulation's outcome matches the intended situation. */
export function matchesSituation(
  sim: ProjectSim,
  situation: ProjectSituation,
  asOfDay: number,
): boolean {
  if (situation === 'healthy' || situation === 'missing-data') return sim.visibleDay === undefined;
  if (sim.visibleDay === undefined || sim.troubleDay === undefined || sim.visibleDay > asOfDay)
    return false;
  if (workingDaysBetween(sim.troubleDay, sim.visibleDay) < MIN_LEAD_DAYS) return false;
  // A burning project overruns materially; a sliver over budget is estimate noise, not trouble.
  if (situation === 'burning') return sim.overrunDay !== undefined && projectedOverrun(sim) >= 0.12;
  if (situation === 'slipping') return sim.slipDay !== undefined && sim.overrunDay === undefined;
  return sim.slipDay !== undefined;
}

/** Hours at completion (at the rate so far) over the budget, minus one: 0.2 means 20 % over. */
export function projectedOverrun(sim: ProjectSim): number {
  const logged = sim.work.reduce((sum, w) => sum + w.hours, 0);
  const earned = sim.tasks.reduce((sum, t) => sum + Math.min(t.progress, t.estimate), 0);
  if (earned <= 0 || sim.budgetHours <= 0) return 0;
  return (logged * (sim.sumEstimate / earned)) / sim.budgetHours - 1;
}
