/**
 * Schemas of the HaloPSA records Control Tower reads. Lenient where HaloPSA is: unknown fields pass
 * through and are kept, numbers may arrive as numeric strings, dates may lack a zone (read as UTC)
 * and `1900-01-01` stands for "no date". Strict where the app needs a field: ids are positive
 * integers, a project names its client, numeric fields are numeric when present.
 *
 * {@link validateRecords} turns each invalid record into data-quality issues that name the record
 * and the field; it never throws and never drops a record silently.
 */
import { z } from 'zod';
import type { HaloResourceName } from './halo-resources';

/** One problem found in one record: surfaced to the operator, never swallowed. */
export interface DataQualityIssue {
  /** Resource the record came from. */
  resource: HaloResourceName;
  /** The record's id as text, or `null` when the id itself is missing or invalid. */
  recordId: string | null;
  /** Dotted path of the offending field (`client_id`, `milestones.0.target_date`, `(record)`). */
  field: string;
  /** What is wrong, in plain words. */
  problem: string;
}

const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A number, a numeric string, or `undefined` when the value is not numeric at all. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

function isAbsent(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/** Required positive integer (ids). */
const id = z.unknown().transform((value, ctx): number => {
  const n = toNumber(value);
  if (n === undefined || !Number.isInteger(n) || n <= 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: isAbsent(value) ? 'is required' : `must be a positive integer, got ${show(value)}`,
    });
    return z.NEVER;
  }
  return n;
});

/** Optional reference to another record; HaloPSA writes 0 or -1 for "none", read as `null`. */
const ref = z.unknown().transform((value, ctx): number | null => {
  if (isAbsent(value)) return null;
  const n = toNumber(value);
  if (n === undefined || !Number.isInteger(n)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be an integer id, got ${show(value)}`,
    });
    return z.NEVER;
  }
  return n > 0 ? n : null;
});

/** Optional number; numeric strings are coerced, empty strings read as `null`. */
const num = z.unknown().transform((value, ctx): number | null => {
  if (isAbsent(value)) return null;
  const n = toNumber(value);
  if (n === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be numeric, got ${show(value)}` });
    return z.NEVER;
  }
  return n;
});

/** Optional boolean; HaloPSA and its exports also use 0/1 and "true"/"false". */
const bool = z.unknown().transform((value, ctx): boolean | null => {
  if (isAbsent(value)) return null;
  if (value === true || value === 1 || value === 'true' || value === '1') return true;
  if (value === false || value === 0 || value === 'false' || value === '0') return false;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a boolean, got ${show(value)}` });
  return z.NEVER;
});

/** Optional text; numbers are kept as their decimal text (reference numbers arrive both ways). */
const text = z.unknown().transform((value, ctx): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be text, got ${show(value)}` });
  return z.NEVER;
});

/**
 * Optional code whose type HaloPSA versions disagree on (an enum number or its name, e.g.
 * `billingperiod`, `paymentstatus`): kept as sent, number or text.
 */
const code = z.unknown().transform((value, ctx): string | number | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `must be a number or text, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Required non-empty text. */
const requiredText = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.trim() !== '') return value;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: isAbsent(value) ? 'is required' : `must be non-empty text, got ${show(value)}`,
  });
  return z.NEVER;
});

/**
 * Normalises a HaloPSA date to ISO-8601 UTC with `Z`. Zone-less values are UTC; a date-only value
 * is midnight UTC; more than 3 fractional digits (.NET ticks) are truncated. Returns `null` for
 * HaloPSA's "no date" sentinel (any year before 1901) and `undefined` when unparseable.
 */
export function normaliseHaloDate(value: string): string | null | undefined {
  const m = ISO_DATE.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac === '' ? '' : `.${frac.slice(1, 4).padEnd(3, '0')}`;
  const offset =
    zone === 'Z' || zone === 'z'
      ? 'Z'
      : zone.includes(':')
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(at.getTime())) return undefined;
  // Reject roll-overs such as 2025-02-30 that Date would silently accept.
  if (offset === 'Z' && at.getUTCDate() !== Number(d)) return undefined;
  if (at.getUTCFullYear() < 1901) return null;
  return at.toISOString();
}

/** Optional date, normalised by {@link normaliseHaloDate}. */
const date = z.unknown().transform((value, ctx): string | null => {
  if (isAbsent(value)) return null;
  if (typeof value === 'string') {
    const iso = normaliseHaloDate(value);
    if (iso !== undefined) return iso;
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `must be an ISO-8601 date, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Required date. */
const requiredDate = z.unknown().transform((value, ctx): string => {
  const iso = typeof value === 'string' ? normaliseHaloDate(value) : undefined;
  if (typeof iso === 'string') return iso;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: isAbsent(value) ? 'is required' : `must be an ISO-8601 date, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Custom field values are kept as HaloPSA sends them. */
const customfields = z.array(z.unknown()).nullish();

/** Ticket and project row fields shared by projects, tasks and service tickets. */
const ticketFields = {
  id,
  dateoccurred: date,
  summary: text,
  details: text,
  status_id: ref,
  status_name: text,
  tickettype_id: ref,
  tickettype_name: text,
  client_id: ref,
  client_name: text,
  site_id: ref,
  agent_id: ref,
  agent_name: text,
  team: text,
  priority_id: ref,
  sla_id: ref,
  estimate: num,
  estimatedays: num,
  timetaken: num,
  chargehours: num,
  nonchargehours: num,
  onhold: bool,
  respondbydate: date,
  responsedate: date,
  fixbydate: date,
  dateclosed: date,
  slaresponsestate: code,
  slapercused: num,
  slatimeleft: num,
  excludefromsla: bool,
  startdate: date,
  targetdate: date,
  deadlinedate: date,
  lastactiondate: date,
  last_update: date,
  parent_id: ref,
  child_count: num,
  milestone_id: ref,
  milestone_name: text,
  projecttimebudget: num,
  projecttimeactual: num,
  projectmoneybudget: num,
  projectmoneyactual: num,
  budgettype: code,
  is_project: bool,
  hasbeenclosed: bool,
  customfields,
};

/** A ticket linked to a milestone, inside a milestone. */
export const haloMilestoneTicketSchema = z
  .object({ id: ref, milestone_id: ref, ticket_id: ref, ticket_name: text })
  .passthrough();

/** A project milestone (only on the full project record). */
export const haloMilestoneSchema = z
  .object({
    id,
    ticket_id: ref,
    name: text,
    sequence: num,
    start_date: date,
    target_date: date,
    tickets: z.array(haloMilestoneTicketSchema).nullish(),
    _complete: bool,
    milestone_value: num,
    last_update: date,
  })
  .passthrough();

/** A project budget line (only on the full project record). */
export const haloBudgetSchema = z
  .object({
    budgettype_id: ref,
    budgettype_name: text,
    hours: num,
    money: num,
    estimated_hours: num,
    actual_hours: num,
    actual_money: num,
    remaining_hours: num,
  })
  .passthrough();

/** A HaloPSA client (customer). */
export const haloClientSchema = z
  .object({
    id,
    name: requiredText,
    inactive: bool,
    toplevel_id: ref,
    toplevel_name: text,
    accountmanagertech: ref,
    accountmanagertech_name: text,
    website: text,
    is_vip: bool,
    customfields,
    last_update: date,
  })
  .passthrough();

/** A HaloPSA agent (technician). */
export const haloAgentSchema = z
  .object({
    id,
    name: requiredText,
    email: text,
    team: text,
    inactive: bool,
    isdisabled: bool,
    last_update: date,
  })
  .passthrough();

/** A project: a ticket with `is_project`, which must name its client. */
export const haloProjectSchema = z
  .object({
    ...ticketFields,
    client_id: id,
    milestones: z.array(haloMilestoneSchema).nullish(),
    budgets: z.array(haloBudgetSchema).nullish(),
  })
  .passthrough();

/** A project task: a child ticket whose `parent_id` is its project. */
export const haloTaskSchema = z.object({ ...ticketFields, parent_id: id }).passthrough();

/** A service ticket. */
export const haloTicketSchema = z.object(ticketFields).passthrough();

/** An action on a ticket: a note, a status change or a time entry (`timetaken`, hours). */
export const haloActionSchema = z
  .object({
    id,
    ticket_id: id,
    outcome: text,
    outcome_id: ref,
    who: text,
    who_agentid: ref,
    datetime: date,
    note: text,
    note_html: text,
    timetaken: num,
    nonbilltime: num,
    chargerate: num,
    actisbillable: bool,
    hiddenfromuser: bool,
    important: bool,
    new_status: ref,
    last_update: date,
  })
  .passthrough();

/** A timesheet entry. */
export const haloTimesheetEventSchema = z
  .object({
    id,
    event_type: num,
    subject: text,
    start_date: requiredDate,
    end_date: date,
    timetaken: num,
    agent_id: ref,
    ticket_id: ref,
    action_number: num,
    note: text,
    client_id: ref,
    site_id: ref,
    charge_rate: num,
    contract_id: ref,
    tickettype_id: ref,
    last_update: date,
  })
  .passthrough();

/** A client contract (service agreement); the entitlement fields come from the full record. */
export const haloContractSchema = z
  .object({
    id,
    client_id: id,
    client_name: text,
    ref: text,
    start_date: date,
    end_date: date,
    expired: bool,
    billingperiod: code,
    status: code,
    contract_status: code,
    periodchargeamount: num,
    next_invoice_date: date,
    contracttype_name: text,
    active: bool,
    last_modified: date,
    customfields,
    termmonths: num,
    rollingcontract: bool,
    costperperiod: num,
    chargehoursperperiod: num,
    contract_prepaybalance: num,
    last_update: date,
  })
  .passthrough();

/** An invoice line. */
export const haloInvoiceLineSchema = z
  .object({
    id: ref,
    item_shortdescription: text,
    qty_order: num,
    unit_price: num,
    net_amount: num,
  })
  .passthrough();

const invoiceFields = {
  id,
  client_id: id,
  invoicenumber: text,
  invoice_date: date,
  duedate: date,
  contract_id: ref,
  total: num,
  amountpaid: num,
  amountdue: num,
  paymentstatus: code,
  posted: bool,
  is_recurring_invoice: bool,
  nextcreationdate: date,
  period: code,
  lines: z.array(haloInvoiceLineSchema).nullish(),
  last_update: date,
};

/** A recurring invoice: what is billed each period. */
export const haloRecurringInvoiceSchema = z.object(invoiceFields).passthrough();

/** An issued invoice. */
export const haloInvoiceSchema = z.object(invoiceFields).passthrough();

/** A ticket status (lookup). */
export const haloStatusSchema = z
  .object({ id, name: requiredText, type: code, shortname: text, last_update: date })
  .passthrough();

/** Parsed client. */
export type HaloClientRecord = z.infer<typeof haloClientSchema>;
/** Parsed agent. */
export type HaloAgent = z.infer<typeof haloAgentSchema>;
/** Parsed project (with milestones and budgets when read in full). */
export type HaloProject = z.infer<typeof haloProjectSchema>;
/** Parsed milestone. */
export type HaloMilestone = z.infer<typeof haloMilestoneSchema>;
/** Parsed project budget line. */
export type HaloBudget = z.infer<typeof haloBudgetSchema>;
/** Parsed project task. */
export type HaloTask = z.infer<typeof haloTaskSchema>;
/** Parsed service ticket. */
export type HaloTicket = z.infer<typeof haloTicketSchema>;
/** Parsed action. */
export type HaloAction = z.infer<typeof haloActionSchema>;
/** Parsed timesheet entry. */
export type HaloTimesheetEvent = z.infer<typeof haloTimesheetEventSchema>;
/** Parsed contract. */
export type HaloContract = z.infer<typeof haloContractSchema>;
/** Parsed invoice line. */
export type HaloInvoiceLine = z.infer<typeof haloInvoiceLineSchema>;
/** Parsed recurring invoice. */
export type HaloRecurringInvoice = z.infer<typeof haloRecurringInvoiceSchema>;
/** Parsed invoice. */
export type HaloInvoice = z.infer<typeof haloInvoiceSchema>;
/** Parsed status. */
export type HaloStatus = z.infer<typeof haloStatusSchema>;

/** The schema of each resource's records. */
export const HALO_RECORD_SCHEMAS = {
  clients: haloClientSchema,
  agents: haloAgentSchema,
  projects: haloProjectSchema,
  tasks: haloTaskSchema,
  tickets: haloTicketSchema,
  actions: haloActionSchema,
  timesheetEvents: haloTimesheetEventSchema,
  contracts: haloContractSchema,
  recurringInvoices: haloRecurringInvoiceSchema,
  invoices: haloInvoiceSchema,
  statuses: haloStatusSchema,
} as const satisfies Record<HaloResourceName, z.ZodTypeAny>;

/** The parsed record type of a resource. */
export type HaloRecordOf<R extends HaloResourceName> = z.infer<(typeof HALO_RECORD_SCHEMAS)[R]>;

/** A record that passed validation, with what HaloPSA sent kept alongside. */
export interface ValidRecord<T> {
  /** The record's id. */
  id: number;
  /** The parsed, normalised record (unknown fields kept). */
  data: T;
  /** The record exactly as received. */
  raw: unknown;
}

/** Outcome of {@link validateRecords}: every input is in exactly one of the two lists. */
export interface ValidationResult<T> {
  /** Records that passed, in input order. */
  records: Array<ValidRecord<T>>;
  /** One or more issues per record that failed. */
  exceptions: DataQualityIssue[];
}

function recordIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const parsed = id.safeParse((raw as Record<string, unknown>).id);
  return parsed.success ? String(parsed.data) : null;
}

/**
 * Validates raw records of one resource. Each invalid record yields one issue per bad field (with
 * the record's id, or `null` if the id is itself bad); valid records are parsed and normalised.
 */
export function validateRecords<R extends HaloResourceName>(
  resource: R,
  raw: readonly unknown[],
): ValidationResult<HaloRecordOf<R>> {
  const schema: z.ZodType<HaloRecordOf<R>, z.ZodTypeDef, unknown> = HALO_RECORD_SCHEMAS[resource];
  const records: Array<ValidRecord<HaloRecordOf<R>>> = [];
  const exceptions: DataQualityIssue[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      exceptions.push({
        resource,
        recordId: null,
        field: '(record)',
        problem: `must be an object, got ${show(item)}`,
      });
      continue;
    }
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      const data = parsed.data;
      records.push({ id: (data as { id: number }).id, data, raw: item });
      continue;
    }
    const recordId = recordIdOf(item);
    for (const issue of parsed.error.issues) {
      exceptions.push({
        resource,
        recordId,
        field: issue.path.length > 0 ? issue.path.join('.') : '(record)',
        problem: issue.message,
      });
    }
  }
  return { records, exceptions };
}
