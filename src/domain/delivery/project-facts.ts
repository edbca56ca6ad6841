/**
 * The as-of view of one project that the delivery engine consumes.
 *
 * An app-layer loader builds it from synced HaloPSA data (projects, milestones, child tasks, budgets,
 * timesheet events, status-change actions). The contract: every field describes the project **as of
 * `asOf`** — nothing dated after `asOf` may appear (no later time entries, no later closures, no later
 * holds). Historic states come from dated records, never from HaloPSA's current fields. With that
 * contract the engine never needs future data and a replay is honest.
 *
 * Identifiers are strings (HaloPSA numeric ids stringified by the loader). Dates are ISO `YYYY-MM-DD`.
 */
import { type IsoDate } from '../shared/dates';

export type { IsoDate } from '../shared/dates';

/** Lifecycle state of the project itself. */
export type ProjectStatus = 'active' | 'on-hold' | 'closed';

/** State of a task (a HaloPSA child ticket of the project) as of `asOf`. */
export type TaskStatus = 'open' | 'in-progress' | 'on-hold' | 'blocked' | 'closed';

/** A milestone in the baseline plan (HaloPSA milestone: `start_date`, `target_date`, `sequence`). */
export interface MilestoneBaseline {
  id: string;
  name: string;
  /** Order in the plan (HaloPSA `sequence`). */
  sequence: number;
  /** Planned start; when null the previous milestone's end (or the project start) is assumed. */
  plannedStart: IsoDate | null;
  /** Planned completion (HaloPSA `target_date`); the date a slip becomes visible. */
  plannedEnd: IsoDate | null;
  /** True when the milestone is a quality gate needing an approved evidence pack. */
  isGate: boolean;
  /** Evidence items a gate needs (e.g. `deliverables`, `qa-outcomes`, `customer-acceptance`). */
  requiredEvidence: string[];
  /** Workstream owner accountable for this milestone, when named. */
  ownerAgentId: string | null;
  /** Relative value of the milestone, used when tasks carry no estimates (HaloPSA `milestone_value`). */
  weight: number;
}

/** A named owner per workstream (e.g. `network`, `migration`). */
export interface WorkstreamOwner {
  workstream: string;
  agentId: string;
}

/** Per-project burn thresholds captured with the baseline; they override policy when present. */
export interface BaselineBurnThresholds {
  /** Forecast overrun fraction (EAC / budget − 1) that turns the burn driver amber. */
  amber: number;
  /** Forecast overrun fraction that turns it red. */
  red: number;
}

/** The versioned plan the project is measured against. Re-baselining produces a new version. */
export interface ProjectBaseline {
  /** 1 for the first capture, +1 for every approved re-baseline. */
  version: number;
  /** Day the baseline was captured. */
  capturedOn: IsoDate;
  /** Budgeted effort (HaloPSA `projecttimebudget`); null when the project has no hours budget. */
  plannedHours: number | null;
  /** Budgeted cost (HaloPSA `projectmoneybudget`); null when absent. */
  plannedMoney: number | null;
  /** Cost per hour used to convert between hours and money; null when unknown. */
  blendedRate: number | null;
  /** Agreed sell price of the project, for margin accuracy; null when not a fixed-price project. */
  plannedRevenue: number | null;
  milestones: MilestoneBaseline[];
  workstreamOwners: WorkstreamOwner[];
  burnThresholds?: BaselineBurnThresholds;
  /**
   * Total task estimate in hours when the baseline was captured; growth beyond it against an
   * unchanged budget is scope creep. Absent on baselines captured before it was recorded.
   */
  plannedEstimateHours?: number | null;
}

/** A task (HaloPSA child ticket) of the project, as of `asOf`. */
export interface ProjectTask {
  id: string;
  name: string;
  /** Task type or template line, for estimate accuracy by type; null when unknown. */
  taskType: string | null;
  milestoneId: string | null;
  /** Estimated effort in hours (HaloPSA `estimate`); null when not estimated. */
  estimateHours: number | null;
  /** Hours logged against the task up to `asOf` (timesheet events by `ticket_id`); null if unknown. */
  loggedHours: number | null;
  status: TaskStatus;
  /** Day the task was created; tasks added after the baseline are scope growth. Null when unknown. */
  createdOn: IsoDate | null;
  /** First day work was logged or the task moved to in progress; null when not started/unknown. */
  startedOn: IsoDate | null;
  /** Day it closed; set only when `status` is `closed`. */
  closedOn: IsoDate | null;
  /** Day the current hold/block started; set only for `on-hold`/`blocked`. */
  onHoldSince: IsoDate | null;
  /** Task due date (HaloPSA `targetdate`); null when none. */
  targetDate: IsoDate | null;
  agentId: string | null;
  /** Tasks that must close before this one can proceed. */
  dependsOnTaskIds?: string[];
}

/** Actual effort and cost booked on one day (sum of the project's timesheet events that day). */
export interface DailyEffort {
  date: IsoDate;
  hours: number;
  cost: number;
}

/** An agent assigned to the project and the last day they submitted any timesheet. */
export interface AssignedAgent {
  agentId: string;
  lastTimesheetDate: IsoDate | null;
}

/** Everything the delivery engine knows about one project as of one day. */
export interface ProjectFacts {
  projectId: string;
  name: string;
  clientId: string;
  /** Project type / template (HaloPSA ticket type), used for policy overrides; null when unknown. */
  projectType: string | null;
  pmAgentId: string | null;
  status: ProjectStatus;
  /** Day the project (not just a task) went on hold; null unless `status` is `on-hold`. */
  onHoldSince: IsoDate | null;
  startDate: IsoDate;
  targetEndDate: IsoDate | null;
  /** Closure day for closed projects. */
  closedOn: IsoDate | null;
  /** The evaluation day. All other data is as of this day. */
  asOf: IsoDate;
  baseline: ProjectBaseline;
  tasks: ProjectTask[];
  /** Actual effort per day, dates ≤ `asOf`; days without time may be omitted. */
  dailyHours: DailyEffort[];
  assignedAgents: AssignedAgent[];
  /** Revenue actually recognised (for closed projects' margin); null when unknown. */
  actualRevenue: number | null;
  /** Day of the last successful sync feeding these facts; null when never synced. */
  dataAsOf: IsoDate | null;
  /** Intake problems found by the loader (missing owner, malformed record…), human-readable. */
  dataQualityIssues: string[];
}

/**
 * Mandatory intake fields that are missing (SPEC §4): no budget, no project manager, no end or
 * milestone dates, no estimates, no tasks. A project with any of these is a data-quality exception
 * and drives no automated action.
 */
export function missingMandatoryFields(facts: ProjectFacts): string[] {
  const out: string[] = [];
  const b = facts.baseline;
  if (b.plannedHours === null && b.plannedMoney === null) out.push('no budget (hours or money)');
  if (!facts.tasks.some((t) => t.estimateHours !== null && t.estimateHours > 0)) {
    out.push('no task estimates');
  }
  if (facts.pmAgentId === null) out.push('no project manager');
  if (facts.targetEndDate === null && !b.milestones.some((m) => m.plannedEnd !== null)) {
    out.push('no end date or milestone dates');
  }
  if (facts.tasks.length === 0) out.push('no tasks');
  return out;
}

/**
 * Intake validation (SPEC §4): the missing mandatory fields plus inconsistent records. The list
 * feeds confidence and the exceptions view.
 */
export function intakeExceptions(facts: ProjectFacts): string[] {
  const out = missingMandatoryFields(facts);
  for (const t of facts.tasks) {
    if ((t.status === 'on-hold' || t.status === 'blocked') && t.onHoldSince === null) {
      out.push(`task ${t.id} is on hold without a hold date`);
    }
  }
  return out;
}

/**
 * The same project seen as of an earlier day `date` (≤ `facts.asOf`): later time, closures, holds
 * and tasks are removed. Used to check that a signal has persisted over several days without
 * keeping state. Approximate where HaloPSA history is thin (a task closed later counts as in progress
 * from `startedOn`, or as open when that is unknown).
 */
export function factsAsOf(facts: ProjectFacts, date: IsoDate): ProjectFacts {
  if (date >= facts.asOf) return facts;
  const loggedOn = estimateLoggedOn(facts, date);
  const tasks: ProjectTask[] = [];
  for (const t of facts.tasks) {
    if (t.createdOn !== null && t.createdOn > date) continue;
    if (t.closedOn !== null && t.closedOn <= date) {
      tasks.push(t);
      continue;
    }
    const started = t.startedOn !== null && t.startedOn <= date ? t.startedOn : null;
    const held = t.onHoldSince !== null && t.onHoldSince <= date;
    let status: TaskStatus;
    if (held) status = t.status === 'blocked' ? 'blocked' : 'on-hold';
    else if (started !== null) status = 'in-progress';
    else if (t.startedOn === null && t.status === 'in-progress') status = 'in-progress';
    else status = 'open';
    tasks.push({
      ...t,
      status,
      startedOn: started,
      closedOn: null,
      onHoldSince: held ? t.onHoldSince : null,
      loggedHours: loggedOn.get(t.id) ?? null,
    });
  }
  return {
    ...facts,
    asOf: date,
    status: projectStatusOn(facts, date),
    onHoldSince: facts.onHoldSince !== null && facts.onHoldSince <= date ? facts.onHoldSince : null,
    closedOn: facts.closedOn !== null && facts.closedOn <= date ? facts.closedOn : null,
    assignedAgents: facts.assignedAgents.map((a) => ({
      ...a,
      lastTimesheetDate:
        a.lastTimesheetDate !== null && a.lastTimesheetDate > date ? date : a.lastTimesheetDate,
    })),
    tasks,
    dailyHours: facts.dailyHours.filter((d) => d.date <= date),
    dataAsOf: facts.dataAsOf === null ? null : facts.dataAsOf > date ? date : facts.dataAsOf,
  };
}

/**
 * Logged hours per task as of an earlier day, reconstructed from today's per-task totals: tasks
 * started after the day had none; the hours booked since the day (on tasks, by the project-level
 * daily series) are taken back from the tasks still open at the day, in proportion to their totals.
 */
function estimateLoggedOn(facts: ProjectFacts, date: IsoDate): Map<string, number | null> {
  const out = new Map<string, number | null>();
  let onTasks = 0;
  for (const t of facts.tasks) onTasks += t.loggedHours ?? 0;
  let total = 0;
  let after = 0;
  for (const d of facts.dailyHours) {
    total += d.hours;
    if (d.date > date) after += d.hours;
  }
  const allocated = total > 0 ? Math.min(1, onTasks / total) : 0;
  let toRemove = after * allocated;
  const active: ProjectTask[] = [];
  for (const t of facts.tasks) {
    if (t.loggedHours === null) out.set(t.id, null);
    else if (t.closedOn !== null && t.closedOn <= date) out.set(t.id, t.loggedHours);
    else if (t.startedOn !== null && t.startedOn > date) {
      out.set(t.id, 0);
      toRemove -= t.loggedHours;
    } else active.push(t);
  }
  const activeTotal = active.reduce((s, t) => s + (t.loggedHours ?? 0), 0);
  const keep = activeTotal > 0 ? Math.max(0, activeTotal - Math.max(0, toRemove)) / activeTotal : 0;
  for (const t of active) out.set(t.id, (t.loggedHours ?? 0) * keep);
  return out;
}

function projectStatusOn(facts: ProjectFacts, date: IsoDate): ProjectStatus {
  if (facts.status === 'closed')
    return facts.closedOn !== null && facts.closedOn <= date ? 'closed' : 'active';
  if (facts.status === 'on-hold') {
    return facts.onHoldSince !== null && facts.onHoldSince <= date ? 'on-hold' : 'active';
  }
  return facts.status;
}
