/** Fixed HaloPSA lookup data the simulator serves (statuses, ticket types, priorities) and text templates. */
import type { HaloRecord } from './record-collection';

/** Status ids used by the generator. 9 is the only closed status; 4 and 6 are "on hold" statuses. */
export const STATUS = {
  new: 1,
  inProgress: 2,
  actionRequired: 3,
  onHold: 4,
  waitingOnCustomer: 5,
  waitingOnDependency: 6,
  closed: 9,
} as const;

const STATUS_ROWS: ReadonlyArray<[number, string, string, string]> = [
  [1, 'New', 'NEW', 'open'],
  [2, 'In Progress', 'INP', 'open'],
  [3, 'Action Required', 'ACT', 'open'],
  [4, 'On Hold', 'HLD', 'hold'],
  [5, 'Waiting on Customer', 'WOC', 'hold'],
  [6, 'Waiting on Dependency', 'DEP', 'hold'],
  [9, 'Closed', 'CLO', 'closed'],
];

/** The name of a status id. */
export function statusName(id: number): string {
  return STATUS_ROWS.find((s) => s[0] === id)?.[1] ?? 'Unknown';
}

/** Ticket type ids: 1-4 service tickets, 5 project, 6 project task. */
export const TICKET_TYPE = {
  incident: 1,
  serviceRequest: 2,
  problem: 3,
  change: 4,
  project: 5,
  task: 6,
} as const;

const TICKET_TYPE_ROWS: ReadonlyArray<[number, string, string]> = [
  [1, 'Incident', 'tickets'],
  [2, 'Service Request', 'tickets'],
  [3, 'Problem', 'tickets'],
  [4, 'Change Request', 'tickets'],
  [5, 'Project', 'projects'],
  [6, 'Project Task', 'projects'],
];

/** The name of a ticket type id. */
export function ticketTypeName(id: number): string {
  return TICKET_TYPE_ROWS.find((t) => t[0] === id)?.[1] ?? 'Unknown';
}

/** Priorities P1-P4 with SLA response and fix targets in hours. */
export const PRIORITIES: ReadonlyArray<{
  id: number;
  name: string;
  response: number;
  fix: number;
}> = [
  { id: 1, name: 'P1 - Critical', response: 1, fix: 4 },
  { id: 2, name: 'P2 - High', response: 2, fix: 8 },
  { id: 3, name: 'P3 - Medium', response: 4, fix: 24 },
  { id: 4, name: 'P4 - Low', response: 8, fix: 72 },
];

/** Service ticket categories, served in `category_1`. */
export const CATEGORIES = [
  'Email',
  'Network',
  'Backup',
  'Security',
  'Hardware',
  'Software',
  'User Admin',
  'Printing',
  'Line of Business App',
  'Remote Access',
] as const;

/** Service ticket summary templates per category (same order as CATEGORIES). */
export const TICKET_SUMMARIES: ReadonlyArray<readonly string[]> = [
  ['Outlook not syncing', 'Shared mailbox access', 'Emails bouncing from external domain'],
  ['Site VPN dropping', 'Slow internet at branch office', 'Switch port down'],
  ['Backup job failed', 'Restore request for deleted folder', 'Backup warning on file server'],
  ['Phishing email reported', 'MFA reset request', 'Suspicious sign-in alert'],
  ['Laptop will not boot', 'Replace failed monitor', 'Docking station not detected'],
  ['Install Adobe Acrobat', 'Office activation error', 'Teams crashes on start'],
  ['New starter setup', 'Leaver account disable', 'Add user to distribution group'],
  ['Printer offline', 'Scan to email not working', 'Toner replacement'],
  ['Accounts package error', 'CRM login failing', 'ERP report timing out'],
  ['Remote desktop unavailable', 'Home worker cannot connect', 'Citrix session freezing'],
];

/** Project name templates. */
export const PROJECT_NAMES = [
  'Microsoft 365 migration',
  'Firewall replacement',
  'Server refresh',
  'Intune rollout',
  'Azure landing zone',
  'Backup modernisation',
  'Office move',
  'SharePoint intranet',
  'Network redesign',
  'Security baseline (CIS)',
  'Teams Voice deployment',
  'Endpoint refresh',
  'ERP integration',
  'Disaster recovery test',
  'Wi-Fi upgrade',
] as const;

/** Milestone plans by milestone count. A name starting with "Gate:" marks a quality gate. */
export const MILESTONE_PLANS: Readonly<Record<number, readonly string[]>> = {
  3: ['Discovery & design', 'Build & configure', 'Gate: Go-live acceptance'],
  4: ['Discovery', 'Gate: Design sign-off', 'Build & pilot', 'Gate: UAT sign-off'],
  5: ['Discovery', 'Gate: Design sign-off', 'Build', 'Gate: UAT sign-off', 'Go-live & handover'],
};

/** Task name templates (the milestone name is prefixed when served). */
export const TASK_NAMES = [
  'Requirements workshop',
  'Current state audit',
  'Solution design',
  'Procure hardware',
  'Configure platform',
  'Migrate pilot users',
  'Migrate remaining users',
  'Update documentation',
  'Test plan and UAT',
  'Training session',
  'Cutover planning',
  'Decommission legacy',
  'Security review',
  'Customer sign-off pack',
] as const;

/** Status records served by GET /api/Status. */
export function statusRecords(lastUpdate: string): HaloRecord[] {
  return STATUS_ROWS.map(([id, name, shortname, type], i) => ({
    id,
    name,
    shortname,
    type,
    sequence: i + 1,
    colour: ['#2b78e4', '#6aa84f', '#e69138', '#999999', '#b4a7d6', '#cc0000', '#444444'][i],
    onhold: type === 'hold',
    is_closed: type === 'closed',
    last_update: lastUpdate,
  }));
}

/** Ticket type records served by GET /api/TicketType. */
export function ticketTypeRecords(lastUpdate: string): HaloRecord[] {
  return TICKET_TYPE_ROWS.map(([id, name, use]) => ({
    id,
    name,
    use,
    is_project_type: id === 5 || id === 6,
    last_update: lastUpdate,
  }));
}

/** Priority records served by GET /api/Priority. */
export function priorityRecords(lastUpdate: string): HaloRecord[] {
  return PRIORITIES.map((p) => ({
    id: p.id,
    priorityid: p.id,
    name: p.name,
    responsetime: p.response,
    fixtime: p.fix,
    fixunits: 'hours',
    last_update: lastUpdate,
  }));
}

/** Rows of GET /api/lookup?lookupid=N (HaloAPI calls lookupid=11 on connect). */
export function lookupRecords(lookupId: number): HaloRecord[] {
  const names = ['Default', 'Standard', 'Premium'];
  return names.map((name, i) => ({ id: i + 1, lookupid: lookupId, name, value: name }));
}
