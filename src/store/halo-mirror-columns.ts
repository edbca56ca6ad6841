/**
 * How each synced HaloPSA resource lands in its mirror table: the typed columns the engines query,
 * computed from the validated record. `raw` (the record as served), `hash`, `last_update` and
 * `synced_at` are common to every table and added by the repository.
 */

/** SQL types the mirror uses, as `jsonb_to_recordset` column definitions. */
export type SqlType =
  'bigint' | 'integer' | 'text' | 'boolean' | 'double precision' | 'timestamptz' | 'jsonb';

/** One typed column and how to read it from a record. */
export interface MirrorColumn {
  name: string;
  type: SqlType;
  from: (record: Record<string, unknown>) => unknown;
}

/** A mirror table: its name and typed columns. */
export interface MirrorTable {
  table: string;
  columns: readonly MirrorColumn[];
  /** Whether the table has the common hash/last_update columns (child tables such as milestones do not). */
  common: boolean;
}

/** A positive integer id or null (HaloPSA uses 0 and -1 for "none"). */
export function idOf(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** A finite number or null. */
export function numberOf(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** A non-empty string or null. */
export function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : null;
}

/** A boolean from HaloPSA's true/false/1/0 spellings, or null. */
export function boolOf(value: unknown): boolean | null {
  if (value === true || value === 1 || value === 'true' || value === '1') return true;
  if (value === false || value === 0 || value === 'false' || value === '0') return false;
  return null;
}

/**
 * An ISO timestamp (UTC) or null. Zone-less HaloPSA dates are UTC; HaloPSA's "no date" values
 * (year 1900 and earlier) are null.
 */
export function dateOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  const date = new Date(ms);
  return date.getUTCFullYear() <= 1900 ? null : date.toISOString();
}

const col = (name: string, type: SqlType, from: MirrorColumn['from']): MirrorColumn => ({
  name,
  type,
  from,
});
const id = (field: string) => (r: Record<string, unknown>) => idOf(r[field]);
const num = (field: string) => (r: Record<string, unknown>) => numberOf(r[field]);
const text = (field: string) => (r: Record<string, unknown>) => textOf(r[field]);
const bool = (field: string) => (r: Record<string, unknown>) => boolOf(r[field]);
const date = (field: string) => (r: Record<string, unknown>) => dateOf(r[field]);

/** The mirror tables by synced resource name. */
export const MIRROR_TABLES = {
  statuses: { table: 'halo_statuses', common: true, columns: [col('name', 'text', text('name'))] },
  agents: {
    table: 'halo_agents',
    common: true,
    columns: [
      col('name', 'text', text('name')),
      col('email', 'text', text('email')),
      col('inactive', 'boolean', (r) => boolOf(r.inactive) ?? false),
    ],
  },
  clients: {
    table: 'halo_clients',
    common: true,
    columns: [
      col('name', 'text', text('name')),
      col('inactive', 'boolean', (r) => boolOf(r.inactive) ?? false),
      col('account_manager_id', 'bigint', id('accountmanagertech')),
      col('is_vip', 'boolean', bool('is_vip')),
    ],
  },
  contacts: {
    table: 'halo_contacts',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('site_id', 'bigint', id('site_id')),
      col('name', 'text', text('name')),
      col('email', 'text', text('emailaddress')),
      col('job_title', 'text', text('jobtitle')),
      col('inactive', 'boolean', (r) => boolOf(r.inactive) ?? false),
    ],
  },
  projects: {
    table: 'halo_projects',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('summary', 'text', text('summary')),
      col('status_id', 'bigint', id('status_id')),
      col('agent_id', 'bigint', id('agent_id')),
      col('tickettype_id', 'bigint', id('tickettype_id')),
      col('date_occurred', 'timestamptz', date('dateoccurred')),
      col('start_date', 'timestamptz', date('startdate')),
      col('target_date', 'timestamptz', date('targetdate')),
      col('deadline_date', 'timestamptz', date('deadlinedate')),
      col('date_closed', 'timestamptz', date('dateclosed')),
      col('time_budget', 'double precision', num('projecttimebudget')),
      col('money_budget', 'double precision', num('projectmoneybudget')),
      col('time_actual', 'double precision', num('projecttimeactual')),
      col('money_actual', 'double precision', num('projectmoneyactual')),
      col('on_hold', 'boolean', bool('onhold')),
    ],
  },
  tasks: {
    table: 'halo_tasks',
    common: true,
    columns: [
      col('project_id', 'bigint', id('parent_id')),
      col('milestone_id', 'bigint', id('milestone_id')),
      col('summary', 'text', text('summary')),
      col('status_id', 'bigint', id('status_id')),
      col('agent_id', 'bigint', id('agent_id')),
      col('tickettype_id', 'bigint', id('tickettype_id')),
      col('estimate_hours', 'double precision', num('estimate')),
      col('date_occurred', 'timestamptz', date('dateoccurred')),
      col('target_date', 'timestamptz', date('targetdate')),
      col('date_closed', 'timestamptz', date('dateclosed')),
      col('on_hold', 'boolean', bool('onhold')),
    ],
  },
  tickets: {
    table: 'halo_tickets',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('status_id', 'bigint', id('status_id')),
      col('priority_id', 'bigint', id('priority_id')),
      col('tickettype_id', 'bigint', id('tickettype_id')),
      col('agent_id', 'bigint', id('agent_id')),
      col('category', 'text', text('category_1')),
      col('date_occurred', 'timestamptz', date('dateoccurred')),
      col('date_closed', 'timestamptz', date('dateclosed')),
      col('sla_state', 'text', text('slaresponsestate')),
      col('sla_percent_used', 'double precision', num('slapercused')),
    ],
  },
  actions: {
    table: 'halo_actions',
    common: true,
    columns: [
      col('ticket_id', 'bigint', id('ticket_id')),
      col('action_at', 'timestamptz', date('datetime')),
      col('who_agent_id', 'bigint', id('who_agentid')),
      col('new_status', 'bigint', id('new_status')),
      col('outcome', 'text', text('outcome')),
      col('timetaken', 'double precision', num('timetaken')),
    ],
  },
  timesheetEvents: {
    table: 'halo_timesheet_events',
    common: true,
    columns: [
      col('ticket_id', 'bigint', id('ticket_id')),
      col('agent_id', 'bigint', id('agent_id')),
      col('client_id', 'bigint', id('client_id')),
      col('contract_id', 'bigint', id('contract_id')),
      col('start_at', 'timestamptz', date('start_date')),
      col('end_at', 'timestamptz', date('end_date')),
      col('hours', 'double precision', num('timetaken')),
      col('charge_rate', 'double precision', num('charge_rate')),
    ],
  },
  contracts: {
    table: 'halo_contracts',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('ref', 'text', text('ref')),
      col('start_date', 'timestamptz', date('start_date')),
      col('end_date', 'timestamptz', date('end_date')),
      col('period_charge', 'double precision', num('periodchargeamount')),
      col('billing_period', 'text', text('billingperiod')),
      col('active', 'boolean', bool('active')),
    ],
  },
  recurringInvoices: {
    table: 'halo_recurring_invoices',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('contract_id', 'bigint', id('contract_id')),
      col('total', 'double precision', num('total')),
    ],
  },
  invoices: {
    table: 'halo_invoices',
    common: true,
    columns: [
      col('client_id', 'bigint', id('client_id')),
      col('contract_id', 'bigint', id('contract_id')),
      col('invoice_date', 'timestamptz', date('invoice_date')),
      col('due_date', 'timestamptz', date('duedate')),
      col('total', 'double precision', num('total')),
      col('amount_paid', 'double precision', num('amountpaid')),
      col('amount_due', 'double precision', num('amountdue')),
      col('payment_status', 'text', text('paymentstatus')),
    ],
  },
} satisfies Record<string, MirrorTable>;

/** The names of the mirrored resources. */
export type MirroredResource = keyof typeof MIRROR_TABLES;

/** Detail columns read from a full record (GET /api/<Resource>/{id}). */
export const DETAIL_COLUMNS = {
  contracts: [
    col('hours_per_period', 'double precision', num('chargehoursperperiod')),
    col('prepay_balance', 'double precision', num('contract_prepaybalance')),
    col('cost_per_period', 'double precision', num('costperperiod')),
  ],
  projects: [] as MirrorColumn[],
} satisfies Partial<Record<MirroredResource, MirrorColumn[]>>;

/** Milestones come from a project's full record and land in their own table. */
export const MILESTONE_TABLE: MirrorTable = {
  table: 'halo_milestones',
  common: false,
  columns: [
    col('project_id', 'bigint', id('ticket_id')),
    col('name', 'text', text('name')),
    col('sequence', 'integer', (r) => numberOf(r.sequence)),
    col('start_date', 'timestamptz', date('start_date')),
    col('target_date', 'timestamptz', date('target_date')),
    col('complete', 'boolean', bool('_complete')),
    col('value', 'double precision', num('milestone_value')),
    col('agent_id', 'bigint', id('agent_id')),
  ],
};
