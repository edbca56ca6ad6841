import type {
  AssignedAgent,
  DailyEffort,
  MilestoneBaseline,
  ProjectFacts,
  ProjectStatus,
  ProjectTask,
  TaskStatus,
} from './project-facts';
import type {
  BilledRow,
  DeliveryHistory,
  EffortRow,
  MilestoneRow,
  ProjectRow,
  StatusChange,
  TaskRow,
} from './delivery-history';
import { DEFAULT_GATE_EVIDENCE, isGateMilestone } from '../gates/gate-milestone';
import { classifyStatus, type StatusClass } from './status-class';

/** One project's history, indexed once so facts for many days are cheap. */
export interface IndexedProject {
  row: ProjectRow;
  milestones: MilestoneRow[];
  tasks: TaskRow[];
  /** Status changes per ticket (the project and its tasks), ascending by time. */
  changes: Map<number, StatusChange[]>;
  /** Effort rows of the project's tickets, ascending by date. */
  effort: EffortRow[];
  /** Invoices raised against the project, ascending by date. */
  billed: BilledRow[];
  dataQuality: string[];
}

/** Indexes a tenant's delivery history per project. */
export function indexDeliveryHistory(history: DeliveryHistory): Map<number, IndexedProject> {
  const byProject = new Map<number, IndexedProject>();
  for (const row of history.projects) {
    byProject.set(row.id, {
      row,
      milestones: [],
      tasks: [],
      changes: new Map(),
      effort: [],
      billed: [],
      dataQuality: history.dataQuality.get(row.id) ?? [],
    });
  }
  const projectOfTicket = new Map<number, number>();
  for (const p of history.projects) projectOfTicket.set(p.id, p.id);
  for (const m of history.milestones) byProject.get(m.projectId)?.milestones.push(m);
  for (const t of history.tasks) {
    const project = byProject.get(t.projectId);
    if (!project) continue;
    project.tasks.push(t);
    projectOfTicket.set(t.id, t.projectId);
  }
  for (const c of history.statusChanges) {
    const project = byProject.get(projectOfTicket.get(c.ticketId) ?? -1);
    if (!project) continue;
    const list = project.changes.get(c.ticketId) ?? [];
    list.push(c);
    project.changes.set(c.ticketId, list);
  }
  for (const e of history.effort)
    byProject.get(projectOfTicket.get(e.ticketId) ?? -1)?.effort.push(e);
  for (const b of history.billed ?? []) byProject.get(b.projectId)?.billed.push(b);
  for (const p of byProject.values()) {
    p.billed.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    p.milestones.sort((a, b) => a.sequence - b.sequence || a.id - b.id);
    p.effort.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    for (const list of p.changes.values())
      list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
  return byProject;
}

/**
 * The engine's view of one project as of `asOf` (YYYY-MM-DD): only records dated on or before that
 * day count, and states are derived from dated status changes, never from today's fields — except
 * when HaloPSA kept no history for a ticket, where the current state is used once its date has come.
 * Returns null when the project did not exist yet on that day.
 */
export function buildProjectFacts(
  project: IndexedProject,
  history: Pick<DeliveryHistory, 'statusNames' | 'dataAsOf'>,
  asOf: string,
): ProjectFacts | null {
  const { row } = project;
  const startDate = day(row.startDate) ?? day(row.createdAt);
  if (startDate === null || startDate > asOf) return null;
  const classOf = statusClasses(history.statusNames);

  const effortByTicket = new Map<number, number>();
  const firstEffort = new Map<number, string>();
  const daily = new Map<string, DailyEffort>();
  // The last day each agent booked time on this project: timesheet completeness is per project.
  const lastBookedHere = new Map<number, string>();
  const blendedRate =
    row.moneyBudget !== null && row.timeBudget !== null && row.timeBudget > 0
      ? row.moneyBudget / row.timeBudget
      : null;
  for (const e of project.effort) {
    if (e.date > asOf) break;
    effortByTicket.set(e.ticketId, (effortByTicket.get(e.ticketId) ?? 0) + e.hours);
    if (!firstEffort.has(e.ticketId)) firstEffort.set(e.ticketId, e.date);
    const d = daily.get(e.date) ?? { date: e.date, hours: 0, cost: 0 };
    d.hours += e.hours;
    d.cost += e.cost > 0 ? e.cost : e.hours * (blendedRate ?? 0);
    daily.set(e.date, d);
    if (e.agentId !== null) lastBookedHere.set(e.agentId, e.date);
  }

  const tasks: ProjectTask[] = [];
  for (const t of project.tasks) {
    const createdOn = day(t.createdAt);
    if (createdOn !== null && createdOn > asOf) continue;
    const state = stateOn(project.changes.get(t.id), asOf, {
      currentClass: classOf(t.statusId),
      closedOn: day(t.closedAt),
      onHoldNow: t.onHold,
      classOf,
    });
    const started = firstDate(firstEffort.get(t.id) ?? null, state.firstProgressOn);
    const status: TaskStatus =
      state.status === 'open' && started !== null ? 'in-progress' : state.status;
    tasks.push({
      id: String(t.id),
      name: t.name,
      taskType: t.taskType,
      milestoneId: t.milestoneId === null ? null : String(t.milestoneId),
      estimateHours: t.estimateHours !== null && t.estimateHours > 0 ? t.estimateHours : null,
      loggedHours: effortByTicket.get(t.id) ?? 0,
      status,
      createdOn,
      startedOn: started,
      closedOn: status === 'closed' ? state.since : null,
      onHoldSince: status === 'on-hold' || status === 'blocked' ? state.since : null,
      targetDate: day(t.targetDate),
      agentId: t.agentId === null ? null : String(t.agentId),
    });
  }

  const projectState = stateOn(project.changes.get(row.id), asOf, {
    currentClass: classOf(row.statusId),
    closedOn: day(row.closedAt),
    onHoldNow: row.onHold,
    classOf,
  });
  const status: ProjectStatus =
    projectState.status === 'closed'
      ? 'closed'
      : projectState.status === 'on-hold' || projectState.status === 'blocked'
        ? 'on-hold'
        : 'active';

  const milestones: MilestoneBaseline[] = project.milestones.map((m) => {
    const owner = m.agentId ?? milestoneOwnerFromTasks(project.tasks, m.id);
    return {
      id: String(m.id),
      name: m.name,
      sequence: m.sequence,
      plannedStart: day(m.startDate),
      plannedEnd: day(m.targetDate),
      isGate: isGateMilestone(m.name),
      requiredEvidence: isGateMilestone(m.name) ? [...DEFAULT_GATE_EVIDENCE] : [],
      ownerAgentId: owner === null ? null : String(owner),
      weight: m.value !== null && m.value > 0 ? m.value : 1,
    };
  });
  // Each milestone is a workstream of the plan; its owner answers for it.
  const workstreamOwners = milestones.flatMap((m) =>
    m.ownerAgentId === null ? [] : [{ workstream: m.name, agentId: m.ownerAgentId }],
  );
  const plannedRevenue = plannedRevenueOf(project.milestones);
  let billed: number | null = null;
  for (const b of project.billed) {
    if (b.date.slice(0, 10) > asOf) break;
    billed = (billed ?? 0) + b.amount;
  }

  // Assigned = working on an in-progress task, or booked time here in the last four weeks.
  const recent = new Date(Date.parse(`${asOf}T00:00:00Z`) - 28 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const assigned = new Set<number>();
  for (const t of tasks) {
    if (t.status === 'in-progress' && t.agentId !== null) assigned.add(Number(t.agentId));
  }
  for (const [agentId, last] of lastBookedHere) if (last >= recent) assigned.add(agentId);
  // Work that progressed with no time ever booked here: whoever did it is missing timesheets.
  if (lastBookedHere.size === 0) {
    for (const t of tasks) {
      if (t.status !== 'open' && t.agentId !== null) assigned.add(Number(t.agentId));
    }
  }
  const assignedAgents: AssignedAgent[] = [...assigned]
    .sort((a, b) => a - b)
    .map((agentId) => ({
      agentId: String(agentId),
      lastTimesheetDate: lastBookedHere.get(agentId) ?? null,
    }));

  const dataAsOf =
    history.dataAsOf === null ? null : history.dataAsOf < asOf ? history.dataAsOf : asOf;
  return {
    projectId: String(row.id),
    name: row.name,
    clientId: row.clientId === null ? '' : String(row.clientId),
    projectType: row.projectType,
    pmAgentId: row.pmAgentId === null ? null : String(row.pmAgentId),
    status,
    onHoldSince: status === 'on-hold' ? projectState.since : null,
    startDate,
    targetEndDate: day(row.deadlineDate) ?? day(row.targetDate),
    closedOn: status === 'closed' ? projectState.since : null,
    asOf,
    baseline: {
      version: 1,
      capturedOn: startDate,
      plannedHours: row.timeBudget !== null && row.timeBudget > 0 ? row.timeBudget : null,
      plannedMoney: row.moneyBudget !== null && row.moneyBudget > 0 ? row.moneyBudget : null,
      blendedRate,
      plannedRevenue,
      milestones,
      workstreamOwners,
    },
    tasks,
    dailyHours: [...daily.values()],
    assignedAgents,
    actualRevenue: billed,
    dataAsOf,
    dataQualityIssues: project.dataQuality,
  };
}

/**
 * The agreed sell price of a project: the sum of its milestones' billing values (HaloPSA
 * `milestone_value`). Null when no milestone carries a value: the money budget is the planned cost,
 * never the price, so it does not stand in.
 */
export function plannedRevenueOf(milestones: readonly MilestoneRow[]): number | null {
  let total = 0;
  for (const m of milestones)
    if (m.value !== null && Number.isFinite(m.value) && m.value > 0) total += m.value;
  return total > 0 ? total : null;
}

/**
 * The owner of a milestone whose HaloPSA record names no agent: the agent assigned to the largest
 * share of its tasks' estimated hours (a task without an estimate counts one hour); on a tie, the
 * agent of the earliest such task. Null when no task of the milestone has an agent.
 */
export function milestoneOwnerFromTasks(
  tasks: readonly TaskRow[],
  milestoneId: number,
): number | null {
  const weight = new Map<number, { hours: number; firstTask: number }>();
  for (const t of tasks) {
    if (t.milestoneId !== milestoneId || t.agentId === null) continue;
    const hours = t.estimateHours !== null && t.estimateHours > 0 ? t.estimateHours : 1;
    const w = weight.get(t.agentId) ?? { hours: 0, firstTask: t.id };
    weight.set(t.agentId, { hours: w.hours + hours, firstTask: Math.min(w.firstTask, t.id) });
  }
  let best: { agentId: number; hours: number; firstTask: number } | null = null;
  for (const [agentId, w] of weight) {
    if (
      best === null ||
      w.hours > best.hours ||
      (w.hours === best.hours && w.firstTask < best.firstTask)
    )
      best = { agentId, ...w };
  }
  return best?.agentId ?? null;
}

interface StateOnDay {
  status: StatusClass;
  /** Day the current status began (closure day, hold start), or null when unknown. */
  since: string | null;
  /** First day the ticket moved to in progress, if recorded. */
  firstProgressOn: string | null;
}

/** The status of a ticket on a day, from its dated status changes (or its current state without any). */
function stateOn(
  changes: StatusChange[] | undefined,
  asOf: string,
  current: {
    currentClass: StatusClass;
    closedOn: string | null;
    onHoldNow: boolean;
    classOf: (statusId: number | null) => StatusClass;
  },
): StateOnDay {
  if (!changes || changes.length === 0) {
    // No recorded history: the current state holds from its date on (closures carry a date).
    if (current.currentClass === 'closed') {
      return current.closedOn !== null && current.closedOn <= asOf
        ? { status: 'closed', since: current.closedOn, firstProgressOn: null }
        : { status: 'open', since: null, firstProgressOn: null };
    }
    if (current.closedOn !== null && current.closedOn <= asOf) {
      return { status: 'closed', since: current.closedOn, firstProgressOn: null };
    }
    return { status: 'open', since: null, firstProgressOn: null };
  }
  let status: StatusClass = 'open';
  let since: string | null = null;
  let firstProgressOn: string | null = null;
  for (const c of changes) {
    const date = c.at.slice(0, 10);
    if (date > asOf) break;
    const next = current.classOf(c.statusId);
    if (next === 'in-progress' && firstProgressOn === null) firstProgressOn = date;
    if (next !== status) {
      status = next;
      since = date;
    }
  }
  return { status, since, firstProgressOn };
}

/**
 * The class of a status id (`open` for none), each id's name classified once: a project's tickets
 * and their status changes share a handful of statuses.
 */
function statusClasses(
  statusNames: ReadonlyMap<number, string>,
): (statusId: number | null) => StatusClass {
  const known = new Map<number, StatusClass>();
  return (statusId) => {
    if (statusId === null) return 'open';
    let statusClass = known.get(statusId);
    if (statusClass === undefined) {
      statusClass = classifyStatus(statusNames.get(statusId));
      known.set(statusId, statusClass);
    }
    return statusClass;
  };
}

function day(value: string | null): string | null {
  return value === null ? null : value.slice(0, 10);
}

function firstDate(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
