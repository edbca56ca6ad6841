/** Opens the served collections over a dataset's plain data. */
import { ActionStore } from './action-store';
import type { HaloDataset, HaloResource } from './dataset';
import { NameBook } from './names';
import {
  ObjectCollection,
  omit,
  type HaloRecord,
  type RecordCollection,
} from './record-collection';
import { TicketStore } from './ticket-store';
import { TimesheetStore } from './timesheet-store';

const cache = new WeakMap<HaloDataset, Record<HaloResource, RecordCollection>>();

const withoutLines = (r: HaloRecord): HaloRecord => omit(r, ['lines']);

/** List rows of contracts leave out the fields only the full record carries. */
const contractRow = (r: HaloRecord): HaloRecord =>
  omit(r, [
    'termmonths',
    'rollingcontract',
    'costperperiod',
    'chargehoursperperiod',
    'contract_prepaybalance',
  ]);

/** The collections of a dataset (cached per dataset object). */
export function datasetCollections(ds: HaloDataset): Record<HaloResource, RecordCollection> {
  const hit = cache.get(ds);
  if (hit) return hit;
  const names = new NameBook(ds.data.names);
  const tickets = new TicketStore(names, ds.data.tickets);
  const o = ds.data.objects;
  const out: Record<HaloResource, RecordCollection> = {
    Tickets: tickets.view(false),
    Projects: tickets.view(true),
    Actions: new ActionStore(names, ds.data.actions),
    TimesheetEvent: new TimesheetStore(tickets, ds.data.timesheets),
    Client: new ObjectCollection('client', o.Client),
    Site: new ObjectCollection('site', o.Site),
    Users: new ObjectCollection('user', o.Users),
    ClientContract: new ObjectCollection('contract', o.ClientContract, (r) => r, contractRow),
    RecurringInvoice: new ObjectCollection(
      'recurringinvoice',
      o.RecurringInvoice,
      (r) => r,
      withoutLines,
    ),
    Invoice: new ObjectCollection('invoice', o.Invoice, (r) => r, withoutLines),
    Agent: new ObjectCollection('agent', o.Agent),
    Status: new ObjectCollection('status', o.Status),
    TicketType: new ObjectCollection('tickettype', o.TicketType),
    Priority: new ObjectCollection('priority', o.Priority),
  };
  cache.set(ds, out);
  return out;
}

/** The ticket store behind a dataset (for the server's ticket-aware helpers). */
export function datasetTicketStore(ds: HaloDataset): TicketStore {
  return new TicketStore(new NameBook(ds.data.names), ds.data.tickets);
}
