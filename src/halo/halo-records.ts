/**
 * Schemas of the HaloPSA records Control Tower reads, built from the field parsers of
 * `halo-fields.ts`. Lenient where HaloPSA is: unknown fields pass through and are kept. Strict
 * where the app needs a field: ids are positive integers, a project names its client, numeric
 * fields are numeric when present.
 *
 * {@link validateRecords} turns each invalid record into data-quality issues that name the record
 * and the field; it never throws and never drops a record silently.
 */
import { z } from 'zod';
import {
  bool,
  code,
  customfields,
  date,
  id,
  num,
  ref,
  requiredDate,
  requiredText,
  show,
  text,
} from './halo-fields';
import type { HaloResourceName } from './halo-resources';

/** One problem found in one record: surfaced to the operator, never swallowed. */
export interface DataQualityIssue {
  resource: HaloResourceName;
  /** The record's id as text, or `null` when the id itself is missing or invalid. */
  recordId: string | null;
  /** Dotted path of the offending field (`client_id`, `milestones.0.target_date`, `(record)`). */
  field: string;
  /** What is wrong, in plain words. */
  problem: string;
}

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

/** A client's person (HaloPSA end-user, `GET /api/Users`): must name its client. */
export const haloContactSchema = z
  .object({
    id,
    name: requiredText,
    firstname: text,
    surname: text,
    emailaddress: text,
    jobtitle: text,
    client_id: id,
    client_name: text,
    site_id: ref,
    site_name: text,
    inactive: bool,
    isimportantcontact: bool,
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

export const haloInvoiceSchema = z.object(invoiceFields).passthrough();

/** A ticket status (lookup). */
export const haloStatusSchema = z
  .object({ id, name: requiredText, type: code, shortname: text, last_update: date })
  .passthrough();

export type HaloClientRecord = z.infer<typeof haloClientSchema>;
export type HaloContact = z.infer<typeof haloContactSchema>;
export type HaloAgent = z.infer<typeof haloAgentSchema>;
export type HaloProject = z.infer<typeof haloProjectSchema>;
export type HaloMilestone = z.infer<typeof haloMilestoneSchema>;
export type HaloBudget = z.infer<typeof haloBudgetSchema>;
export type HaloTask = z.infer<typeof haloTaskSchema>;
export type HaloTicket = z.infer<typeof haloTicketSchema>;
export type HaloAction = z.infer<typeof haloActionSchema>;
export type HaloTimesheetEvent = z.infer<typeof haloTimesheetEventSchema>;
export type HaloContract = z.infer<typeof haloContractSchema>;
export type HaloInvoiceLine = z.infer<typeof haloInvoiceLineSchema>;
export type HaloRecurringInvoice = z.infer<typeof haloRecurringInvoiceSchema>;
export type HaloInvoice = z.infer<typeof haloInvoiceSchema>;
export type HaloStatus = z.infer<typeof haloStatusSchema>;

/** The schema of each resource's records. */
export const HALO_RECORD_SCHEMAS = {
  clients: haloClientSchema,
  contacts: haloContactSchema,
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

const declared = new Map<HaloResourceName, ReadonlySet<string>>();

function declaredFields(resource: HaloResourceName): ReadonlySet<string> {
  let fields = declared.get(resource);
  if (fields === undefined) {
    fields = new Set(Object.keys(HALO_RECORD_SCHEMAS[resource].shape));
    declared.set(resource, fields);
  }
  return fields;
}

/**
 * Reference fields the schema does not declare (`contract_id` on a ticket, `team_id`…) are read
 * like declared ones: HaloPSA spells them `21`, `"21"` or `21.0`, and 0 or -1 for "none" (`null`).
 * A value that is no id at all is kept as sent, like any unknown field.
 */
function normaliseUndeclaredReferences<T>(data: T, fields: ReadonlySet<string>): T {
  const record = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (fields.has(key) || !key.endsWith('_id')) continue;
    const parsed = ref.safeParse(value);
    if (parsed.success) record[key] = parsed.data;
  }
  return data;
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
      const data = normaliseUndeclaredReferences(parsed.data, declaredFields(resource));
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
