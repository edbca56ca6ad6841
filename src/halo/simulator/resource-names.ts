/** Maps the names clients and tests use for a resource (any case, singular or plural) to the URL name. */
import type { HaloResource } from './dataset';

const ALIASES: Readonly<Record<string, HaloResource>> = {
  tickets: 'Tickets',
  ticket: 'Tickets',
  tasks: 'Tickets',
  projects: 'Projects',
  project: 'Projects',
  actions: 'Actions',
  action: 'Actions',
  timesheetevent: 'TimesheetEvent',
  timesheetevents: 'TimesheetEvent',
  client: 'Client',
  clients: 'Client',
  site: 'Site',
  sites: 'Site',
  user: 'Users',
  users: 'Users',
  contact: 'Users',
  contacts: 'Users',
  clientcontract: 'ClientContract',
  clientcontracts: 'ClientContract',
  contract: 'ClientContract',
  contracts: 'ClientContract',
  recurringinvoice: 'RecurringInvoice',
  recurringinvoices: 'RecurringInvoice',
  invoice: 'Invoice',
  invoices: 'Invoice',
  agent: 'Agent',
  agents: 'Agent',
  status: 'Status',
  statuses: 'Status',
  tickettype: 'TicketType',
  tickettypes: 'TicketType',
  priority: 'Priority',
  priorities: 'Priority',
};

/** The resource for a name such as 'Tickets', 'tickets', 'timesheetEvents' or 'contracts'; undefined if unknown. */
export function resolveResource(name: string): HaloResource | undefined {
  return ALIASES[name.toLowerCase()];
}

/** List envelope key per resource; undefined means the resource is served as a bare array. */
export const ENVELOPE_KEY: Readonly<Record<HaloResource, string | undefined>> = {
  Tickets: 'tickets',
  Projects: 'tickets',
  Actions: 'actions',
  TimesheetEvent: undefined,
  Client: 'clients',
  Site: 'sites',
  Users: 'users',
  ClientContract: 'contracts',
  RecurringInvoice: 'invoices',
  Invoice: 'invoices',
  Agent: undefined,
  Status: undefined,
  TicketType: undefined,
  Priority: undefined,
};
