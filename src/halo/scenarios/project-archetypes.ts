/**
 * The project archetypes of the independent library: how each one's plan and disturbances are
 * drawn, and what a run must show to be accepted as that archetype.
 */
import { addWorkingDays, isWeekend, workingDaysBetween } from '../simulator/calendar';
import type { ProjectIntent } from '../simulator/dataset';
import type { Rng } from '../simulator/prng';
import {
  runVisibility,
  workingDaysIn,
  type PlannedMilestone,
  type PlannedTask,
  type ProjectPlan,
  type ProjectRun,
  type RunVisibility,
} from './project-run';

export type ProjectArchetype =
  | 'healthy-on-track'
  | 'healthy-closed'
  | 'healthy-new'
  | 'healthy-under-budget'
  | 'burn-spike-recovers'
  | 'short-hold'
  | 'quiet-week'
  | 'thin-data'
  | 'late-baseline'
  | 're-baselined'
  | 'resourcing-gap'
  | 'creeping-scope'
  | 'blocked-dependency'
  | 'burn-overrun'
  | 'schedule-slip';

/** Mix of a portfolio: weights (per 60 projects); every archetype appears at least once. */
export const PROJECT_MIX: ReadonlyArray<[ProjectArchetype, number]> = [
  ['healthy-on-track', 7],
  ['healthy-closed', 4],
  ['healthy-new', 2],
  ['healthy-under-budget', 3],
  ['burn-spike-recovers', 5],
  ['short-hold', 4],
  ['quiet-week', 4],
  ['thin-data', 4],
  ['late-baseline', 3],
  ['re-baselined', 4],
  ['resourcing-gap', 4],
  ['creeping-scope', 4],
  ['blocked-dependency', 4],
  ['burn-overrun', 4],
  ['schedule-slip', 4],
];

/** Archetypes whose trouble (a slip or an overrun) must really happen and be visible by asOf. */
export const TROUBLED: ReadonlySet<ProjectArchetype> = new Set([
  'resourcing-gap',
  'creeping-scope',
  'blocked-dependency',
  'burn-overrun',
  'schedule-slip',
]);

const PROJECT_NAMES = [
  'Microsoft 365 tenant migration',
  'Firewall and SD-WAN rollout',
  'Windows 11 upgrade',
  'Azure Virtual Desktop deployment',
  'Backup and DR overhaul',
  'New office fit-out (IT)',
  'Intune device enrolment',
  'Network switching refresh',
  'Email security hardening',
  'VoIP phone system migration',
  'File server to SharePoint migration',
  'Cyber Essentials Plus readiness',
  'Wireless survey and upgrade',
  'Line-of-business app upgrade',
  'Server virtualisation refresh',
] as const;

const MILESTONE_NAMES: Readonly<Record<number, readonly string[]>> = {
  3: ['Discovery & design', 'Build & migrate', 'Gate: Go-live sign-off'],
  4: ['Assessment', 'Gate: Design approval', 'Implementation', 'Gate: Customer acceptance'],
  5: ['Kick-off & discovery', 'Gate: Design approval', 'Pilot', 'Rollout', 'Gate: Handover'],
};

const TASK_NAMES = [
  'Stakeholder workshop',
  'Inventory and audit',
  'High-level design',
  'Low-level design',
  'Order hardware and licences',
  'Build configuration',
  'Pilot group cutover',
  'Bulk cutover',
  'Acceptance testing',
  'User training',
  'As-built documentation',
  'Hypercare',
  'Decommission old platform',
  'Security review',
  'Network readiness check',
  'Data migration dry run',
  'Licence assignment',
  'Change advisory board pack',
  'Site survey',
  'Backup verification',
  'Cutover rehearsal',
  'Service desk handover',
] as const;

const BLOCK_REASONS: ReadonlyArray<['client' | 'vendor', string]> = [
  ['client', 'client to approve the firewall change window'],
  ['client', 'client to provide admin access to their line-of-business app'],
  ['client', 'client sign-off on the design document'],
  ['vendor', 'distributor: switches back-ordered'],
  ['vendor', 'carrier to deliver the new leased line'],
  ['vendor', 'software vendor to issue migration licences'],
];

/** Extra facts of a scenario the record writer turns into notes. */
export interface ScenarioFacts {
  name: string;
  /** Day the baseline (budget and targets) was entered, when late. */
  baselineOn?: number;
  /** A re-baseline: the day it was agreed, the change request and the budget before it. */
  rebaseline?: { day: number; changeRequest: number; budgetBefore: number };
  /** The day the cause of trouble starts. */
  troubleStartsOn?: number;
  missing?: 'no-budget' | 'no-owner' | 'no-timesheets';
  noise?: string;
}

/** A drawn scenario: the plan to run and the facts around it. */
export interface DrawnProject {
  archetype: ProjectArchetype;
  plan: ProjectPlan;
  facts: ScenarioFacts;
}

/** The working day `n` working days before `day`. */
export function workingDaysBefore(day: number, n: number): number {
  let d = day;
  let left = n;
  while (left > 0) {
    d--;
    if (!isWeekend(d)) left--;
  }
  return d;
}

function workingDay(day: number): number {
  return addWorkingDays(day, 0);
}

interface Shape {
  start: number;
  milestones: number;
  window: [number, number];
  /** Index of a long milestone (trouble happens inside it) and its window. */
  long?: { index: number; window: [number, number] };
  effort: [number, number];
}

function basePlan(rng: Rng, team: number[], shape: Shape): ProjectPlan {
  const start = workingDay(shape.start);
  const kickoff = addWorkingDays(start, rng.int(3, 8));
  const names = MILESTONE_NAMES[shape.milestones] ?? MILESTONE_NAMES[4]!;
  const milestones: PlannedMilestone[] = [];
  const tasks: PlannedTask[] = [];
  let from = kickoff;
  const pool = rng.shuffle([...TASK_NAMES]);
  names.forEach((name, i) => {
    const [lo, hi] = shape.long?.index === i ? shape.long.window : shape.window;
    const wd = rng.int(lo, hi);
    const target = addWorkingDays(from, wd - 1);
    milestones.push({ name, start: from, target });
    const total = wd * rng.float(3, 6.5);
    const n = rng.int(2, 4);
    const taskNames = pool.splice(0, n);
    const shares = taskNames.map(() => rng.float(0.6, 1.4));
    const sum = shares.reduce((a, b) => a + b, 0);
    taskNames.forEach((taskName, k) => {
      const estimate = Math.max(4, Math.round((total * (shares[k] ?? 1)) / sum));
      tasks.push({
        name: taskName,
        milestone: i,
        estimate,
        effort: estimate * rng.float(shape.effort[0], shape.effort[1]),
        createdDay: start,
        engineer: team[k % team.length] ?? 0,
      });
    });
    from = addWorkingDays(target, 1);
  });
  const estimates = tasks.reduce((s, t) => s + t.estimate, 0);
  return {
    start,
    kickoff,
    milestones,
    tasks,
    budgetHours: Math.round((estimates * rng.float(1.1, 1.2)) / 5) * 5,
    team,
    headroom: 1.6,
    chargeRate: 150,
    disturbances: { idle: [], capacity: [], recordShare: 1 },
  };
}

function projectEnd(plan: ProjectPlan): number {
  return plan.milestones[plan.milestones.length - 1]?.target ?? plan.kickoff;
}

/** A working day strictly inside the project's span, `margin` working days from either end. */
function midProjectDay(rng: Rng, plan: ProjectPlan, lastDay: number, margin: number): number {
  const from = addWorkingDays(plan.kickoff, margin);
  const to = workingDaysBefore(Math.min(projectEnd(plan), lastDay), margin);
  return addWorkingDays(from, rng.int(0, Math.max(0, workingDaysBetween(from, to))));
}

/** The last Christmas Day in [from, to], if any. */
function christmasIn(from: number, to: number): number | undefined {
  for (let d = to; d >= from; d--) {
    const iso = new Date(d * 86_400_000).toISOString();
    if (iso.slice(5, 10) === '12-25') return d;
  }
  return undefined;
}

/** Draws one project of an archetype; `variant` cycles sub-kinds (thin data, quiet week). */
export function drawProject(
  archetype: ProjectArchetype,
  rng: Rng,
  lastDay: number,
  team: number[],
  variant: number,
): DrawnProject {
  const name = rng.pick(PROJECT_NAMES);
  const healthyEffort: [number, number] = [0.84, 0.97];
  const shape = (start: number, window: [number, number] = [14, 30]): Shape => ({
    start,
    milestones: rng.int(3, 5),
    window,
    effort: healthyEffort,
  });
  const facts: ScenarioFacts = { name };
  const draw = (plan: ProjectPlan): DrawnProject => ({ archetype, plan, facts });
  switch (archetype) {
    case 'healthy-on-track':
      return draw(basePlan(rng, team, shape(lastDay - rng.int(20, 200))));
    case 'healthy-closed':
      return draw(
        basePlan(rng, team, { ...shape(lastDay - rng.int(150, 280), [8, 16]), milestones: 3 }),
      );
    case 'healthy-new':
      return draw(basePlan(rng, team, shape(lastDay - rng.int(8, 30))));
    case 'healthy-under-budget':
      return draw(
        basePlan(rng, team, { ...shape(lastDay - rng.int(60, 220)), effort: [0.68, 0.8] }),
      );
    case 'burn-spike-recovers': {
      const plan = basePlan(rng, team, {
        ...shape(lastDay - rng.int(70, 200), [16, 30]),
        effort: [0.8, 0.88],
      });
      const from = midProjectDay(rng, plan, workingDaysBefore(lastDay, 12), 10);
      plan.disturbances.spike = { from, to: addWorkingDays(from, 4), mult: rng.float(2.2, 2.7) };
      facts.noise = 'burn-spike';
      return draw(plan);
    }
    case 'short-hold': {
      const plan = basePlan(rng, team, shape(lastDay - rng.int(60, 200), [16, 30]));
      const from = midProjectDay(rng, plan, workingDaysBefore(lastDay, 12), 8);
      plan.disturbances.idle.push({ from, to: addWorkingDays(from, rng.int(2, 6)), kind: 'hold' });
      facts.noise = 'short-hold';
      return draw(plan);
    }
    case 'quiet-week': {
      const xmas = christmasIn(lastDay - 365, lastDay - 40);
      if (xmas !== undefined && variant % 2 === 1) {
        const plan = basePlan(rng, team, shape(xmas - rng.int(25, 55), [18, 28]));
        const holiday = { from: xmas - 3, to: xmas + 8, kind: 'holiday' as const };
        plan.disturbances.idle.push(holiday);
        // The plan knows about the holidays: targets after them move by the working days lost.
        const lost = workingDaysIn(holiday.from, holiday.to);
        for (const m of plan.milestones) {
          if (m.start > holiday.to) m.start = addWorkingDays(m.start, lost);
          if (m.target >= holiday.from) m.target = addWorkingDays(m.target, lost);
        }
        facts.noise = 'holiday-fortnight';
        return draw(plan);
      }
      const plan = basePlan(rng, team, shape(lastDay - rng.int(60, 200), [16, 30]));
      const from = midProjectDay(rng, plan, workingDaysBefore(lastDay, 12), 8);
      plan.disturbances.idle.push({ from, to: addWorkingDays(from, 4), kind: 'quiet' });
      facts.noise = 'quiet-week';
      return draw(plan);
    }
    case 'thin-data': {
      const plan = basePlan(rng, team, shape(lastDay - rng.int(40, 200)));
      const missing = (['no-budget', 'no-owner', 'no-timesheets'] as const)[variant % 3]!;
      if (missing === 'no-budget') plan.budgetHours = 0;
      if (missing === 'no-timesheets') plan.disturbances.recordShare = 0.1;
      facts.missing = missing;
      return draw(plan);
    }
    case 'late-baseline': {
      const plan = basePlan(rng, team, shape(lastDay - rng.int(70, 200)));
      facts.baselineOn = addWorkingDays(plan.kickoff, rng.int(12, 25));
      facts.noise = 'late-baseline';
      return draw(plan);
    }
    case 're-baselined':
      return draw(rebaselined(rng, team, lastDay, facts));
    default:
      return draw(troubled(archetype, rng, team, lastDay, facts));
  }
}

function rebaselined(rng: Rng, team: number[], lastDay: number, facts: ScenarioFacts): ProjectPlan {
  const plan = basePlan(rng, team, {
    ...{ start: lastDay - rng.int(90, 220), milestones: rng.int(3, 5), window: [12, 20] },
    long: { index: 1, window: [22, 30] },
    effort: [0.86, 0.95],
  });
  const j = 1;
  const m = plan.milestones[j]!;
  const day = workingDaysBefore(m.target, rng.int(8, 14));
  const planned = plan.tasks.filter((t) => t.milestone === j).reduce((s, t) => s + t.estimate, 0);
  const added = Math.round(planned * rng.float(0.35, 0.55));
  const rate = planned / Math.max(1, workingDaysIn(m.start, m.target));
  const shift = Math.ceil(added / rate) + rng.int(3, 6);
  plan.tasks.push({
    name: 'Change request: additional sites',
    milestone: j,
    estimate: added,
    effort: added * rng.float(0.9, 0.97),
    createdDay: day,
    engineer: team[0] ?? 0,
  });
  plan.milestones.forEach((ms, i) => {
    if (i < j) return;
    if (i === j) ms.originalTarget = ms.target;
    if (i > j) ms.start = addWorkingDays(ms.start, shift);
    ms.target = addWorkingDays(ms.target, shift);
  });
  const budgetBefore = plan.budgetHours;
  plan.budgetHours = budgetBefore + Math.round((added * 1.15) / 5) * 5;
  facts.rebaseline = { day, changeRequest: 100 + rng.int(1, 899), budgetBefore };
  facts.noise = 're-baselined';
  return plan;
}

function troubled(
  archetype: ProjectArchetype,
  rng: Rng,
  team: number[],
  lastDay: number,
  facts: ScenarioFacts,
): ProjectPlan {
  const milestones = rng.int(3, 5);
  const long = rng.int(1, milestones - 2);
  const plan = basePlan(rng, team, {
    start: lastDay - rng.int(75, 230),
    milestones,
    window: [10, 20],
    long: { index: long, window: [32, 42] },
    effort: [0.86, 0.96],
  });
  const m = plan.milestones[long]!;
  const x = addWorkingDays(m.start, rng.int(2, Math.max(2, workingDaysIn(m.start, m.target) - 26)));
  const d = plan.disturbances;
  facts.troubleStartsOn = x;
  switch (archetype) {
    case 'resourcing-gap':
      d.capacity.push({ from: x, to: addWorkingDays(m.target, rng.int(5, 20)), mult: 0.2 });
      break;
    case 'blocked-dependency': {
      const [waitingOn, reason] = rng.pick(BLOCK_REASONS);
      d.block = { from: x, to: addWorkingDays(m.target, rng.int(3, 25)), waitingOn, reason };
      break;
    }
    case 'schedule-slip':
      d.effortGrowth = { day: x, factor: rng.float(1.6, 1.9) };
      d.headroomFrom = { day: x, headroom: 1.0 };
      break;
    case 'burn-overrun': {
      const early = addWorkingDays(plan.kickoff, rng.int(8, 18));
      facts.troubleStartsOn = early;
      d.effortGrowth = { day: early, factor: rng.float(1.8, 2.3) };
      d.headroomFrom = { day: early, headroom: 2.8 };
      break;
    }
    case 'creeping-scope': {
      const early = addWorkingDays(plan.kickoff, rng.int(6, 14));
      facts.troubleStartsOn = early;
      plan.headroom = 2.4;
      const adds = [0, rng.int(8, 12), rng.int(18, 25)];
      adds.forEach((offset, k) => {
        const day = addWorkingDays(early, offset);
        const ms = plan.milestones.findIndex((x2) => x2.target >= day);
        const estimate = rng.int(16, 40);
        plan.tasks.push({
          name: `Additional scope: ${['extra site', 'more users', 'second tenant'][k] ?? 'extra'}`,
          milestone: Math.max(0, ms),
          estimate,
          effort: estimate * rng.float(0.95, 1.05),
          createdDay: day,
          engineer: team[k % team.length] ?? 0,
        });
      });
      // Estimates of later work revised upwards; the budget is not.
      for (const t of plan.tasks) {
        const ms = plan.milestones[t.milestone];
        if (!ms || ms.start <= early || t.createdDay > plan.start || !rng.chance(0.6)) continue;
        const factor = rng.float(1.3, 1.5);
        t.originalEstimate = t.estimate;
        t.estimate = Math.round(t.estimate * factor);
        t.effort *= factor;
        t.revisedOn = addWorkingDays(early, rng.int(0, 10));
      }
      break;
    }
    default:
      break;
  }
  return plan;
}

/** Why a run is not (yet) a faithful instance of its archetype, or undefined when it is. */
export function rejection(
  drawn: DrawnProject,
  run: ProjectRun,
  vis: RunVisibility,
  lastDay: number,
): string | undefined {
  const { archetype, plan, facts } = drawn;
  const visible = firstOf(vis);
  if (plan.tasks.some((t) => t.createdDay > lastDay)) return 'a task is dated after asOf';
  if (TROUBLED.has(archetype)) {
    const start = facts.troubleStartsOn ?? plan.kickoff;
    if (visible === undefined) return 'trouble never became visible';
    if (visible > lastDay) return 'visible only after asOf';
    if (workingDaysBetween(start, visible) < 20) return 'visible too soon after the cause';
    const burn = archetype === 'burn-overrun' || archetype === 'creeping-scope';
    if (burn && vis.overrunOn === undefined) return 'no overrun';
    if (!burn && vis.slipOn === undefined) return 'no slip';
    if (archetype === 'blocked-dependency' && run.blockStartedOn === undefined) return 'no block';
    return undefined;
  }
  if (visible !== undefined) return 'untroubled project shows a slip or overrun';
  if (plan.kickoff > lastDay) return 'not started';
  if (archetype === 'healthy-closed' && run.closedOn === undefined) return 'not closed';
  const windows = [
    ...plan.disturbances.idle,
    ...(plan.disturbances.spike ? [plan.disturbances.spike] : []),
  ];
  for (const w of windows) {
    const before = run.entries.some((e) => e.day < w.from);
    const after = run.entries.some((e) => e.day > w.to);
    if (!before || !after) return 'noise window outside the active project';
  }
  if (plan.disturbances.spike) {
    const s = plan.disturbances.spike;
    if (!run.entries.some((e) => e.day >= s.from && e.day <= s.to)) return 'no spike hours';
  }
  if (facts.rebaseline) {
    const j = plan.milestones.findIndex((m) => m.originalTarget !== undefined);
    const orig = plan.milestones[j]?.originalTarget ?? 0;
    const done = run.milestoneDone[j];
    if (done === undefined || done <= orig) return 're-baseline made no difference';
    if (facts.rebaseline.day > lastDay) return 're-baseline after asOf';
  }
  if (facts.baselineOn !== undefined && facts.baselineOn > lastDay) return 'baseline after asOf';
  if (facts.missing === 'no-timesheets' && run.entries.filter((e) => e.recorded).length === 0) {
    return 'no entries at all';
  }
  return undefined;
}

export function firstOf(vis: RunVisibility): number | undefined {
  const days = [vis.slipOn, vis.overrunOn].filter((d): d is number => d !== undefined);
  return days.length > 0 ? Math.min(...days) : undefined;
}

/** The truth label of an accepted run. */
export function projectIntent(
  projectId: number,
  drawn: DrawnProject,
  run: ProjectRun,
  lastDay: number,
  isoDate: (day: number) => string,
): ProjectIntent {
  const vis = runVisibility(run, lastDay);
  const visible = firstOf(vis);
  const { archetype, facts } = drawn;
  const troubled = TROUBLED.has(archetype);
  const situation: ProjectIntent['situation'] = facts.missing
    ? 'missing-data'
    : archetype === 'burn-overrun' || archetype === 'creeping-scope'
      ? 'burning'
      : archetype === 'blocked-dependency'
        ? 'blocked'
        : archetype === 'resourcing-gap' || archetype === 'schedule-slip'
          ? 'slipping'
          : 'healthy';
  const expectedDriver: ProjectIntent['expectedDriver'] = !troubled
    ? null
    : situation === 'burning'
      ? 'burn'
      : situation === 'blocked'
        ? 'dependency'
        : 'schedule';
  const troubleStart =
    archetype === 'blocked-dependency'
      ? (run.blockStartedOn ?? facts.troubleStartsOn)
      : facts.troubleStartsOn;
  return {
    projectId,
    archetype,
    situation,
    ...(troubled && troubleStart !== undefined ? { troubleStartsOn: isoDate(troubleStart) } : {}),
    ...(visible !== undefined ? { visibleOn: isoDate(visible) } : {}),
    expectedDriver,
    slipped: vis.slipOn !== undefined,
    overran: vis.overrunOn !== undefined,
    ...(facts.noise ? { noise: facts.noise } : {}),
    ...(facts.missing ? { missing: facts.missing } : {}),
    closed: run.closedOn !== undefined,
  };
}
