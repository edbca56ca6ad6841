/** Columnar storage for ticket actions (notes, status changes, customer replies, feedback). */
import { isoZ } from './calendar';
import { ColumnTable, columnState, StringPool, type ColumnState } from './column-table';
import type { HaloRecord, RecordCollection } from './record-collection';
import { statusName } from './lookups';
import type { NameBook } from './names';

/** Action outcomes; `outcome_id` is the index + 1. */
export const OUTCOMES = [
  'Note',
  'Status Change',
  'Agent Response',
  'Customer Reply',
  'Customer Feedback',
  'Closed',
  'Reopened',
  'Private Note',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

const SPEC = {
  ticket: 'i32',
  datetime: 'f64',
  status: 'u8',
  agent: 'i32',
  outcome: 'u8',
  note: 'i32',
  hidden: 'u8',
  client: 'i32',
} as const;

/** Values for one action. */
export interface ActionInput {
  ticketId: number;
  at: number;
  outcome: Outcome;
  note: string;
  agentId: number;
  newStatus?: number;
  hidden?: boolean;
  /** Client id, used for the customer's display name when agentId is 0. */
  clientId: number;
}

/** The plain state of an ActionStore. */
export interface ActionData {
  table: ColumnState<keyof typeof SPEC>;
  notes: string[];
}

export function actionData(capacity: number): ActionData {
  return { table: columnState(SPEC, capacity), notes: [''] };
}

/** All actions; ids are row index + 1. `timetaken` is always 0: time lives in TimesheetEvent. */
export class ActionStore implements RecordCollection {
  readonly table = 'action';
  private readonly cols: ColumnTable<keyof typeof SPEC>;
  private readonly notes: StringPool;

  constructor(
    private readonly names: NameBook,
    readonly data: ActionData,
  ) {
    this.cols = new ColumnTable(data.table);
    this.notes = new StringPool(data.notes);
  }

  /** Appends an action; returns its id. */
  add(a: ActionInput): number {
    const i = this.cols.push();
    this.cols.set('ticket', i, a.ticketId);
    this.cols.set('datetime', i, a.at);
    this.cols.set('status', i, a.newStatus ?? 0);
    this.cols.set('agent', i, a.agentId);
    this.cols.set('outcome', i, OUTCOMES.indexOf(a.outcome));
    this.cols.set('note', i, this.notes.intern(a.note));
    this.cols.set('hidden', i, a.hidden ? 1 : 0);
    this.cols.set('client', i, a.clientId);
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
    return this.cols.get('datetime', index);
  }

  field(index: number, name: string): unknown {
    if (name === 'ticket_id') return this.cols.get('ticket', index);
    if (name === 'who_agentid' || name === 'agent_id') return this.cols.get('agent', index);
    if (name === 'client_id') return this.cols.get('client', index);
    return this.row(index)[name];
  }

  row(index: number): HaloRecord {
    const c = this.cols;
    const agent = c.get('agent', index);
    const note = this.notes.at(c.get('note', index));
    const status = c.get('status', index);
    const outcomeIdx = c.get('outcome', index);
    const at = isoZ(c.get('datetime', index));
    return {
      id: index + 1,
      ticket_id: c.get('ticket', index),
      outcome: OUTCOMES[outcomeIdx] ?? 'Note',
      outcome_id: outcomeIdx + 1,
      who:
        agent > 0
          ? this.names.agent(agent)
          : `${this.names.client(c.get('client', index))} (customer)`,
      who_agentid: agent,
      datetime: at,
      note,
      note_html: `<p>${escapeHtml(note)}</p>`,
      timetaken: 0,
      nonbilltime: 0,
      chargerate: 0,
      actisbillable: false,
      hiddenfromuser: c.get('hidden', index) === 1,
      important: false,
      new_status: status,
      new_status_name: status > 0 ? statusName(status) : '',
      last_update: at,
    };
  }

  full(index: number): HaloRecord {
    return this.row(index);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
