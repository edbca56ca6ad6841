/**
 * The simulator's routes: auth discovery and tokens, bearer and scope checks, the optional rate
 * limit, lookups, timesheets, writes, single records and lists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HaloResource } from './dataset';
import { RATE_LIMIT_MESSAGE, type RollingRateLimiter } from './fault-injector';
import { HttpError } from './http-error';
import type { ListQuery, Query } from './list-query';
import { sendList } from './list-response';
import { lookupRecords } from './lookups';
import type { LooseIds, RandomRateLimit } from './realistic';
import type { SimulatorWrites } from './record-writes';
import { resolveResource } from './resource-names';
import type { ServedData } from './served-data';
import { timesheetDays } from './timesheet-days';
import type { TokenIssuer } from './token-issuer';

/** Scopes of which at least one allows reading a resource (none listed: any token may). */
const READ_SCOPES: Readonly<Record<HaloResource, readonly string[]>> = {
  Tickets: ['read:tickets', 'read:projects'],
  Projects: ['read:projects', 'read:tickets'],
  Actions: ['read:tickets', 'read:projects'],
  TimesheetEvent: ['read:timesheets'],
  Client: ['read:customers'],
  Site: ['read:customers'],
  Users: ['read:customers'],
  ClientContract: ['read:contracts'],
  RecurringInvoice: ['read:invoices'],
  Invoice: ['read:invoices'],
  Agent: [],
  Status: [],
  TicketType: [],
  Priority: [],
};

/** What the routes read and write; `baseUrl` and `limiter` change after start, so they are getters. */
export interface RouteContext {
  data: ServedData;
  lists: ListQuery;
  tokens: TokenIssuer;
  writes: SimulatorWrites;
  tenant: string | undefined;
  /** Path of the auth server (`/auth` by default): `/api/authinfo` announces it, tokens come from `{path}/token`. */
  authPath: string;
  /** Random 429s of the realistic profile (none by default). */
  randomRateLimit: RandomRateLimit;
  /** How ids are spelled on the wire (plainly by default). */
  ids: LooseIds;
  baseUrl(): string;
  limiter(): RollingRateLimiter | undefined;
}

/** Answers one request; throws `HttpError` or `QueryError` for the caller to turn into an answer. */
export async function route(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  q: Query,
): Promise<void> {
  const { data, tokens } = ctx;
  const path = url.pathname.replace(/\/+$/, '');
  const lower = path.toLowerCase();
  const method = (req.method ?? 'GET').toUpperCase();
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  if (lower === '/api/authinfo' && method === 'GET') {
    json(200, { auth_url: `${ctx.baseUrl()}${ctx.authPath}`, tenant_id: ctx.tenant ?? '' });
    return;
  }
  if (lower === `${ctx.authPath.toLowerCase()}/token` && method === 'POST') {
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
  const limiter = ctx.limiter();
  if (limiter && !limiter.admit()) {
    res.writeHead(429, { 'content-type': 'text/plain' });
    res.end(RATE_LIMIT_MESSAGE);
    return;
  }
  const refusal = ctx.randomRateLimit.draw();
  if (refusal) {
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (refusal.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(refusal.retryAfterSeconds);
    res.writeHead(429, headers);
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
    json(200, timesheetDays(data, ctx.lists, q));
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
    json(200, ctx.writes.handleWrite(resource, body, scopes));
    return;
  }
  if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
  const need = READ_SCOPES[resource];
  if (need.length > 0 && !scopes.has('all') && !need.some((s) => scopes.has(s)))
    throw new HttpError(403, '');
  if (idPart !== undefined) {
    const text = recordText(data, ctx.ids, resource, Number(idPart));
    if (text === undefined) throw new HttpError(404, `${resource} ${idPart} not found`);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
    return;
  }
  sendList(res, data, ctx.lists, resource, q, ctx.ids);
}

/**
 * What `GET /api/<Resource>/{id}` answers (the full record as JSON text), or undefined for a 404.
 * `/api/Tickets/{id}` serves any ticket, projects included.
 */
export function recordText(
  data: ServedData,
  ids: LooseIds,
  resource: HaloResource,
  id: number,
): string | undefined {
  let r: HaloResource = resource;
  if (resource === 'Tickets' && data.indexOf('Tickets', id) < 0) r = 'Projects';
  const i = Number.isInteger(id) ? data.indexOf(r, id) : -1;
  return i < 0 ? undefined : ids.serialise(r, data.full(r, i));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
