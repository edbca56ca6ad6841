/** Columnar storage for tickets, projects and project tasks (all HaloPSA tickets), and their collections. */
import { isoLocal, isoZ } from './calendar';
import { ColumnTable, columnState, StringPool, type ColumnState } from './column-table';
import type { HaloRecord, RecordCollection } from './record-collection';
import { CATEGORIES, PRIORITIES, STATUS, statusName, ticketTypeName } from './lookups';
import { NameBook, siteIdOf } from './names';

/** First ticket id; ticket ids are contiguous from here in row order. */
export const TICKET_ID_BASE = 1001;

/** Kind of a ticket row. */
export const TICKET_KIND = { service: 0, project: 1, task: 2 } as const;

const SPEC = {
  kind: 'u8',
  client: 'i32',
  agent: 'i32',
  status: 'u8',
  type: 'u8',
  priority: 'u8',
  parent: 'i32',
  milestone: 'i32',
  category: 'u8',
  summary: 'i32',
  details: 'i32',
  occurred: 'f64',
  closed: 'f64',
  start: 'f64',
  target: 'f64',
  deadline: 'f64',
  estimate: 'f32',
  timetaken: 'f32',
  sla: 'u8',
  slapct: 'f32',
  response: 'f64',
  feedback: 'u8',
  onhold: 'u8',
  lastUpdate: 'f64',
  lastAction: 'f64',
  budgetHours: 'f32',
  budgetMoney: 'f32',
  moneyActual: 'f32',
  contract: 'i32',
  childCount: 'u16',
  reopened: 'u8',
} as const;

export type TicketColumn = keyof typeof SPEC;

/** Custom field id carrying a customer feedback score (1-5) on a closed service ticket. */
export const CF_FEEDBACK_ID = 201;

const nullableDate = (ms: number): string | null => (ms > 0 ? isoLocal(ms) : null);

/** The plain (structured-clone safe) state of a TicketStore. */
export interface TicketData {
  table: ColumnState<TicketColumn>;
  text: string[];
  /** Full milestone records per project id. */
  milestones: Map<number, HaloRecord[]>;
}

export function ticketData(capacity: number): TicketData {
  return { table: columnState(SPEC, capacity), text: [''], milestones: new Map() };
}

/** All tickets in one table; `view(true)` (projects) and `view(false)` (tickets and tasks) are served. */
export class TicketStore {
  readonly table: ColumnTable<TicketColumn>;
  readonly text: StringPool;
  readonly milestones: Map<number, HaloRecord[]>;

  constructor(
    private readonly names: NameBook,
    readonly data: TicketData,
  ) {
    this.table = new ColumnTable(data.table);
    this.text = new StringPool(data.text);
    this.milestones = data.milestones;
  }

  /** Appends a row and returns its ticket id. */
  add(values: Partial<Record<TicketColumn, number>>): number {
    const i = this.table.push();
    for (const [k, v] of Object.entries(values)) this.table.set(k as TicketColumn, i, v as number);
    return i + TICKET_ID_BASE;
  }

  /** Row index of a ticket id (-1 when out of range). */
  indexOf(id: number): number {
    const i = id - TICKET_ID_BASE;
    return Number.isInteger(i) && i >= 0 && i < this.table.length ? i : -1;
  }

  get(col: TicketColumn, id: number): number {
    return this.table.get(col, id - TICKET_ID_BASE);
  }

  set(col: TicketColumn, id: number, value: number): void {
    this.table.set(col, id - TICKET_ID_BASE, value);
  }

  /** The list row of the ticket at a row index. */
  row(i: number): HaloRecord {
    const t = this.table;
    const kind = t.get('kind', i);
    const id = i + TICKET_ID_BASE;
    const client = t.get('client', i);
    const agent = t.get('agent', i);
    const status = t.get('status', i);
    const type = t.get('type', i);
    const priority = t.get('priority', i);
    const closed = t.get('closed', i);
    const milestone = t.get('milestone', i);
    const feedback = t.get('feedback', i);
    const estimate = round2(t.get('estimate', i));
    const timetaken = round2(t.get('timetaken', i));
    const p = PRIORITIES[priority - 1];
    const occurred = t.get('occurred', i);
    const sla = t.get('sla', i);
    const isProject = kind === TICKET_KIND.project;
    const customfields: HaloRecord[] = [];
    if (feedback > 0)
      customfields.push({ id: CF_FEEDBACK_ID, name: 'CFFeedbackScore', value: String(feedback) });
    return {
      id,
      dateoccurred: isoLocal(occurred),
      summary: this.text.at(t.get('summary', i)),
      details: this.text.at(t.get('details', i)),
      status_id: status,
      status_name: statusName(status),
      tickettype_id: type,
      tickettype_name: ticketTypeName(type),
      client_id: client,
      client_name: this.names.client(client),
      site_id: siteIdOf(client),
      agent_id: agent,
      agent_name: this.names.agent(agent),
      team: kind === TICKET_KIND.service ? 'Service Desk' : 'Projects',
      priority_id: priority,
      sla_id: kind === TICKET_KIND.service ? 1 : 0,
      category_1: kind === TICKET_KIND.service ? (CATEGORIES[t.get('category', i)] ?? '') : '',
      estimate,
      estimatedays: round2(estimate / 8),
      timetaken,
      chargehours: timetaken,
      nonchargehours: 0,
      onhold: t.get('onhold', i) === 1,
      respondbydate: p && sla > 0 ? isoLocal(occurred + p.response * 3_600_000) : null,
      responsedate: nullableDate(t.get('response', i)),
      fixbydate: p && sla > 0 ? isoLocal(occurred + p.fix * 3_600_000) : null,
      dateclosed: nullableDate(closed),
      slaresponsestate: sla === 1 ? 'I' : sla === 2 ? 'O' : '',
      slapercused: round2(t.get('slapct', i)),
      slatimeleft: 0,
      excludefromsla: kind !== TICKET_KIND.service,
      startdate: nullableDate(t.get('start', i)),
      targetdate: nullableDate(t.get('target', i)),
      deadlinedate: nullableDate(t.get('deadline', i)),
      lastactiondate: nullableDate(t.get('lastAction', i)),
      last_update: isoZ(t.get('lastUpdate', i)),
      parent_id: t.get('parent', i),
      child_count: t.get('childCount', i),
      milestone_id: milestone,
      milestone_name: milestone > 0 ? this.names.milestone(milestone) : '',
      projecttimebudget: isProject ? round2(t.get('budgetHours', i)) : 0,
      projecttimeactual: isProject ? timetaken : 0,
      projectmoneybudget: isProject ? round2(t.get('budgetMoney', i)) : 0,
      projectmoneyactual: isProject ? round2(t.get('moneyActual', i)) : 0,
      budgettype: isProject && t.get('budgetHours', i) > 0 ? 'Labour' : '',
      contract_id: t.get('contract', i),
      customfields,
      hasbeenclosed: status === STATUS.closed || t.get('reopened', i) > 0,
      is_project: isProject,
    };
  }

  /** The full record: the list row plus `milestones[]` and `budgets[]` for a project. */
  full(i: number): HaloRecord {
    const row = this.row(i);
    if (this.table.get('kind', i) !== TICKET_KIND.project) return row;
    const hours = round2(this.table.get('budgetHours', i));
    const actual = round2(this.table.get('timetaken', i));
    const budgets =
      hours > 0
        ? [
            {
              budgettype_id: 1,
              budgettype_name: 'Labour',
              hours,
              money: round2(this.table.get('budgetMoney', i)),
              estimated_hours: round2(this.table.get('estimate', i)),
              actual_hours: actual,
              actual_money: round2(this.table.get('moneyActual', i)),
              remaining_hours: round2(Math.max(0, hours - actual)),
            },
          ]
        : [];
    return { ...row, milestones: this.milestones.get(i + TICKET_ID_BASE) ?? [], budgets };
  }

  /** A fast field read for filters, without materialising the row. */
  field(i: number, name: string): unknown {
    const t = this.table;
    switch (name) {
      case 'id':
        return i + TICKET_ID_BASE;
      case 'client_id':
        return t.get('client', i);
      case 'agent_id':
        return t.get('agent', i);
      case 'status_id':
        return t.get('status', i);
      case 'parent_id':
        return t.get('parent', i);
      case 'tickettype_id':
        return t.get('type', i);
      case 'milestone_id':
        return t.get('milestone', i);
      case 'priority_id':
        return t.get('priority', i);
      case 'contract_id':
        return t.get('contract', i);
      case 'site_id':
        return siteIdOf(t.get('client', i));
      case 'dateclosed':
        return nullableDate(t.get('closed', i));
      case 'dateoccurred':
        return isoLocal(t.get('occurred', i));
      default:
        return this.row(i)[name];
    }
  }

  /** The served view over a subset of rows (projects, or tickets and tasks). */
  view(projects: boolean): RecordCollection {
    const idx: number[] = [];
    for (let i = 0; i < this.table.length; i++) {
      if ((this.table.get('kind', i) === TICKET_KIND.project) === projects) idx.push(i);
    }
    return new TicketView(this, Int32Array.from(idx));
  }
}

class TicketView implements RecordCollection {
  readonly table = 'ticket';

  constructor(
    private readonly store: TicketStore,
    private readonly rows: Int32Array,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  private r(index: number): number {
    const r = this.rows[index];
    if (r === undefined) throw new RangeError(`No ticket at ${index}`);
    return r;
  }

  id(index: number): number {
    return this.r(index) + TICKET_ID_BASE;
  }

  indexOf(id: number): number {
    const row = this.store.indexOf(id);
    if (row < 0) return -1;
    // rows are ascending: binary search
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.rows[mid] ?? 0;
      if (v === row) return mid;
      if (v < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  lastUpdate(index: number): number {
    return this.store.table.get('lastUpdate', this.r(index));
  }

  field(index: number, name: string): unknown {
    return this.store.field(this.r(index), name);
  }

  row(index: number): HaloRecord {
    return this.store.row(this.r(index));
  }

  full(index: number): HaloRecord {
    return this.store.full(this.r(index));
  }
}

/** Rounds to two decimals (hours and money as HaloPSA serves them). */
export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
