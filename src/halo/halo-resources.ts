/**
 * The catalogue of HaloPSA resources Control Tower syncs, as data: where each is listed, how the
 * list is wrapped, whether it pages, which extra parameters it needs and whether each record must
 * be re-read in full. The client pages through these; the sync walks them in order.
 *
 * Tasks versus service tickets: both come from `GET /api/Tickets` (projects come from
 * `GET /api/Projects`, also in a `tickets` envelope). HaloPSA has no documented list filter for
 * "has a parent", and `GET /api/Tickets?parent_id={project}` per project would cost one request per
 * project, so tasks and service tickets share ONE listing of `/api/Tickets` and are told apart per
 * record by {@link classifyTicket}:
 * - `project`: `is_project` is true (projects also come from `/api/Projects`; skip them here);
 * - `task`: `parent_id` is a positive integer (a child ticket) and, when the set of known project
 *   ids is given, that parent is a project;
 * - `ticket` (service ticket): everything else, including child tickets of a non-project parent.
 * The sync lists `tickets` once (the client yields every row of `/api/Tickets` for it) and
 * partitions the rows; `tasks` names the shared listing (`sharesListingWith`), and the client's
 * `listPages('tasks')` yields only task rows, for callers that want just those.
 */

export type HaloResourceName =
  | 'clients'
  | 'contacts'
  | 'agents'
  | 'projects'
  | 'tasks'
  | 'tickets'
  | 'actions'
  | 'timesheetEvents'
  | 'contracts'
  | 'recurringInvoices'
  | 'invoices'
  | 'statuses';

/** What one ticket row from `/api/Tickets` or `/api/Projects` is in Control Tower's terms. */
export type TicketKind = 'project' | 'task' | 'ticket';

/** Extra query parameters of a list or detail request. */
export type HaloQueryParams = Record<string, string | number | boolean | undefined>;

/** A per-record detail read (`GET /api/{path}/{id}?{params}`). */
export interface HaloDetailRead {
  /** Path under `/api`. */
  path: string;
  /** Query parameters of the detail read. */
  params: HaloQueryParams;
  /** Fields only the detail read carries: why the extra request is worth its budget. */
  fields: readonly string[];
}

export interface HaloResourceSpec {
  /** Control Tower's name for the resource. */
  name: HaloResourceName;
  /** Path under `/api` as HaloPSA spells it (routing is case-insensitive). */
  path: string;
  /** Key of the records array in the list envelope, or `null` when the list is a bare array. */
  envelope: string | null;
  /** Whether the list pages (`pageinate=true&page_size&page_no`); lookups are read in one go. */
  pages: boolean;
  /** Whether `lastupdatefromdate` narrows the list to changed records (documented for these). */
  incremental: boolean;
  /** Extra parameters sent on every list request. */
  listParams: HaloQueryParams;
  /** Which kind of ticket row this resource keeps, for the resources listed from `/api/Tickets`. */
  ticketKind?: TicketKind;
  /** Another resource whose listing this one is partitioned from (one listing serves both). */
  sharesListingWith?: HaloResourceName;
  /** The per-record full read, when list rows lack fields the app needs; `null` otherwise. */
  detail: HaloDetailRead | null;
  /** What a reader of the catalogue should know (uncertain envelope keys, required filters). */
  notes: string;
}

/** The catalogue, one entry per synced resource, in a dependency-friendly sync order. */
export const HALO_RESOURCES: readonly HaloResourceSpec[] = [
  {
    name: 'statuses',
    path: 'Status',
    envelope: null,
    pages: false,
    incremental: false,
    listParams: {},
    detail: null,
    notes: 'Lookup, bare array; read whole.',
  },
  {
    name: 'agents',
    path: 'Agent',
    envelope: null,
    pages: false,
    incremental: false,
    listParams: {},
    detail: null,
    notes: 'Lookup, bare array; read whole.',
  },
  {
    name: 'clients',
    path: 'Client',
    envelope: 'clients',
    pages: true,
    incremental: true,
    listParams: { includeinactive: true },
    detail: null,
    notes: 'Inactive clients are kept: their history still counts.',
  },
  {
    name: 'contacts',
    path: 'Users',
    envelope: 'users',
    pages: true,
    incremental: false,
    listParams: { includeinactive: true },
    detail: null,
    notes:
      "A client's people (HaloPSA end-users), each naming its client_id; inactive ones are kept.",
  },
  {
    name: 'projects',
    path: 'Projects',
    envelope: 'tickets',
    pages: true,
    incremental: true,
    listParams: {},
    ticketKind: 'project',
    detail: {
      path: 'Projects',
      params: { includedetails: true },
      fields: ['milestones', 'budgets'],
    },
    notes: 'Projects are tickets with is_project; milestones and budgets only on the full record.',
  },
  {
    name: 'tickets',
    path: 'Tickets',
    envelope: 'tickets',
    pages: true,
    incremental: true,
    listParams: {},
    ticketKind: 'ticket',
    detail: null,
    notes:
      'The /api/Tickets listing: the client yields every row; service tickets are the rows ' +
      'classifyTicket calls "ticket", the rest are tasks (and projects, synced on their own).',
  },
  {
    name: 'tasks',
    path: 'Tickets',
    envelope: 'tickets',
    pages: true,
    incremental: true,
    listParams: {},
    ticketKind: 'task',
    sharesListingWith: 'tickets',
    detail: null,
    notes:
      'Project tasks: child tickets (parent_id set) of a project, from the /api/Tickets listing.',
  },
  {
    name: 'actions',
    path: 'Actions',
    envelope: 'actions',
    pages: true,
    incremental: false,
    listParams: {},
    detail: null,
    notes:
      'Notes and time entries; HaloPSA documents ticket_id as the filter, pass it to read one ' +
      "ticket's actions.",
  },
  {
    name: 'timesheetEvents',
    path: 'TimesheetEvent',
    envelope: null,
    pages: true,
    incremental: false,
    listParams: {},
    detail: null,
    notes: 'Bare array; narrow with agent_id, start_date, end_date.',
  },
  {
    name: 'contracts',
    path: 'ClientContract',
    envelope: 'contracts',
    pages: true,
    incremental: false,
    listParams: {},
    detail: {
      path: 'ClientContract',
      params: {},
      fields: [
        'termmonths',
        'rollingcontract',
        'costperperiod',
        'chargehoursperperiod',
        'contract_prepaybalance',
      ],
    },
    notes:
      'Envelope key "contracts" is reported by clients, not confirmed; entitlements on detail.',
  },
  {
    name: 'recurringInvoices',
    path: 'RecurringInvoice',
    envelope: 'invoices',
    pages: true,
    incremental: false,
    listParams: { includelines: true },
    detail: null,
    notes: 'Envelope key "invoices" is reported, not confirmed; lines carry billed quantities.',
  },
  {
    name: 'invoices',
    path: 'Invoice',
    envelope: 'invoices',
    pages: true,
    incremental: false,
    listParams: {},
    detail: null,
    notes: 'amountdue, duedate and paymentstatus are current state, not history.',
  },
];

const byName = new Map<HaloResourceName, HaloResourceSpec>(HALO_RESOURCES.map((r) => [r.name, r]));

/** Every resource name in catalogue order. */
export const HALO_RESOURCE_NAMES: readonly HaloResourceName[] = HALO_RESOURCES.map((r) => r.name);

/** True when `name` is a catalogued resource name. */
export function isHaloResourceName(name: string): name is HaloResourceName {
  return byName.has(name as HaloResourceName);
}

/** The catalogue entry of a resource, or `undefined` for an unknown name. */
export function haloResource(name: string): HaloResourceSpec | undefined {
  return byName.get(name as HaloResourceName);
}

function positiveInt(value: unknown): number | null {
  // HaloPSA spells ids as 21, "21" or 21.0.
  const n = typeof value === 'string' && /^\s*\d+(\.0+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/**
 * Classifies a ticket row (see the module comment). `projectIds`, when given, are the ids of known
 * projects: a child ticket whose parent is not among them is a service ticket, not a task.
 */
export function classifyTicket(raw: unknown, projectIds?: ReadonlySet<number>): TicketKind {
  if (typeof raw !== 'object' || raw === null) return 'ticket';
  const row = raw as Record<string, unknown>;
  if (truthy(row.is_project)) return 'project';
  const parent = positiveInt(row.parent_id);
  if (parent === null) return 'ticket';
  if (projectIds !== undefined && !projectIds.has(parent)) return 'ticket';
  return 'task';
}
