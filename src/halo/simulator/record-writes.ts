/**
 * HaloPSA's write conventions on the simulator: `POST /api/<Resource>` with an array, where an item
 * with an id updates and one without creates; a status change also adds a status-change action.
 */
import type { Clock } from '../../shared/clock';
import { isoLocal, isoZ } from './calendar';
import type { HaloResource } from './dataset';
import { HttpError } from './http-error';
import { STATUS, statusName } from './lookups';
import { omit, type HaloRecord } from './record-collection';
import type { ServedData } from './served-data';

/** "Now" in the two formats HaloPSA writes: `last_update` (UTC) and local date-times. */
export interface Stamp {
  iso: string;
  local: string;
}

/** Applies writes to the served data, stamping them with the injected clock. */
export class SimulatorWrites {
  constructor(
    private readonly data: ServedData,
    private readonly clock: Clock,
  ) {}

  stamp(): Stamp {
    return {
      iso: isoZ(this.clock.now().getTime()),
      local: isoLocal(this.clock.now().getTime()),
    };
  }

  /** Tickets and Projects share ids: find which one holds a ticket id. */
  ticketResource(id: number): HaloResource | undefined {
    const { data } = this;
    return data.indexOf('Tickets', id) >= 0
      ? 'Tickets'
      : data.indexOf('Projects', id) >= 0
        ? 'Projects'
        : undefined;
  }

  addAction(ticketId: number, item: HaloRecord): HaloRecord {
    const { data } = this;
    const res = this.ticketResource(ticketId);
    if (!res) throw new HttpError(400, `Ticket ${ticketId} not found`);
    const t = this.stamp();
    const newStatus = Number(item.new_status ?? 0) || 0;
    const note =
      typeof item.note === 'string'
        ? item.note
        : typeof item.note_html === 'string'
          ? item.note_html
          : '';
    const action = data.add('Actions', {
      id: undefined,
      ticket_id: ticketId,
      outcome:
        typeof item.outcome === 'string'
          ? item.outcome
          : newStatus
            ? 'Status Change'
            : 'Private Note',
      outcome_id: Number(item.outcome_id ?? 8),
      who: typeof item.who === 'string' ? item.who : 'Control Tower (API)',
      who_agentid: Number(item.who_agentid ?? 0),
      datetime: t.iso,
      note,
      note_html: `<p>${note}</p>`,
      timetaken: Number(item.timetaken ?? 0),
      nonbilltime: 0,
      chargerate: 0,
      actisbillable: false,
      hiddenfromuser: item.hiddenfromuser === undefined ? true : Boolean(item.hiddenfromuser),
      important: Boolean(item.important),
      new_status: newStatus,
      new_status_name: newStatus ? statusName(newStatus) : '',
      last_update: t.iso,
    });
    const ticketPatch: HaloRecord = { last_update: t.iso, lastactiondate: t.local };
    if (newStatus) {
      ticketPatch.status_id = newStatus;
      ticketPatch.status_name = statusName(newStatus);
      ticketPatch.dateclosed = newStatus === STATUS.closed ? t.local : null;
      if (newStatus === STATUS.closed) ticketPatch.hasbeenclosed = true;
    }
    data.patch(res, ticketId, ticketPatch);
    return action;
  }

  setTicketStatus(ticketId: number, statusId: number): void {
    this.addAction(ticketId, {
      new_status: statusId,
      note: `Status changed to ${statusName(statusId)}`,
      hiddenfromuser: true,
    });
  }

  /** `POST /api/<res>`: checks the edit scopes, applies every item, answers one record or an array. */
  handleWrite(res: HaloResource, body: unknown, scopes: Set<string>): unknown {
    if (!Array.isArray(body)) throw new HttpError(400, `POST /api/${res} requires a JSON array`);
    const ticketish = res === 'Tickets' || res === 'Projects' || res === 'Actions';
    const allowed =
      scopes.has('all') ||
      (ticketish
        ? scopes.has('edit:tickets') || scopes.has('edit:projects')
        : [...scopes].some((s) => s.startsWith('edit:')));
    if (!allowed) throw new HttpError(403, '');
    const out = body.map((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new HttpError(400, 'Each item must be an object');
      const item = raw as HaloRecord;
      if (res === 'Actions') {
        if (item.ticket_id === undefined) throw new HttpError(400, 'An action requires ticket_id');
        return this.addAction(Number(item.ticket_id), item);
      }
      if (res === 'Tickets' || res === 'Projects')
        return this.writeTicket(item, res === 'Projects');
      return this.writeGeneric(res, item);
    });
    return out.length === 1 ? out[0] : out;
  }

  private writeTicket(item: HaloRecord, projectsRoute: boolean): HaloRecord {
    const { data } = this;
    if (item.tickettype_id === undefined || item.client_id === undefined) {
      throw new HttpError(400, 'A ticket requires tickettype_id and client_id');
    }
    const t = this.stamp();
    if (item.id === undefined || item.id === null || Number(item.id) <= 0) {
      const res: HaloResource = projectsRoute || item.is_project === true ? 'Projects' : 'Tickets';
      const created = data.add(res, {
        status_id: STATUS.new,
        dateoccurred: t.local,
        summary: '',
        is_project: res === 'Projects',
        parent_id: 0,
        ...item,
        id: undefined,
        last_update: t.iso,
      });
      return created;
    }
    const id = Number(item.id);
    const res = this.ticketResource(id);
    if (!res) throw new HttpError(404, `Ticket ${id} not found`);
    const fields = omit(item, ['id', 'milestones']);
    if (item.milestones !== undefined) this.writeMilestones(res, id, item.milestones);
    const previous = Number(data.value(res, data.indexOf(res, id), 'status_id'));
    if (fields.status_id !== undefined && Number(fields.status_id) !== previous) {
      this.setTicketStatus(id, Number(fields.status_id));
    }
    data.patch(res, id, { ...fields, last_update: t.iso });
    return data.full(res, data.indexOf(res, id));
  }

  /**
   * Updates milestones of a project's full record by id (e.g. `{ id, _complete: true }`); an
   * unknown milestone or a malformed list is refused before anything changes.
   */
  private writeMilestones(res: HaloResource, projectId: number, value: unknown): void {
    const { data } = this;
    if (!Array.isArray(value)) throw new HttpError(400, 'milestones must be an array');
    const current = data.full(res, data.indexOf(res, projectId)).milestones;
    const milestones = Array.isArray(current)
      ? (current as HaloRecord[]).map((m) => ({ ...m }))
      : [];
    const t = this.stamp();
    for (const raw of value as unknown[]) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new HttpError(400, 'Each milestone must be an object');
      const update = raw as HaloRecord;
      const target = milestones.find((m) => Number(m.id) === Number(update.id));
      if (!target)
        throw new HttpError(400, `Milestone ${String(update.id)} is not on ticket ${projectId}`);
      Object.assign(target, omit(update, ['id', 'ticket_id']), { last_update: t.iso });
    }
    data.patchFull(res, projectId, { milestones });
  }

  private writeGeneric(res: HaloResource, item: HaloRecord): HaloRecord {
    const { data } = this;
    const t = this.stamp();
    const id = Number(item.id);
    if (item.id !== undefined && data.indexOf(res, id) >= 0) {
      const fields = omit(item, ['id']);
      data.patch(res, id, { ...fields, last_update: t.iso });
      return data.full(res, data.indexOf(res, id));
    }
    return data.add(res, { ...item, id: undefined, last_update: t.iso });
  }
}
