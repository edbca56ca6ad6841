/**
 * The HaloPSA simulator: a real HTTP server (node:http) on loopback serving a generated dataset with
 * HaloPSA's auth, envelopes, paging, filters and write conventions, plus injectable faults, mutation
 * helpers and webhook sending for tests, benches and demo mode.
 *
 * Note: `/api/Tickets` serves service tickets AND project tasks (child tickets, `parent_id` > 0);
 * `/api/Projects` serves only projects (`is_project: true`). `/api/Tickets/{id}` serves any ticket.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../shared/clock';
import type { HaloDataset, HaloResource } from './dataset';
import {
  FaultInjector,
  RATE_LIMIT_MESSAGE,
  RollingRateLimiter,
  type RateLimitSettings,
} from './fault-injector';
import { HttpError } from './http-error';
import { ListQuery, QueryError, type Query } from './list-query';
import { Rng } from './prng';
import {
  LooseIds,
  RandomRateLimit,
  servingHabits,
  type RealisticOptions,
  type ServingHabits,
} from './realistic';
import type { HaloRecord } from './record-collection';
import { SimulatorWrites, type Stamp } from './record-writes';
import { resolveResource } from './resource-names';
import { route, type RouteContext } from './routes';
import { ServedData } from './served-data';
import { TokenIssuer } from './token-issuer';
import { postWebhook, type BasicAuth, type HaloWebhookPayload } from './webhook-sender';

export interface SimulatorOptions {
  dataset: HaloDataset;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: '127.0.0.1';
  clientId?: string;
  clientSecret?: string;
  /** Tenant returned by /api/authinfo and accepted by /auth/token?tenant= (any when unset). */
  tenant?: string;
  /** Clock for token expiry, `last_update` of changes and the rate limiter (default the system clock). */
  clock?: Clock;
  /** Built-in rate limit like hosted HaloPSA; off by default. */
  rateLimit?: RateLimitSettings;
  /**
   * Serve with hosted HaloPSA's habits (`realistic.ts`): `true` for all of them, or the habits to
   * change. The data served stays the same. Off by default.
   */
  realistic?: boolean | RealisticOptions;
}

export interface SimulatorRequest {
  method: string;
  path: string;
  query: Query;
  status: number;
}

export interface HaloSimulator {
  /** Base URL, e.g. http://127.0.0.1:3980. */
  readonly url: string;
  readonly dataset: HaloDataset;
  /** Requests served since start or the last reset. */
  readonly requests: SimulatorRequest[];
  readonly faults: FaultInjector;
  /** The habits this simulator serves with (the default profile's, or the realistic ones). */
  readonly habits: Readonly<ServingHabits>;
  /** Stops the server (hung requests are dropped). */
  close(): Promise<void>;
  resetRequestLog(): void;
  setClock(clock: Clock): void;
  /** Forgets every issued token, as a HaloPSA that revokes sessions: the next API call is a 401. */
  revokeTokens(): void;
  /** Turns the built-in rate limiter on (settings) or off (undefined). */
  setRateLimit(settings: RateLimitSettings | undefined): void;
  /**
   * Every record of a resource exactly as the API serves it as a list row, parsed ('Tickets',
   * 'tickets', 'timesheetEvents'…); under the realistic profile with its loosely spelled ids.
   */
  records(resource: string): HaloRecord[];
  /** One record as `GET /api/<Resource>/{id}` serves it, parsed, or undefined. */
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
  /**
   * POSTs a webhook delivery (one object), or a batch of them (an array, as HaloPSA does with
   * batching on); resolves with the receiver's HTTP status.
   */
  sendWebhook(
    targetUrl: string,
    basic: BasicAuth | undefined,
    payload: HaloWebhookPayload | HaloWebhookPayload[],
  ): Promise<number>;
}

const DEFAULT_PARTIAL: Readonly<Record<string, readonly string[]>> = {
  Tickets: ['client_id', 'estimate', 'status_id'],
  Projects: ['client_id', 'projecttimebudget', 'agent_id', 'milestones', 'budgets'],
  Actions: ['ticket_id', 'datetime'],
  TimesheetEvent: ['ticket_id', 'timetaken'],
  ClientContract: ['client_id', 'end_date'],
};

/** Starts a simulator on 127.0.0.1. */
export async function startSimulator(opts: SimulatorOptions): Promise<HaloSimulator> {
  let current = opts.clock ?? systemClock;
  const clock: Clock = { now: () => current.now() };
  const habits = servingHabits(opts.realistic);
  const data = new ServedData(opts.dataset);
  const lists = new ListQuery(data, habits);
  const faults = new FaultInjector();
  const tokens = new TokenIssuer(
    opts.clientId ?? 'demo',
    opts.clientSecret ?? 'demo',
    opts.tenant,
    clock,
    habits.tokenLifetimeSeconds,
  );
  const ids = new LooseIds(habits);
  let limiter = opts.rateLimit ? new RollingRateLimiter(opts.rateLimit, clock) : undefined;
  const requests: SimulatorRequest[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let baseUrl = '';

  const writes = new SimulatorWrites(data, clock);
  const routes: RouteContext = {
    data,
    lists,
    tokens,
    writes,
    tenant: opts.tenant,
    authPath: habits.authPath,
    randomRateLimit: new RandomRateLimit(habits),
    ids,
    baseUrl: () => baseUrl,
    limiter: () => limiter,
  };
  const must = (name: string): HaloResource => {
    const r = resolveResource(name);
    if (!r) throw new Error(`Unknown resource ${name}`);
    return r;
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
      route(routes, req, res, url, q).catch((err: unknown) => {
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

  const touchField = (res: HaloResource, row: HaloRecord, t: Stamp): HaloRecord => {
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
    habits,
    close: async () => {
      for (const r of hung) r.destroy();
      hung.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    resetRequestLog: () => {
      requests.length = 0;
    },
    setClock: (next) => {
      current = next;
    },
    revokeTokens: () => tokens.revokeAll(),
    setRateLimit: (settings) => {
      limiter = settings ? new RollingRateLimiter(settings, clock) : undefined;
    },
    records: (resource) => {
      const r = must(resource);
      const rows = data.records(r);
      return ids.active ? rows.map((row) => ids.parsed(r, row)) : rows;
    },
    record: (resource, id) => {
      const r = must(resource);
      const i = data.indexOf(r, id);
      return i >= 0 ? ids.parsed(r, data.full(r, i)) : undefined;
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
      const t = writes.stamp();
      const ids: number[] = [];
      for (const i of [...picked].sort((a, b) => a - b)) {
        const id = data.id(r, i);
        data.patch(r, id, { ...touchField(r, data.row(r, i), t), last_update: t.iso });
        ids.push(id);
      }
      return ids;
    },
    setTicketStatus: (ticketId, statusId) => writes.setTicketStatus(ticketId, statusId),
    addRecord: (resource, record) => {
      const r = must(resource);
      return data.add(r, { ...record, last_update: record.last_update ?? writes.stamp().iso });
    },
    webhookPayload: (ticketId, event = 'Ticket Updated') => {
      const r = writes.ticketResource(ticketId);
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
        timestamp: writes.stamp().iso,
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
