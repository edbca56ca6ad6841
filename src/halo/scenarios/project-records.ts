/** Writes an accepted project run into the simulator's stores as HaloPSA records. */
import { addWorkingDays, dayMs, isoDate, isoLocal, isoZ, isWeekend } from '../simulator/calendar';
import { STATUS, TICKET_TYPE } from '../simulator/lookups';
import type { HaloRecord } from '../simulator/record-collection';
import { TICKET_KIND } from '../simulator/ticket-store';
import type { DrawnProject } from './project-archetypes';
import type { ProjectRun } from './project-run';
import type { ScenarioBook } from './scenario-book';

export interface ProjectClient {
  id: number;
  name: string;
  /** First day the client is a customer (no project starts before it). */
  since: number;
}

const WEEKLY_NOTES = [
  'Weekly update: tasks progressing to plan.',
  'Weekly update: customer engaged, no open risks.',
  'Weekly update: on track for the next milestone.',
  'Weekly update: steady progress, RAID log reviewed.',
];

const HOLD_REASONS = [
  'client finance freeze until the new budget period',
  "client's key contact on leave",
  'client paused work for an internal audit',
];

/** Writes the project, its tasks, milestones, time entries and notes; returns the project id. */
export function writeProject(
  book: ScenarioBook,
  drawn: DrawnProject,
  run: ProjectRun,
  client: ProjectClient,
  pm: number,
): number {
  const { plan, facts } = drawn;
  const { tickets, actions, timesheets, lastDay } = book;
  const last = { ms: book.at(plan.start, 9.5) };
  const touch = (ms: number): number => {
    last.ms = Math.max(last.ms, ms);
    return ms;
  };
  const text = (s: string): number => tickets.text.intern(s);
  const title = `${facts.name} - ${client.name}`;
  const projectId = tickets.add({
    kind: TICKET_KIND.project,
    client: client.id,
    agent: pm,
    status: STATUS.new,
    type: TICKET_TYPE.project,
    priority: 3,
    summary: text(title),
    details: text(`Project: ${title}. Statement of work signed; delivered by the projects team.`),
    occurred: book.at(plan.start, 9.5),
    start: dayMs(plan.kickoff),
  });
  const note = (
    ticketId: number,
    at: number,
    outcome: 'Note' | 'Status Change' | 'Private Note' | 'Closed',
    body: string,
    agentId: number,
    newStatus?: number,
  ): void => {
    actions.add({
      ticketId,
      at: touch(at),
      outcome,
      note: body,
      agentId,
      clientId: client.id,
      hidden: outcome === 'Private Note',
      ...(newStatus !== undefined ? { newStatus } : {}),
    });
  };
  const owner = pm || (plan.team[0] ?? 0);
  note(
    projectId,
    book.at(plan.start, 9.5),
    'Status Change',
    'Project created from the signed statement of work.',
    owner,
    STATUS.new,
  );
  if (plan.kickoff <= lastDay) {
    note(
      projectId,
      book.at(plan.kickoff, 9),
      'Status Change',
      `Kick-off meeting held with ${client.name}.`,
      owner,
      STATUS.inProgress,
    );
  }

  // Tasks (child tickets) with their recorded time.
  const taskIds: number[] = [];
  const recordedByTask = plan.tasks.map(() => 0);
  for (const e of run.entries) {
    if (e.recorded) recordedByTask[e.task] = (recordedByTask[e.task] ?? 0) + e.hours;
  }
  plan.tasks.forEach((t, i) => {
    const o = run.tasks[i]!;
    const m = plan.milestones[t.milestone]!;
    const blockedNow = run.blockedTask === i && !run.unblocked;
    const status =
      o.closedDay !== undefined
        ? STATUS.closed
        : blockedNow
          ? waitStatus(drawn)
          : o.startedDay !== undefined
            ? STATUS.inProgress
            : STATUS.new;
    const id = tickets.add({
      kind: TICKET_KIND.task,
      client: client.id,
      agent: t.engineer,
      status,
      type: TICKET_TYPE.task,
      priority: 3,
      parent: projectId,
      summary: text(t.name),
      details: text(`${t.name} for ${title}.`),
      occurred: book.at(t.createdDay, 9.5),
      closed: o.closedDay !== undefined ? book.at(o.closedDay, o.closedHour ?? 17) : 0,
      start: dayMs(m.start),
      target: dayMs(m.target),
      estimate: t.estimate,
      timetaken: recordedByTask[i] ?? 0,
      onhold: blockedNow ? 1 : 0,
    });
    taskIds.push(id);
    let taskLast = book.at(t.createdDay, 9.5);
    const taskNote = (
      at: number,
      outcome: 'Status Change' | 'Closed' | 'Private Note',
      body: string,
      status2?: number,
    ): void => {
      note(id, at, outcome, body, t.engineer, status2);
      taskLast = Math.max(taskLast, at);
    };
    if (t.createdDay > plan.start) {
      taskNote(
        book.at(t.createdDay, 10),
        'Private Note',
        `Task added to the plan: ${t.name} (${t.estimate} h).`,
      );
    }
    if (t.revisedOn !== undefined && t.originalEstimate !== undefined && t.revisedOn <= lastDay) {
      taskNote(
        book.at(t.revisedOn, 14),
        'Private Note',
        `Estimate revised from ${t.originalEstimate} h to ${t.estimate} h: client asked for more than the design covered.`,
      );
    }
    if (o.startedDay !== undefined) {
      taskNote(book.at(o.startedDay, 8.75), 'Status Change', 'Work started.', STATUS.inProgress);
    }
    if (
      run.blockedTask === i &&
      run.blockStartedOn !== undefined &&
      drawn.plan.disturbances.block
    ) {
      const b = drawn.plan.disturbances.block;
      taskNote(
        book.at(run.blockStartedOn, 10),
        'Status Change',
        `Waiting on ${b.reason}.`,
        waitStatus(drawn),
      );
      if (run.unblocked && workDay(b.to) <= lastDay) {
        taskNote(
          book.at(workDay(b.to), 8.5),
          'Status Change',
          'Dependency cleared: work resumed.',
          STATUS.inProgress,
        );
      }
    }
    if (o.closedDay !== undefined) {
      taskNote(
        book.at(o.closedDay, o.closedHour ?? 17),
        'Closed',
        'Task completed.',
        STATUS.closed,
      );
    }
    tickets.set('lastUpdate', id, taskLast);
    tickets.set('lastAction', id, taskLast);
  });

  for (const e of run.entries) {
    if (!e.recorded) continue;
    const start = book.at(e.day, e.startHour);
    timesheets.add(taskIds[e.task] ?? 0, e.agent, start, e.hours, plan.chargeRate, 0);
    const end = start + e.hours * 3_600_000;
    touch(end);
    const taskId = taskIds[e.task] ?? 0;
    if (tickets.get('lastUpdate', taskId) < end) tickets.set('lastUpdate', taskId, end);
  }

  // Project notes: weekly updates, holds, blocks, scope, baselines, closure.
  const end = Math.min(lastDay, run.closedOn ?? lastDay);
  for (let d = plan.kickoff + 1; d <= end; d++) {
    if (new Date(dayMs(d)).getUTCDay() !== 5) continue;
    const idle = plan.disturbances.idle.find((w) => d >= w.from && d <= w.to);
    const body = idle
      ? idle.kind === 'hold'
        ? 'Weekly update: project on hold, nothing booked this week.'
        : 'Weekly update: team on leave this week, picking up on return.'
      : WEEKLY_NOTES[(d + projectId) % WEEKLY_NOTES.length]!;
    note(projectId, book.at(d, 16), 'Private Note', body, owner);
  }
  for (const w of plan.disturbances.idle) {
    if (w.kind !== 'hold') continue;
    const reason = HOLD_REASONS[projectId % HOLD_REASONS.length]!;
    note(
      projectId,
      book.at(w.from, 9),
      'Status Change',
      `Placed on hold: ${reason}.`,
      owner,
      STATUS.onHold,
    );
    note(
      projectId,
      book.at(addWorkingDays(w.to + 1, 0), 9),
      'Status Change',
      'Hold lifted: work resumed.',
      owner,
      STATUS.inProgress,
    );
  }
  if (run.blockStartedOn !== undefined && plan.disturbances.block) {
    const b = plan.disturbances.block;
    const m = plan.milestones.find((_, i) => plan.tasks[run.blockedTask ?? -1]?.milestone === i);
    note(
      projectId,
      book.at(run.blockStartedOn, 10.5),
      'Private Note',
      `${m?.name ?? 'Milestone'} waiting on ${b.reason}; chasing weekly.`,
      owner,
    );
  }
  for (const t of plan.tasks) {
    if (
      t.createdDay > plan.start &&
      !t.name.startsWith('Change request') &&
      t.createdDay <= lastDay
    ) {
      note(
        projectId,
        book.at(t.createdDay, 11),
        'Private Note',
        `Client asked for additional scope (${t.name.replace('Additional scope: ', '')}, about ${t.estimate} h); added to the plan, no change request raised.`,
        owner,
      );
    }
  }
  if (facts.baselineOn !== undefined) {
    note(
      projectId,
      book.at(facts.baselineOn, 15),
      'Private Note',
      `Baseline captured: budget ${plan.budgetHours} h, milestone targets agreed with ${client.name}.`,
      owner,
    );
  }
  if (facts.rebaseline) {
    const r = facts.rebaseline;
    const m = plan.milestones.find((x) => x.originalTarget !== undefined);
    note(
      projectId,
      book.at(r.day, 15),
      'Private Note',
      `Change request CR-${r.changeRequest} approved by ${client.name}: additional sites added. ` +
        `Re-baselined by agreement: '${m?.name ?? ''}' target ${isoDate(m?.originalTarget ?? 0)} -> ${isoDate(m?.target ?? 0)}; ` +
        `budget ${r.budgetBefore} h -> ${plan.budgetHours} h.`,
      owner,
    );
  }
  if (run.closedOn !== undefined) {
    note(
      projectId,
      book.at(run.closedOn, 16),
      'Closed',
      'Project closed: handover complete, customer sign-off received.',
      owner,
      STATUS.closed,
    );
  }

  // Milestones (full project record) and the project's current figures.
  const milestones: HaloRecord[] = plan.milestones.map((m, i) => {
    const id = book.nextMilestoneId();
    book.names.setMilestone(id, m.name);
    const members = plan.tasks.flatMap((t, k) => (t.milestone === i ? [k] : []));
    for (const k of members) tickets.set('milestone', taskIds[k] ?? 0, id);
    const complete = members.every((k) => run.tasks[k]?.closedDay !== undefined);
    const set =
      facts.rebaseline && m.originalTarget !== undefined
        ? facts.rebaseline.day
        : (facts.baselineOn ?? plan.start);
    return {
      id,
      ticket_id: projectId,
      name: m.name,
      sequence: i + 1,
      start_date: isoLocal(dayMs(m.start)),
      target_date: isoLocal(dayMs(m.target)),
      tickets: members.map((k) => ({
        id: book.nextMilestoneLinkId(),
        milestone_id: id,
        ticket_id: taskIds[k],
        ticket_name: plan.tasks[k]?.name ?? '',
      })),
      _complete: complete,
      milestone_value:
        members.reduce((s, k) => s + (plan.tasks[k]?.estimate ?? 0), 0) * plan.chargeRate,
      last_update: isoZ(book.at(set, 15)),
    };
  });
  tickets.milestones.set(projectId, milestones);

  const recorded = recordedByTask.reduce((a, b) => a + b, 0);
  const status =
    run.closedOn !== undefined
      ? STATUS.closed
      : plan.kickoff > lastDay
        ? STATUS.new
        : run.blockedTask !== undefined && !run.unblocked
          ? waitStatus(drawn)
          : STATUS.inProgress;
  const target = plan.milestones[plan.milestones.length - 1]?.target ?? plan.kickoff;
  tickets.set('status', projectId, status);
  tickets.set(
    'onhold',
    projectId,
    status === STATUS.waitingOnCustomer || status === STATUS.waitingOnDependency ? 1 : 0,
  );
  tickets.set('closed', projectId, run.closedOn !== undefined ? book.at(run.closedOn, 16) : 0);
  tickets.set('target', projectId, dayMs(target));
  tickets.set('deadline', projectId, dayMs(addWorkingDays(target, 10)));
  tickets.set(
    'estimate',
    projectId,
    plan.tasks.reduce((s, t) => s + t.estimate, 0),
  );
  tickets.set('timetaken', projectId, recorded);
  tickets.set('budgetHours', projectId, plan.budgetHours);
  tickets.set('budgetMoney', projectId, plan.budgetHours * plan.chargeRate);
  tickets.set('moneyActual', projectId, recorded * plan.chargeRate);
  tickets.set('childCount', projectId, taskIds.length);
  tickets.set('lastUpdate', projectId, last.ms);
  tickets.set('lastAction', projectId, last.ms);
  return projectId;
}

function waitStatus(drawn: DrawnProject): number {
  return drawn.plan.disturbances.block?.waitingOn === 'client'
    ? STATUS.waitingOnCustomer
    : STATUS.waitingOnDependency;
}

function workDay(day: number): number {
  return isWeekend(day) ? addWorkingDays(day, 0) : day;
}
