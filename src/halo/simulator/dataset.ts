/** The shape of a generated HaloPSA dataset: served collections plus the generator's intent. */
import type { ActionData } from './action-store';
import type { NameData } from './names';
import type { HaloRecord } from './record-collection';
import type { TicketData } from './ticket-store';
import type { TimesheetData } from './timesheet-store';

/** The resources the simulator serves, named as in the URL (`/api/<Resource>`). */
export type HaloResource =
  | 'Tickets'
  | 'Projects'
  | 'Actions'
  | 'TimesheetEvent'
  | 'Client'
  | 'Site'
  | 'Users'
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
  'Users',
  'ClientContract',
  'RecurringInvoice',
  'Invoice',
  'Agent',
  'Status',
  'TicketType',
  'Priority',
];

/** What the generator meant a project to be; for tests and replay scoring, never read by the app. */
export interface ProjectIntent {
  projectId: number;
  /** The scenario that produced the project (independent library), e.g. 'resourcing-gap'. */
  archetype?: string;
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
  /** The scenario that produced the contract (independent library), e.g. 'churn-with-warning'. */
  archetype?: string;
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
  profile: 'demo' | 'large' | 'independent';
  seed: number;
  /** The dataset's "today" (YYYY-MM-DD); current-state fields are as of this day. */
  asOf: string;
  data: DatasetData;
  intent: DatasetIntent;
}
