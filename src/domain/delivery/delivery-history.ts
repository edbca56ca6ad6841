/**
 * Everything the mirror knows about the projects of one tenant, dated, loaded in a few bulk queries.
 * `buildProjectFacts` turns it into the engine's as-of view for any day, which is how both the daily
 * evaluation (today) and the replay (every past day) see the same data the same way.
 */

/** A project's list row and full-record fields the engine needs. */
export interface ProjectRow {
  id: number;
  name: string;
  clientId: number | null;
  projectType: string | null;
  pmAgentId: number | null;
  createdAt: string | null;
  startDate: string | null;
  targetDate: string | null;
  deadlineDate: string | null;
  closedAt: string | null;
  statusId: number | null;
  timeBudget: number | null;
  moneyBudget: number | null;
  onHold: boolean;
}

/** A milestone of a project's full record. */
export interface MilestoneRow {
  id: number;
  projectId: number;
  name: string;
  sequence: number;
  startDate: string | null;
  targetDate: string | null;
  complete: boolean;
  /** Billing value of the milestone (HaloPSA `milestone_value`): the price invoiced when it completes. */
  value: number | null;
  /** Agent HaloPSA assigns to the milestone record, when it carries one. */
  agentId: number | null;
}

/** A task (child ticket) row. */
export interface TaskRow {
  id: number;
  projectId: number;
  name: string;
  taskType: string | null;
  milestoneId: number | null;
  estimateHours: number | null;
  createdAt: string | null;
  targetDate: string | null;
  closedAt: string | null;
  statusId: number | null;
  agentId: number | null;
  onHold: boolean;
}

/** A status change recorded by an action (`new_status` at `datetime`). */
export interface StatusChange {
  ticketId: number;
  at: string;
  statusId: number;
}

/** Hours booked on one ticket by one agent on one day (timesheet events summed). */
export interface EffortRow {
  ticketId: number;
  agentId: number | null;
  date: string;
  hours: number;
  cost: number;
}

/** An invoice HaloPSA raised against a project (its `ticket_id`), as billed revenue. */
export interface BilledRow {
  projectId: number;
  /** Invoice date (ISO). */
  date: string;
  amount: number;
}

/** The dated history of every project of a tenant. */
export interface DeliveryHistory {
  projects: ProjectRow[];
  milestones: MilestoneRow[];
  tasks: TaskRow[];
  statusChanges: StatusChange[];
  effort: EffortRow[];
  /** Invoices raised against projects; absent when the loader reads none. */
  billed?: BilledRow[];
  /** Status id → name, for classification. */
  statusNames: Map<number, string>;
  /** Intake problems per project id found while loading (data-quality exceptions). */
  dataQuality: Map<number, string[]>;
  /** Day of the last completed sync, or null. */
  dataAsOf: string | null;
}
