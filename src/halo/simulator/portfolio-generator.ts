/** Generates the project portfolio: projects, milestones, tasks, their actions and timesheet events. */
import { addWorkingDays, dayMs, HOUR_MS, isoDate, isoLocal, isoZ, isWeekend } from './calendar';
import type { ProjectIntent } from './dataset';
import type { HaloRecord } from './record-collection';
import type { GeneratorContext } from './generator-context';
import { PROJECT_NAMES, STATUS, TICKET_TYPE } from './lookups';
import type { Rng } from './prng';
import {
  matchesSituation,
  simulateProject,
  type MissingData,
  type ProjectNoise,
  type ProjectSim,
  type ProjectSituation,
} from './project-simulation';
import { round2, TICKET_KIND } from './ticket-store';

/** A client a project can belong to. */
export interface PortfolioClient {
  id: number;
  name: string;
}

const SITUATION_SHARE: ReadonlyArray<[ProjectSituation, number]> = [
  ['healthy', 0.4],
  ['burning', 0.17],
  ['slipping', 0.17],
  ['blocked', 0.13],
  ['missing-data', 0.13],
];

const NOISES: ReadonlyArray<ProjectNoise | undefined> = [
  'burn-spike',
  'short-hold',
  'quiet-week',
  undefined,
];
const MISSING: readonly MissingData[] = ['no-budget', 'no-owner', 'no-timesheets', 'no-budget'];

/** Generates `count` projects; returns the intent per project. */
export function generatePortfolio(
  ctx: GeneratorContext,
  rng: Rng,
  count: number,
  clients: readonly PortfolioClient[],
): ProjectIntent[] {
  const situations: ProjectSituation[] = [];
  for (const [s, share] of SITUATION_SHARE) {
    const n = Math.max(2, Math.round(share * count * rng.float(0.85, 1.15)));
    for (let i = 0; i < n; i++) situations.push(s);
  }
  rng.shuffle(situations);
  situations.length = Math.min(situations.length, count);
  while (situations.length < count) situations.push('healthy');
  let noiseIdx = rng.int(0, 3);
  let missingIdx = rng.int(0, 3);
  const intents: ProjectIntent[] = [];
  for (let p = 0; p < count; p++) {
    const situation = situations[p] ?? 'healthy';
    const noise = situation === 'healthy' ? NOISES[noiseIdx++ % NOISES.length] : undefined;
    const missing =
      situation === 'missing-data' ? MISSING[missingIdx++ % MISSING.length] : undefined;
    const closedTarget = rng.chance(0.22);
    const client = rng.pick(clients);
    const prng = rng.fork(p);
    const { sim, actual } = simulateUntilMatch(prng, ctx.asOfDay, situation, noise, closedTarget);
    intents.push(emitProject(ctx, prng, client, actual, sim, noise, missing));
  }
  return intents;
}

/** True when the project's work is not finished by asOf (it would not be closed yet). */
function stillRunning(sim: ProjectSim, asOfDay: number): boolean {
  return sim.doneDay === undefined || sim.doneDay >= asOfDay - 3;
}

function simulateUntilMatch(
  rng: Rng,
  asOfDay: number,
  situation: ProjectSituation,
  noise: ProjectNoise | undefined,
  closedTarget: boolean,
): { sim: ProjectSim; actual: ProjectSituation } {
  const troubled = situation !== 'healthy' && situation !== 'missing-data';
  let last: ProjectSim | undefined;
  for (let attempt = 0; attempt < 80; attempt++) {
    const back = closedTarget ? rng.int(110, 190) : troubled ? rng.int(80, 220) : rng.int(30, 160);
    const sim = simulateProject(rng, { situation, noise, startDay: asOfDay - back, asOfDay });
    // Projects not meant to be closed are still running on asOf: the demo portfolio is live.
    const shapeOk = closedTarget || attempt >= 60 || stillRunning(sim, asOfDay);
    if (shapeOk && matchesSituation(sim, situation, asOfDay)) return { sim, actual: situation };
    last = sim;
  }
  // Fall back to a plain healthy project rather than record an intent the data contradicts.
  for (let attempt = 0; attempt < 80; attempt++) {
    const sim = simulateProject(rng, {
      situation: 'healthy',
      startDay: asOfDay - rng.int(40, 200),
      asOfDay,
    });
    if (matchesSituation(sim, 'healthy', asOfDay)) return { sim, actual: 'healthy' };
    last = sim;
  }
  if (!last) throw new Error('unreachable');
  return { sim: last, actual: situation };
}

const HEALTHY_NOTES = [
  'Weekly update: on track, no new risks.',
  'Weekly update: customer happy with progress.',
  'Weekly update: tasks progressing to plan.',
  'Weekly update: no blockers this week.',
];
const TROUBLE_NOTES: Readonly<Record<string, readonly string[]>> = {
  burning: [
    'Weekly update: configuration taking longer than expected.',
    'Weekly update: extra rework after customer review.',
    'Weekly update: more effort than estimated on migration batches.',
  ],
  slipping: [
    'Weekly update: engineer pulled onto a P1 for another client.',
    'Weekly update: fewer hours available this week, resourcing tight.',
    'Weekly update: progress slower than planned.',
  ],
  blocked: [
    'Weekly update: still waiting on the dependency, chased again.',
    'Weekly update: escalated the dependency with the customer.',
  ],
};

function emitProject(
  ctx: GeneratorContext,
  rng: Rng,
  client: PortfolioClient,
  situation: ProjectSituation,
  sim: ProjectSim,
  noise: ProjectNoise | undefined,
  missing: MissingData | undefined,
): ProjectIntent {
  const { tickets, actions, timesheets, asOfDay } = ctx;
  const noOwner = missing === 'no-owner';
  const noBudget = missing === 'no-budget';
  const noTime = missing === 'no-timesheets';
  const pm = noOwner ? 0 : rng.pick(ctx.pms);
  const team = rng.shuffle([...ctx.engineers]).slice(0, rng.int(1, 3));
  const rate = rng.pick([120, 135, 150, 165]);
  const name = `${rng.pick(PROJECT_NAMES)} - ${client.name}`;
  const createdMs = dayMs(sim.startDay - rng.int(5, 15)) + 9.5 * HOUR_MS;
  const lastMs = sim.milestones[sim.milestones.length - 1]?.targetDay ?? sim.startDay;
  const projectId = tickets.add({
    kind: TICKET_KIND.project,
    client: client.id,
    agent: pm,
    type: TICKET_TYPE.project,
    priority: 3,
    summary: tickets.text.intern(name),
    details: tickets.text.intern(`Project: ${name}. Delivered to the agreed statement of work.`),
    occurred: createdMs,
    start: dayMs(sim.startDay),
    target: dayMs(lastMs),
    deadline: dayMs(lastMs + 14),
    estimate: noBudget ? 0 : sim.sumEstimate,
    budgetHours: noBudget ? 0 : sim.budgetHours,
    budgetMoney: noBudget ? 0 : sim.budgetHours * rate,
    childCount: sim.tasks.length,
  });
  let projectLast = createdMs;
  const note = (
    ticketId: number,
    at: number,
    text: string,
    agentId: number,
    status?: number,
  ): void => {
    if (at > ctx.asOfEndMs) return;
    actions.add({
      ticketId,
      at,
      outcome: status ? 'Status Change' : 'Private Note',
      note: text,
      agentId,
      newStatus: status,
      hidden: !status,
      clientId: client.id,
    });
    if (ticketId === projectId) projectLast = Math.max(projectLast, at);
  };
  note(projectId, createdMs, 'Project created from template.', pm, STATUS.new);
  note(
    projectId,
    dayMs(sim.startDay) + 9 * HOUR_MS,
    'Kick-off meeting held with the customer.',
    pm,
    STATUS.inProgress,
  );

  // Milestones and tasks.
  const msIds = sim.milestones.map(() => ctx.nextMilestoneId());
  sim.milestones.forEach((m, i) => ctx.names.setMilestone(msIds[i] ?? 0, m.name));
  const taskIds: number[] = [];
  const taskLast: number[] = [];
  const taskHours: number[] = [];
  sim.tasks.forEach((t, i) => {
    const engineer = team[i % team.length] ?? 0;
    const id = tickets.add({
      kind: TICKET_KIND.task,
      client: client.id,
      agent: engineer,
      type: TICKET_TYPE.task,
      priority: 3,
      parent: projectId,
      milestone: msIds[t.milestone] ?? 0,
      summary: tickets.text.intern(t.name),
      details: tickets.text.intern(`${t.name} for ${name}.`),
      occurred: createdMs,
      start: dayMs(t.plannedStart),
      target: dayMs(t.plannedEnd),
      estimate: noBudget ? 0 : t.estimate,
    });
    taskIds.push(id);
    taskLast.push(createdMs);
    taskHours.push(0);
  });

  // Timesheet events.
  const dayCursor = new Map<number, number>();
  let totalHours = 0;
  if (!noTime) {
    for (const w of sim.work) {
      const engineer = team[w.task % team.length] ?? 0;
      const parts: Array<[number, number]> = [];
      if (w.hours > 4 && team.length > 1) {
        const first = Math.round(w.hours * rng.float(0.4, 0.6) * 4) / 4;
        const other = team[(w.task + 1) % team.length] ?? engineer;
        parts.push([engineer, first], [other, w.hours - first]);
      } else parts.push([engineer, w.hours]);
      for (const [agent, hours] of parts) {
        if (hours <= 0) continue;
        const offset = dayCursor.get(w.day) ?? 9;
        dayCursor.set(w.day, offset + hours);
        const start = dayMs(w.day) + offset * HOUR_MS;
        const taskId = taskIds[w.task] ?? projectId;
        timesheets.add(taskId, agent, start, hours, rate, 0);
        totalHours += hours;
        taskHours[w.task] = (taskHours[w.task] ?? 0) + hours;
        taskLast[w.task] = Math.max(taskLast[w.task] ?? 0, start + hours * HOUR_MS);
      }
    }
  }

  // Task status history and current state.
  sim.tasks.forEach((t, i) => {
    const id = taskIds[i] ?? 0;
    const agent = team[i % team.length] ?? 0;
    let last = taskLast[i] ?? createdMs;
    const act = (day: number, hour: number, text: string, status: number): void => {
      const at = dayMs(day) + hour * HOUR_MS;
      if (at > ctx.asOfEndMs) return;
      note(id, at, text, agent, status);
      last = Math.max(last, at);
    };
    if (t.started !== undefined) act(t.started, 8.75, 'Work started.', STATUS.inProgress);
    for (const h of t.holds) {
      act(h.from, 8.9, h.reason, h.status);
      if (h.to !== undefined && h.to <= asOfDay)
        act(h.to, 8.8, 'Resumed: hold cleared.', STATUS.inProgress);
    }
    if (t.closed !== undefined) act(t.closed, 17.5, 'Task complete.', STATUS.closed);
    const activeHold = t.holds.find((h) => h.to === undefined || h.to > asOfDay);
    const status =
      t.closed !== undefined
        ? STATUS.closed
        : activeHold
          ? activeHold.status
          : t.started !== undefined
            ? STATUS.inProgress
            : STATUS.new;
    tickets.set('status', id, status);
    tickets.set('onhold', id, activeHold && t.closed === undefined ? 1 : 0);
    if (t.closed !== undefined) tickets.set('closed', id, dayMs(t.closed) + 17.5 * HOUR_MS);
    tickets.set('timetaken', id, taskHours[i] ?? 0);
    tickets.set('lastUpdate', id, last);
    tickets.set('lastAction', id, last);
    projectLast = Math.max(projectLast, last);
  });

  // Weekly PM notes (Fridays).
  const notesUntil = Math.min(sim.doneDay ?? asOfDay, asOfDay);
  for (let d = sim.startDay + 1; d <= notesUntil; d++) {
    if (isWeekend(d) || (((d + 4) % 7) + 7) % 7 !== 5) continue;
    const troubled = sim.troubleDay !== undefined && d >= sim.troubleDay;
    const pool =
      troubled && rng.chance(0.5) ? (TROUBLE_NOTES[situation] ?? HEALTHY_NOTES) : HEALTHY_NOTES;
    note(projectId, dayMs(d) + 16 * HOUR_MS, rng.pick(pool), pm || (team[0] ?? 0));
  }

  // Project closure.
  let closedDay: number | undefined;
  if (sim.doneDay !== undefined) {
    const d = addWorkingDays(sim.doneDay, rng.int(1, 3));
    if (d <= asOfDay) {
      closedDay = d;
      note(
        projectId,
        dayMs(d) + 15 * HOUR_MS,
        'Project closed after customer sign-off.',
        pm,
        STATUS.closed,
      );
    }
  }
  tickets.set('status', projectId, closedDay !== undefined ? STATUS.closed : STATUS.inProgress);
  if (closedDay !== undefined) tickets.set('closed', projectId, dayMs(closedDay) + 15 * HOUR_MS);
  tickets.set('timetaken', projectId, totalHours);
  tickets.set('moneyActual', projectId, totalHours * rate);
  tickets.set('lastUpdate', projectId, projectLast);
  tickets.set('lastAction', projectId, projectLast);

  const milestones: HaloRecord[] = sim.milestones.map((m, i) => {
    const ids = sim.tasks.map((t, k) => (t.milestone === i ? k : -1)).filter((k) => k >= 0);
    return {
      id: msIds[i],
      ticket_id: projectId,
      name: m.name,
      sequence: i + 1,
      start_date: isoLocal(dayMs(m.startDay)),
      target_date: isoLocal(dayMs(m.targetDay)),
      tickets: ids.map((k) => ({
        id: (msIds[i] ?? 0) * 100 + k,
        milestone_id: msIds[i],
        ticket_id: taskIds[k],
        ticket_name: sim.tasks[k]?.name ?? '',
      })),
      _complete: m.completeDay !== undefined && m.completeDay <= asOfDay,
      milestone_value: noBudget
        ? 0
        : round2(ids.reduce((s, k) => s + (sim.tasks[k]?.estimate ?? 0), 0) * rate),
      last_update: isoZ(projectLast),
    };
  });
  tickets.milestones.set(projectId, milestones);

  const troubled = situation === 'burning' || situation === 'slipping' || situation === 'blocked';
  const intent: ProjectIntent = {
    projectId,
    situation,
    expectedDriver:
      situation === 'burning'
        ? 'burn'
        : situation === 'slipping'
          ? 'schedule'
          : situation === 'blocked'
            ? 'dependency'
            : null,
    slipped: troubled && sim.slipDay !== undefined,
    overran: troubled && sim.overrunDay !== undefined,
    closed: closedDay !== undefined,
  };
  if (troubled && sim.troubleDay !== undefined) intent.troubleStartsOn = isoDate(sim.troubleDay);
  if (troubled && sim.visibleDay !== undefined) intent.visibleOn = isoDate(sim.visibleDay);
  if (situation === 'healthy' && noise) intent.noise = noise;
  if (situation === 'missing-data' && missing) intent.missing = missing;
  return intent;
}
