/** Columnar storage for timesheet events: where all worked time lives. */
import { HOUR_MS, isoZ } from './calendar';
import { ColumnTable, columnState, type ColumnState } from './column-table';
import type { HaloRecord, RecordCollection } from './record-collection';
import { siteIdOf } from './names';
import type { TicketStore } from './ticket-store';
import { round2 } from './ticket-store';

const SPEC = {
  ticket: 'i32',
  agent: 'i32',
  start: 'f64',
  hours: 'f32',
  rate: 'f32',
  contract: 'i32',
} as const;

/** The plain state of a TimesheetStore. */
export interface TimesheetData {
  table: ColumnState<keyof typeof SPEC>;
}

export function timesheetData(capacity: number): TimesheetData {
  return { table: columnState(SPEC, capacity) };
}

/** All timesheet events; ids are row index + 1; `last_update` is the event's end. */
export class TimesheetStore implements RecordCollection {
  readonly table = 'timesheet';
  private readonly cols: ColumnTable<keyof typeof SPEC>;

  constructor(
    private readonly tickets: TicketStore,
    readonly data: TimesheetData,
  ) {
    this.cols = new ColumnTable(data.table);
  }

  /** Appends an event; returns its id. */
  add(
    ticketId: number,
    agentId: number,
    start: number,
    hours: number,
    rate: number,
    contractId: number,
  ): number {
    const i = this.cols.push();
    this.cols.set('ticket', i, ticketId);
    this.cols.set('agent', i, agentId);
    this.cols.set('start', i, start);
    this.cols.set('hours', i, hours);
    this.cols.set('rate', i, rate);
    this.cols.set('contract', i, contractId);
    return i + 1;
  }

  /** Releases spare capacity. */
  compact(): void {
    this.cols.compact();
  }

  get length(): number {
    return this.cols.length;
  }

  id(index: number): number {
    return index + 1;
  }

  indexOf(id: number): number {
    return Number.isInteger(id) && id >= 1 && id <= this.cols.length ? id - 1 : -1;
  }

  lastUpdate(index: number): number {
    return this.cols.get('start', index) + this.cols.get('hours', index) * HOUR_MS;
  }

  /** Start of the event, epoch ms (fast path for date-range filters). */
  startMs(index: number): number {
    return this.cols.get('start', index);
  }

  field(index: number, name: string): unknown {
    switch (name) {
      case 'ticket_id':
        return this.cols.get('ticket', index);
      case 'agent_id':
        return this.cols.get('agent', index);
      case 'contract_id':
        return this.cols.get('contract', index);
      case 'client_id':
        return this.tickets.get('client', this.cols.get('ticket', index));
      default:
        return this.row(index)[name];
    }
  }

  row(index: number): HaloRecord {
    const c = this.cols;
    const ticketId = c.get('ticket', index);
    const start = c.get('start', index);
    const hours = c.get('hours', index);
    const client = this.tickets.get('client', ticketId);
    const end = isoZ(start + hours * HOUR_MS);
    return {
      id: index + 1,
      event_type: 0,
      subject: this.tickets.text.at(this.tickets.get('summary', ticketId)),
      start_date: isoZ(start),
      end_date: end,
      timetaken: round2(hours),
      agent_id: c.get('agent', index),
      ticket_id: ticketId,
      action_number: 0,
      note: '',
      client_id: client,
      site_id: siteIdOf(client),
      charge_rate: round2(c.get('rate', index)),
      contract_id: c.get('contract', index),
      tickettype_id: this.tickets.get('type', ticketId),
      last_update: end,
    };
  }

  full(index: number): HaloRecord {
    return this.row(index);
  }
}
