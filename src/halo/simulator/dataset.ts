/** The shape of a generated HaloPSA dataset: served collections plus the generator's intent. */
import type { ActionData } from './action-store';
import type { NameData } from './names';
import type { TicketData } from './ticket-store';
import type { TimesheetData } from './timesheet-store';

/** A HaloPSA record as JSON (HaloPSA field names). */
export type HaloRecord = Record<string, unknown>;

/** The resources the simulator serves, named as in the URL (`/api/<Resource>`). */
export type HaloResource =
  | 'Tickets'
  | 'Projects'
  | 'Actions'
  | 'TimesheetEvent'
  | 'Client'
  | 'Site'
  | 'ClientContract'
  | 'RecurringInvoice'
  | 'Invoice'
  | 'Agent'
  | 'Status'
  | 'TicketType'
  | 'Priority';

/** Every served resource, in a stable order. */
export const HALO_RESOURCES: readonly HaloResource[] = [
  'Tickets',
  'Projects',
  'Actions',
  'TimesheetEvent',
  'Client',
  'Site',
  'ClientContract',
  'RecurringInvoice',
  'Invoice',
  'Agent',
  'Status',
  'TicketType',
  'Priority',
];

/**
 * Read access to one base collection. Rows are materialised on demand so large collections can be
 * columnar. Rows are ordered by ascending id.
 */
export interface RecordCollection {
  /** Records with the same `table` share ids and data overrides (Tickets and Projects share "ticket"). */
  readonly table: string;
  /** Number of records. */
  readonly length: number;
  /** The id of the record at an index. */
  id(index: number): number;
  /** The index of an id, or -1. */
  indexOf(id: number): number;
  /** `last_update` of the record at an index, epoch ms. */
  lastUpdate(index: number): number;
  /** One field of the list row (fast path for filters; may materialise). */
  field(index: number, name: string): unknown;
  /** The list row as served by `GET /api/<Resource>`. */
  row(index: number): HaloRecord;
  /** The full record as served by `GET /api/<Resource>/{id}`. */
  full(index: number): HaloRecord;
}

/** What the generator meant a project to be; for tests and replay scoring, never read by the app. */
export interface ProjectIntent {
  projectId: number;
  situation: 'healthy' | 'burning' | 'slipping' | 'blocked' | 'missing-data';
  /** Day (YYYY-MM-DD) the underlying trouble starts (burn drift, velocity drop, blockage). */
  troubleStartsOn?: string;
  /** First day the slip or overrun is visible in HaloPSA (milestone target passed incomplete, or hours > budget). */
  visibleOn?: string;
  expectedDriver: 'burn' | 'schedule' | 'dependency' | null;
  slipped: boolean;
  overran: boolean;
  /** Healthy noise: 'burn-spike' | 'short-hold' | 'quiet-week'. */
  noise?: string;
  /** Which data is missing for 'missing-data': 'no-budget' | 'no-owner' | 'no-timesheets'. */
  missing?: string;
  /** True when the project was closed on or before asOf. */
  closed: boolean;
}

/** What the generator meant a contract to be. */
export interface ContractIntent {
  contractId: number;
  clientId: number;
  situation: 'healthy' | 'at-risk' | 'churn' | 'expanding' | 'overrunning' | 'under-billed';
  churns: boolean;
  expands: boolean;
  /** YYYY-MM-DD. */
  endDate: string;
  /** Day (YYYY-MM-DD) the client-level signals start (churn, at-risk, expanding, overrunning). */
  signalsStartOn?: string;
}

/** The generator's record of what it meant. */
export interface DatasetIntent {
  projects: ProjectIntent[];
  contracts: ContractIntent[];
}

/** The small resources, stored as plain record arrays (ascending id). */
export type ObjectResource = Exclude<
  HaloResource,
  'Tickets' | 'Projects' | 'Actions' | 'TimesheetEvent'
>;

/** Plain, structured-clone safe storage of a dataset (typed arrays, arrays, Maps). */
export interface DatasetData {
  names: NameData;
  tickets: TicketData;
  actions: ActionData;
  timesheets: TimesheetData;
  objects: Record<ObjectResource, HaloRecord[]>;
}

/**
 * A generated dataset. Pure data (it survives `structuredClone`); read it through
 * `datasetCollections()`. Immutable once generated: the server keeps its own overrides.
 */
export interface HaloDataset {
  profile: 'demo' | 'large';
  seed: number;
  /** The dataset's "today" (YYYY-MM-DD); current-state fields are as of this day. */
  asOf: string;
  data: DatasetData;
  intent: DatasetIntent;
}

/** A collection over plain objects (used for the small resources). */
export class ObjectCollection implements RecordCollection {
  private readonly byId = new Map<number, number>();

  constructor(
    readonly table: string,
    private readonly rows: HaloRecord[],
    private readonly fullOf: (row: HaloRecord) => HaloRecord = (r) => r,
    private readonly listOf: (row: HaloRecord) => HaloRecord = (r) => r,
  ) {
    rows.forEach((r, i) => this.byId.set(Number(r.id), i));
  }

  get length(): number {
    return this.rows.length;
  }

  id(index: number): number {
    return Number(this.at(index).id);
  }

  indexOf(id: number): number {
    return this.byId.get(id) ?? -1;
  }

  lastUpdate(index: number): number {
    return Date.parse(String(this.at(index).last_update));
  }

  field(index: number, name: string): unknown {
    return this.at(index)[name];
  }

  row(index: number): HaloRecord {
    return this.listOf(this.at(index));
  }

  full(index: number): HaloRecord {
    return this.fullOf(this.at(index));
  }

  private at(index: number): HaloRecord {
    const r = this.rows[index];
    if (!r) throw new RangeError(`No record at ${index} in ${this.table}`);
    return r;
  }
}

/** All records of a base collection as list rows (tests and checksums). */
export function collectionRows(c: RecordCollection): HaloRecord[] {
  const out: HaloRecord[] = [];
  for (let i = 0; i < c.length; i++) out.push(c.row(i));
  return out;
}

/** A shallow copy of a record without some fields. */
export function omit(record: HaloRecord, fields: readonly string[]): HaloRecord {
  const out = { ...record };
  for (const f of fields) delete out[f];
  return out;
}
