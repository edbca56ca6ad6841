/**
 * Test support: a small seeded day-by-day simulation of a project, producing honest as-of facts
 * for any day plus the day its trouble (overrun or milestone slip) becomes visible. Used by the
 * scenario and property tests; pure and deterministic.
 */
import {
  addDays,
  addWorkingDays,
  isWorkingDay,
  workingDaysBetween,
  type IsoDate,
} from '../../shared/dates';
import type { ProjectFacts, ProjectTask, TaskStatus } from '../project-facts';

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scenario knobs. Defaults describe a healthy project. */
export interface SimulationOptions {
  seed: number;
  start: IsoDate;
  milestones: number;
  tasksPerMilestone: number;
  /** Planned team hours per working day. */
  plannedHoursPerDay: number;
  /** Actual effort / estimate, on average. */
  productivity: number;
  /** Per-task noise around `productivity` (± fraction). */
  noise: number;
  /** Actual hours per day / planned. */
  capacityFactor: number;
  /** Schedule slack added to milestone dates (fraction). */
  slack: number;
  /** Budget contingency over the total estimate (fraction). */
  contingency: number;
  /** Working-day ranges [from, to) (index from start) with extra hours that earn nothing. */
  spikes: { from: number; to: number; extraHoursPerDay: number }[];
  /**
   * Working-day ranges [from, to) in which work on tasks costs `factor` times the usual hours (a
   * burn spike booked on the tasks themselves, e.g. a week of rework).
   */
  bursts: { from: number; to: number; factor: number }[];
  /** Working-day ranges with no time logged at all. */
  quiet: { from: number; to: number }[];
  /**
   * Working-day ranges [from, to) in which the team books only `factor` of its planned hours (part
   * of the team pulled elsewhere): a resourcing gap.
   */
  understaffed: { from: number; to: number; factor: number }[];
  /**
   * Scope creep: from working day `from`, every `every` working days a task of `hours` is added to
   * the milestone being worked on (created that day); the budget does not change.
   */
  creep: { from: number; every: number; hours: number; count: number } | null;
  /** A task index held [from, to): while held, nobody can work on the project if `stopsWork`. */
  holds: { task: number; from: number; to: number; stopsWork: boolean }[];
  /** From this working day on, productivity becomes `laterProductivity`. */
  changeAt: number | null;
  laterProductivity: number;
  withBudget: boolean;
  withEstimates: boolean;
  /** Tasks worked on at once (hours split evenly). */
  parallel: number;
}

/** Default options (a healthy project). */
export const HEALTHY: SimulationOptions = {
  seed: 1,
  start: '2025-01-06',
  milestones: 4,
  tasksPerMilestone: 6,
  plannedHoursPerDay: 6,
  productivity: 0.95,
  noise: 0.1,
  capacityFactor: 1,
  slack: 0.25,
  contingency: 0.1,
  spikes: [],
  bursts: [],
  quiet: [],
  understaffed: [],
  creep: null,
  holds: [],
  changeAt: null,
  laterProductivity: 1,
  withBudget: true,
  withEstimates: true,
  parallel: 2,
};

/** A simulated project: facts for any day and the visibility date of its trouble. */
export interface SimulatedProject {
  /** Working days the simulation ran (until all tasks closed). */
  days: IsoDate[];
  factsOn(date: IsoDate): ProjectFacts;
  /** First day an overrun or a passed-incomplete milestone is visible; null when never. */
  visibleOn: IsoDate | null;
  budgetHours: number;
  totalActualHours: number;
  /** Worst milestone slip in working days (≤ 0 when all on time). */
  worstSlipWorkingDays: number;
}

interface SimTask {
  id: string;
  /** Day the task was created (plan tasks: the project start). */
  createdOn: IsoDate;
  milestone: number;
  estimate: number;
  required: number;
  logged: { date: IsoDate; hours: number }[];
  startedOn: IsoDate | null;
  closedOn: IsoDate | null;
  done: number;
}

/** Run a simulation. */
export function simulateProject(partial: Partial<SimulationOptions> = {}): SimulatedProject {
  const o: SimulationOptions = { ...HEALTHY, ...partial };
  const rnd = seededRandom(o.seed);
  const tasks: SimTask[] = [];
  for (let m = 0; m < o.milestones; m += 1) {
    for (let k = 0; k < o.tasksPerMilestone; k += 1) {
      const estimate = 8 + Math.round(rnd() * 32);
      tasks.push({
        id: `t${tasks.length + 1}`,
        createdOn: o.start,
        milestone: m,
        estimate,
        required: 0,
        logged: [],
        startedOn: null,
        closedOn: null,
        done: 0,
      });
    }
  }
  const totalEstimate = tasks.reduce((s, t) => s + t.estimate, 0);
  // Milestone plan: cumulative estimate at planned pace plus slack.
  const plannedEnds: IsoDate[] = [];
  let cum = 0;
  for (let m = 0; m < o.milestones; m += 1) {
    cum += tasks.filter((t) => t.milestone === m).reduce((s, t) => s + t.estimate, 0);
    plannedEnds.push(
      addWorkingDays(o.start, Math.ceil((cum / o.plannedHoursPerDay) * (1 + o.slack))),
    );
  }
  const budgetHours = Math.round(totalEstimate * (1 + o.contingency));

  const daily: { date: IsoDate; hours: number }[] = [];
  const days: IsoDate[] = [];
  const inRange = (i: number, r: { from: number; to: number }): boolean => i >= r.from && i < r.to;
  let day = o.start;
  const heldIndex = new Map<number, number>();
  for (let i = 0; i < 400 && tasks.some((t) => t.closedOn === null); i += 1) {
    days.push(day);
    const productivity =
      o.changeAt !== null && i >= o.changeAt ? o.laterProductivity : o.productivity;
    if (o.creep !== null && i >= o.creep.from && (i - o.creep.from) % o.creep.every === 0) {
      const added = tasks.filter((t) => t.createdOn > o.start).length;
      const current = tasks.find((t) => t.closedOn === null);
      if (added < o.creep.count && current) {
        const at = tasks.lastIndexOf(
          tasks.filter((t) => t.milestone === current.milestone).pop() as SimTask,
        );
        tasks.splice(at + 1, 0, {
          id: `t${tasks.length + 1}`,
          createdOn: day,
          milestone: current.milestone,
          estimate: o.creep.hours,
          required: 0,
          logged: [],
          startedOn: null,
          closedOn: null,
          done: 0,
        });
      }
    }
    const staffing = o.understaffed.filter((u) => inRange(i, u)).reduce((f, u) => f * u.factor, 1);
    const burst = o.bursts.filter((b) => inRange(i, b)).reduce((f, b) => f * b.factor, 1);
    let hours = o.quiet.some((q) => inRange(i, q))
      ? 0
      : o.plannedHoursPerDay * o.capacityFactor * staffing;
    // A hold lands on its task, or on the first open task when that one is already done.
    for (const [n, h] of o.holds.entries()) {
      if (i === h.from && !heldIndex.has(n)) {
        const wanted = tasks[h.task];
        heldIndex.set(
          n,
          wanted && wanted.closedOn === null ? h.task : tasks.findIndex((t) => t.closedOn === null),
        );
      }
    }
    const heldTasks = new Set(
      [...o.holds.entries()].filter(([, h]) => inRange(i, h)).map(([n]) => heldIndex.get(n) ?? -1),
    );
    if (o.holds.some((h) => h.stopsWork && inRange(i, h))) hours = 0;
    let logged = 0;
    // Hours go to the first `parallel` open, unheld tasks in plan order; leftovers move on.
    let budget = hours;
    for (let pass = 0; pass < 4 && budget > 1e-9; pass += 1) {
      const active = tasks
        .filter((t, idx) => t.closedOn === null && !heldTasks.has(idx))
        .slice(0, o.parallel);
      if (active.length === 0) break;
      const share = budget / active.length;
      for (const t of active) {
        if (t.required === 0) {
          t.required = t.estimate * productivity * (1 + (rnd() * 2 - 1) * o.noise);
        }
        const h = Math.min(share, (t.required - t.done) * burst);
        t.done += h / burst;
        budget -= h;
        logged += h;
        const last = t.logged[t.logged.length - 1];
        if (last && last.date === day) last.hours += h;
        else t.logged.push({ date: day, hours: h });
        t.startedOn ??= day;
        if (t.done >= t.required - 1e-9) t.closedOn = day;
      }
    }
    const extra = o.spikes.filter((s) => inRange(i, s)).reduce((s, x) => s + x.extraHoursPerDay, 0);
    daily.push({ date: day, hours: logged + extra });
    day = addWorkingDays(day, 1);
  }

  const lastSimDay = days[days.length - 1] ?? o.start;
  let visibleOn: IsoDate | null = null;
  let acc = 0;
  for (const d of daily) {
    acc += d.hours;
    if (acc > budgetHours) {
      visibleOn = d.date;
      break;
    }
  }
  let worstSlip = -Infinity;
  for (let m = 0; m < o.milestones; m += 1) {
    const end = plannedEnds[m] as IsoDate;
    const closed = tasks
      .filter((t) => t.milestone === m)
      .map((t) => t.closedOn ?? '9999-12-31')
      .reduce((a, b) => (a > b ? a : b));
    worstSlip = Math.max(
      worstSlip,
      workingDaysBetween(end, closed > lastSimDay ? lastSimDay : closed),
    );
    if (closed > end) {
      const v = addWorkingDays(end, 1);
      if (visibleOn === null || v < visibleOn) visibleOn = v;
    }
  }

  const lastDay = days[days.length - 1] ?? o.start;
  const factsOn = (date: IsoDate): ProjectFacts => {
    const asTask = (t: SimTask, idx: number): ProjectTask => {
      const closed = t.closedOn !== null && t.closedOn <= date;
      const started = t.startedOn !== null && t.startedOn <= date;
      const hold = o.holds.find(
        (h, n) =>
          heldIndex.get(n) === idx &&
          days[h.from] !== undefined &&
          (days[h.from] as IsoDate) <= date &&
          (days[h.to] ?? '9999-12-31') > date,
      );
      let status: TaskStatus = closed ? 'closed' : started ? 'in-progress' : 'open';
      if (!closed && hold) status = 'on-hold';
      return {
        id: t.id,
        name: `Task ${t.id}`,
        taskType: t.milestone % 2 === 0 ? 'build' : 'config',
        milestoneId: `m${t.milestone + 1}`,
        estimateHours: o.withEstimates ? t.estimate : null,
        loggedHours: t.logged.filter((l) => l.date <= date).reduce((s, l) => s + l.hours, 0),
        status,
        createdOn: t.createdOn,
        startedOn: started ? t.startedOn : null,
        closedOn: closed ? t.closedOn : null,
        onHoldSince: !closed && hold ? (days[hold.from] ?? null) : null,
        targetDate: null,
        agentId: 'a1',
        // Phase gating: a milestone's tasks wait for the previous milestone's tasks.
        dependsOnTaskIds: tasks.filter((x) => x.milestone === t.milestone - 1).map((x) => x.id),
      };
    };
    return {
      projectId: `sim-${o.seed}`,
      name: `Simulated ${o.seed}`,
      clientId: 'c1',
      projectType: 'implementation',
      pmAgentId: 'pm1',
      status: date > lastDay ? 'closed' : 'active',
      onHoldSince: null,
      startDate: o.start,
      targetEndDate: plannedEnds[plannedEnds.length - 1] ?? null,
      closedOn: date > lastDay ? lastDay : null,
      asOf: date,
      baseline: {
        version: 1,
        capturedOn: o.start,
        plannedHours: o.withBudget ? budgetHours : null,
        plannedMoney: o.withBudget ? budgetHours * 100 : null,
        blendedRate: 100,
        plannedRevenue: o.withBudget ? budgetHours * 140 : null,
        milestones: plannedEnds.map((end, m) => ({
          id: `m${m + 1}`,
          name: `Milestone ${m + 1}`,
          sequence: m + 1,
          plannedStart: m === 0 ? o.start : (plannedEnds[m - 1] ?? null),
          plannedEnd: end,
          isGate: m === o.milestones - 1,
          requiredEvidence: m === o.milestones - 1 ? ['deliverables', 'customer-acceptance'] : [],
          ownerAgentId: `owner${m + 1}`,
          weight: 1,
        })),
        workstreamOwners: [{ workstream: 'delivery', agentId: 'owner1' }],
      },
      tasks: tasks.filter((t) => t.createdOn <= date).map(asTask),
      dailyHours: daily
        .filter((d) => d.date <= date && d.hours > 0)
        .map((d) => ({ date: d.date, hours: d.hours, cost: d.hours * 100 })),
      assignedAgents: [
        {
          agentId: 'a1',
          lastTimesheetDate: daily.filter((d) => d.date <= date && d.hours > 0).pop()?.date ?? null,
        },
      ],
      actualRevenue: null,
      dataAsOf: date,
      dataQualityIssues: [],
    };
  };
  return {
    days: [...days, ...[1, 2, 3, 4, 5].map((n) => addWorkingDays(lastDay, n))].filter(isWorkingDay),
    factsOn,
    visibleOn,
    budgetHours,
    totalActualHours: daily.reduce((s, d) => s + d.hours, 0),
    worstSlipWorkingDays: worstSlip,
  };
}

/** Calendar helper re-exported for tests. */
export const nextDay = (d: IsoDate): IsoDate => addDays(d, 1);
