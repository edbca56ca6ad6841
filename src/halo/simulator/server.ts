/**
 * The HaloPSA simulator: a real HTTP server (node:http) on loopback serving a generated dataset with
 * HaloPSA's auth, envelopes, paging, filters and write conventions, plus injectable faults, mutation
 * helpers and webhook sending for tests, benches and demo mode.
 *
 * Note: `/api/Tickets` serves service tickets AND project tasks (child tickets, `parent_id` > 0);
 * `/api/Projects` serves only projects (`is_project: true`). `/api/Tickets/{id}` serves any ticket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DAY_MS, isoLocal, isoZ } from './calendar';
import type { HaloDataset, HaloResource } from './dataset';
import { omit, type HaloRecord } from './record-collection';
import {
  FaultInjector,
  RATE_LIMIT_MESSAGE,
  RollingRateLimiter,
  type RateLimitSettings,
} from './fault-injector';
import { ListQuery, QueryError, type Query } from './list-query';
import { lookupRecords, STATUS, statusName } from './lookups';
import { Rng } from './prng';
import { ENVELOPE_KEY, resolveResource } from './resource-names';
import { ServedData } from './served-data';
import { TokenIssuer } from './token-issuer';
import { postWebhook, type BasicAuth, type HaloWebhookPayload } from './webhook-sender';

/** Options of startSimulator. */
export interface SimulatorOptions {
  dataset: HaloDataset;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: '127.0.0.1';
  clientId?: string;
  clientSecret?: string;
  /** Tenant returned by /api/authinfo and accepted by /auth/token?tenant= (any when unset). */
  tenant?: string;
  /** Clock for token expiry, `last_update` of changes and the rate limiter. */
  now?: () => Date;
  /** Built-in rate limit like hosted HaloPSA; off by default. */
  rateLimit?: RateLimitSettings;
}

/** One logged request. */
export interface SimulatorRequest {
  method: string;
  path: string;
  query: Query;
  status: number;
}

/** A running simulator. */
export interface HaloSimulator {
  /** Base URL, e.g. http://127.0.0.1:3980. */
  readonly url: string;
  readonly dataset: HaloDataset;
  /** Requests served since start or the last reset. */
  readonly requests: SimulatorRequest[];
  /** HTTP fault rules. */
  readonly faults: FaultInjector;
  /** Stops the server (hung requests are dropped). */
  close(): Promise<void>;
  resetRequestLog(): void;
  /** Replaces the clock. */
  setNow(now: () => Date): void;
  /** Turns the built-in rate limiter on (settings) or off (undefined). */
  setRateLimit(settings: RateLimitSettings | undefined): void;
  /** Every record of a resource exactly as the API serves it as a list row ('Tickets', 'tickets', 'timesheetEvents'…). */
  records(resource: string): HaloRecord[];
  /** One record as `GET /api/<Resource>/{id}` serves it, or undefined. */
  record(resource: string, id: number): HaloRecord | undefined;
  /** Makes a served record malformed: sets `field` to `value` (e.g. id "abc", estimate "lots"). */
  corrupt(resource: string, id: number, field: string, value: unknown): void;
  /** Drops fields from a served record (default: client_id and the record's key figures). */
  partial(resource: string, id: number, fields?: string[]): void;
  /** Changes a fraction of a resource's records (a field and `last_update` = now); returns their ids. */
  touch(resource: string, fraction: number, seed: number): number[];
  /** Sets a ticket's status, adding a status-change action; bumps `last_update`. */
  setTicketStatus(ticketId: number, statusId: number): void;
  /** Adds a record (id assigned when missing, `last_update` = now); returns it as served. */
  addRecord(resource: string, record: HaloRecord): HaloRecord;
  /** A HaloPSA-shaped webhook delivery for a ticket as currently served. */
  webhookPayload(ticketId: number, event?: string): HaloWebhookPayload;
  /** POSTs a webhook delivery; resolves with the receiver's HTTP status. */
  sendWebhook(
    targetUrl: string,
    basic: BasicAuth | undefined,
    payload: HaloWebhookPayload,
  ): Promise<number>;
}

const READ_SCOPES: Readonly<Record<HaloResource, readonly string[]>> = {
  Tickets: ['read:tickets', 'read:projects'],
  Projects: ['read:projects', 'read:tickets'],
  Actions: ['read:tickets', 'read:projects'],
  TimesheetEvent: ['read:timesheets'],
  Client: ['read:customers'],
  Site: ['read:customers'],
  ClientContract: ['read:contracts'],
  RecurringInvoice: ['read:invoices'],
  Invoice: ['read:invoices'],
  Agent: [],
  Status: [],
  TicketType: [],
  Priority: [],
};

const DEFAULT_PARTIAL: Readonly<Record<string, readonly string[]>> = {
  Tickets: ['client_id', 'estimate', 'status_id'],
  Projects: ['client_id', 'projecttimebudget', 'agent_id', 'milestones', 'budgets'],
  Actions: ['ticket_id', 'datetime'],
  TimesheetEvent: ['ticket_id', 'timetaken'],
  ClientContract: ['client_id', 'end_date'],
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a simulator on 127.0.0.1. */
export async function startSimulator(opts: SimulatorOptions): Promise<HaloSimulator> {
  let now = opts.now ?? (() => new Date());
  const clock = (): Date => now();
  const data = new ServedData(opts.dataset);
  const lists = new ListQuery(data);
  const faults = new FaultInjector();
  const tokens = new TokenIssuer(
    opts.clientId ?? 'demo',
    opts.clientSecret ?? 'demo',
    opts.tenant,
    clock,
  );
  let limiter = opts.rateLimit ? new RollingRateLimiter(opts.rateLimit, clock) : undefined;
  const requests: SimulatorRequest[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let baseUrl = '';

  const must = (name: string): HaloResource => {
    const r = resolveResource(name);
    if (!r) throw new Error(`Unknown resource ${name}`);
    return r;
  };
  /** Tickets and Projects share ids: find which one holds a ticket id. */
  const ticketRes = (id: number): HaloResource | undefined =>
    data.indexOf('Tickets', id) >= 0
      ? 'Tickets'
      : data.indexOf('Projects', id) >= 0
        ? 'Projects'
        : undefined;
  const stamp = (): { iso: string; local: string } => ({
    iso: isoZ(clock().getTime()),
    local: isoLocal(clock().getTime()),
  });

  const addAction = (ticketId: number, item: HaloRecord): HaloRecord => {
    const res = ticketRes(ticketId);
    if (!res) throw new HttpError(400, `Ticket ${ticketId} not found`);
    const t = stamp();
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
  };

  const setTicketStatus = (ticketId: number, statusId: number): void => {
    addAction(ticketId, {
      new_status: statusId,
      note: `Status changed to ${statusName(statusId)}`,
      hiddenfromuser: true,
    });
  };

  const writeTickets = (item: HaloRecord, projectsRoute: boolean): HaloRecord => {
    if (item.tickettype_id === undefined || item.client_id === undefined) {
      throw new HttpError(400, 'A ticket requires tickettype_id and client_id');
    }
    const t = stamp();
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
    const res = ticketRes(id);
    if (!res) throw new HttpError(404, `Ticket ${id} not found`);
    const fields = omit(item, ['id']);
    const previous = Number(data.value(res, data.indexOf(res, id), 'status_id'));
    if (fields.status_id !== undefined && Number(fields.status_id) !== previous) {
      setTicketStatus(id, Number(fields.status_id));
    }
    data.patch(res, id, { ...fields, last_update: t.iso });
    return data.full(res, data.indexOf(res, id));
  };

  const writeGeneric = (res: HaloResource, item: HaloRecord): HaloRecord => {
    const t = stamp();
    const id = Number(item.id);
    if (item.id !== undefined && data.indexOf(res, id) >= 0) {
      const fields = omit(item, ['id']);
      data.patch(res, id, { ...fields, last_update: t.iso });
      return data.full(res, data.indexOf(res, id));
    }
    return data.add(res, { ...item, id: undefined, last_update: t.iso });
  };

  const handleWrite = (res: HaloResource, body: unknown, scopes: Set<string>): unknown => {
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
        return addAction(Number(item.ticket_id), item);
      }
      if (res === 'Tickets' || res === 'Projects') return writeTickets(item, res === 'Projects');
      return writeGeneric(res, item);
    });
    return out.length === 1 ? out[0] : out;
  };

  const timesheetDays = (q: Query): HaloRecord[] => {
    const from = Date.parse(`${(q.start_date ?? '').slice(0, 10)}T00:00:00Z`);
    const to = Date.parse(`${(q.end_date ?? q.start_date ?? '').slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(from) || Number.isNaN(to))
      throw new HttpError(400, 'start_date and end_date are required');
    if (to - from > 92 * DAY_MS) throw new HttpError(400, 'Date range too large (max 92 days)');
    const agents = q.agents
      ? q.agents.split(',').map(Number)
      : data.records('Agent').map((a) => Number(a.id));
    const sel = lists.select('TimesheetEvent', {
      start_date: isoZ(from),
      end_date: isoZ(to + DAY_MS - 1),
      ...(q.agents ? { agents: q.agents } : {}),
    });
    const byKey = new Map<string, HaloRecord[]>();
    for (const i of sel.indices) {
      const e = data.row('TimesheetEvent', i);
      const key = `${String(e.agent_id)}|${String(e.start_date).slice(0, 10)}`;
      const list = byKey.get(key) ?? [];
      list.push(e);
      byKey.set(key, list);
    }
    const out: HaloRecord[] = [];
    for (const agent of agents) {
      for (let d = from; d <= to; d += DAY_MS) {
        const date = isoZ(d).slice(0, 10);
        const events = byKey.get(`${agent}|${date}`) ?? [];
        const actual = events.reduce((s, e) => s + Number(e.timetaken ?? 0), 0);
        out.push({
          id: Number(`${agent}${date.replace(/-/g, '')}`),
          agent_id: agent,
          date: `${date}T00:00:00`,
          start_date: `${date}T09:00:00`,
          end_date: `${date}T17:30:00`,
          target_hours: 7.5,
          actual_hours: Math.round(actual * 100) / 100,
          chargeable_hours: Math.round(actual * 100) / 100,
          events,
        });
      }
    }
    return out;
  };

  const sendList = (res: ServerResponse, resource: HaloResource, q: Query): void => {
    const sel = lists.select(resource, q);
    const includeLines =
      /^(true|1)$/i.test(q.includelines ?? '') && resource === 'RecurringInvoice';
    const rowAt = (i: number): HaloRecord =>
      includeLines ? data.full(resource, i) : data.row(resource, i);
    const key = ENVELOPE_KEY[resource];
    const head = key
      ? `{${sel.paged ? `"page_no":${sel.pageNo},"page_size":${sel.pageSize},` : ''}"record_count":${sel.total},"${key}":[`
      : '[';
    const tail = key ? ']}' : ']';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    // Stream in chunks so an unpaged read of a large collection never builds one huge string.
    let k = 0;
    res.write(head);
    const pump = (): void => {
      while (k < sel.indices.length) {
        const end = Math.min(sel.indices.length, k + 500);
        const parts: string[] = [];
        for (; k < end; k++) parts.push(JSON.stringify(rowAt(sel.indices[k] ?? 0)));
        const chunk = (k - parts.length > 0 ? ',' : '') + parts.join(',');
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end(tail);
    };
    pump();
  };

  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    q: Query,
  ): Promise<void> => {
    const path = url.pathname.replace(/\/+$/, '');
    const lower = path.toLowerCase();
    const method = (req.method ?? 'GET').toUpperCase();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (lower === '/api/authinfo' && method === 'GET') {
      json(200, { auth_url: `${baseUrl}/auth`, tenant_id: opts.tenant ?? '' });
      return;
    }
    if (lower === '/auth/token' && method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const r = tokens.issue(form, q.tenant);
      json(r.status, r.body);
      return;
    }
    if (!lower.startsWith('/api/')) throw new HttpError(404, 'Not found');
    const scopes = tokens.check(req.headers.authorization);
    if (!scopes) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' });
      res.end();
      return;
    }
    if (limiter && !limiter.admit()) {
      res.writeHead(429, { 'content-type': 'text/plain' });
      res.end(RATE_LIMIT_MESSAGE);
      return;
    }
    const segments = path.split('/').slice(2);
    const name = segments[0] ?? '';
    const idPart = segments[1];
    if (name.toLowerCase() === 'lookup' && method === 'GET') {
      json(200, lookupRecords(Number(q.lookupid ?? 0)));
      return;
    }
    if (name.toLowerCase() === 'timesheet' && method === 'GET') {
      if (!scopes.has('all') && !scopes.has('read:timesheets')) throw new HttpError(403, '');
      json(200, timesheetDays(q));
      return;
    }
    const resource = resolveResource(name);
    if (!resource) throw new HttpError(404, `Unknown resource ${name}`);
    if (method === 'POST' && idPart === undefined) {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'Body must be JSON');
      }
      json(200, handleWrite(resource, body, scopes));
      return;
    }
    if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
    const need = READ_SCOPES[resource];
    if (need.length > 0 && !scopes.has('all') && !need.some((s) => scopes.has(s)))
      throw new HttpError(403, '');
    if (idPart !== undefined) {
      const id = Number(idPart);
      let r: HaloResource = resource;
      if (resource === 'Tickets' && data.indexOf('Tickets', id) < 0) r = 'Projects';
      const i = Number.isInteger(id) ? data.indexOf(r, id) : -1;
      if (i < 0) throw new HttpError(404, `${resource} ${idPart} not found`);
      json(200, data.full(r, i));
      return;
    }
    sendList(res, resource, q);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q: Query = {};
    for (const [k, v] of url.searchParams) if (!(k.toLowerCase() in q)) q[k.toLowerCase()] = v;
    const entry: SimulatorRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: q,
      status: 0,
    };
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const fault = faults.take(entry.method, url.pathname);
    const run = (): void => {
      route(req, res, url, q).catch((err: unknown) => {
        const status =
          err instanceof HttpError ? err.status : err instanceof QueryError ? 400 : 500;
        const message = err instanceof Error ? err.message : String(err);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (status === 403 && !message) {
          res.writeHead(403);
          res.end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({
            error: message,
            ClassName: status === 500 ? 'Exception' : 'HaloException',
          }),
        );
      });
    };
    if (!fault) {
      run();
      return;
    }
    req.resume();
    switch (fault.kind) {
      case 'rate-limit':
        res.writeHead(429, { 'content-type': 'text/plain' });
        res.end(RATE_LIMIT_MESSAGE);
        return;
      case 'rate-limit-retry-after':
        res.writeHead(429, {
          'content-type': 'text/plain',
          'retry-after': String(fault.retryAfterSeconds ?? 1),
        });
        res.end(RATE_LIMIT_MESSAGE);
        return;
      case 'server-error':
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'An unexpected error occurred', ClassName: 'Exception' }));
        return;
      case 'unavailable':
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body>Service Unavailable</body></html>');
        return;
      case 'hang':
        hung.add(res);
        return;
      case 'slow': {
        const timer = setTimeout(run, fault.delayMs ?? 1000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('Simulator did not bind a TCP port');
  baseUrl = `http://127.0.0.1:${address.port}`;

  const touchField = (
    res: HaloResource,
    row: HaloRecord,
    t: { iso: string; local: string },
  ): HaloRecord => {
    switch (res) {
      case 'Tickets':
      case 'Projects':
        return { lastactiondate: t.local };
      case 'Actions':
        return { important: !row.important };
      case 'TimesheetEvent':
        return { note: 'Adjusted by agent' };
      case 'Client':
        return { is_vip: !row.is_vip };
      case 'ClientContract':
        return { last_modified: t.iso };
      case 'Invoice':
        return { posted: true, amountpaid: row.amountpaid };
      default:
        return {};
    }
  };

  const sim: HaloSimulator = {
    url: baseUrl,
    dataset: opts.dataset,
    requests,
    faults,
    close: async () => {
      for (const r of hung) r.destroy();
      hung.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    resetRequestLog: () => {
      requests.length = 0;
    },
    setNow: (fn) => {
      now = fn;
    },
    setRateLimit: (settings) => {
      limiter = settings ? new RollingRateLimiter(settings, clock) : undefined;
    },
    records: (resource) => data.records(must(resource)),
    record: (resource, id) => {
      const r = must(resource);
      const i = data.indexOf(r, id);
      return i >= 0 ? data.full(r, i) : undefined;
    },
    corrupt: (resource, id, field, value) => {
      const r = must(resource);
      if (!data.patch(r, id, { [field]: value })) throw new Error(`${resource} ${id} not found`);
    },
    partial: (resource, id, fields) => {
      const r = must(resource);
      if (!data.patch(r, id, {}, fields ?? DEFAULT_PARTIAL[r] ?? ['client_id'])) {
        throw new Error(`${resource} ${id} not found`);
      }
    },
    touch: (resource, fraction, seed) => {
      const r = must(resource);
      const n = data.count(r);
      const k = Math.min(n, fraction <= 0 ? 0 : Math.max(1, Math.round(n * fraction)));
      const rng = new Rng(seed);
      const picked = new Set<number>();
      while (picked.size < k) picked.add(Math.floor(rng.next() * n));
      const t = stamp();
      const ids: number[] = [];
      for (const i of [...picked].sort((a, b) => a - b)) {
        const id = data.id(r, i);
        data.patch(r, id, { ...touchField(r, data.row(r, i), t), last_update: t.iso });
        ids.push(id);
      }
      return ids;
    },
    setTicketStatus,
    addRecord: (resource, record) => {
      const r = must(resource);
      return data.add(r, { ...record, last_update: record.last_update ?? stamp().iso });
    },
    webhookPayload: (ticketId, event = 'Ticket Updated') => {
      const r = ticketRes(ticketId);
      const t = r ? data.row(r, data.indexOf(r, ticketId)) : { id: ticketId };
      return {
        id: randomUUID(),
        webhook_id: 'c0ffee00-0000-4000-8000-000000000001',
        notification_id: 1,
        escmsg_id: 0,
        event,
        message: `${event}: ${String(t.summary ?? ticketId)}`,
        object_id: ticketId,
        agent_id: Number(t.agent_id ?? 0),
        timestamp: stamp().iso,
        ticket: {
          id: ticketId,
          summary: t.summary,
          status_id: t.status_id,
          tickettype_id: t.tickettype_id,
          client_id: t.client_id,
          agent_id: t.agent_id,
          customfields: t.customfields ?? [],
          hasbeenclosed: t.hasbeenclosed,
          is_project: t.is_project,
          parent_id: t.parent_id,
          last_update: t.last_update,
        },
      };
    },
    sendWebhook: (targetUrl, basic, payload) => postWebhook(targetUrl, basic, payload),
  };
  return sim;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
