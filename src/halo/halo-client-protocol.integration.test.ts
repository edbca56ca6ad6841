import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HaloClient, type HaloClientOptions, type HaloRequestEvent } from './halo-client';
import {
  HaloAuthFailedError,
  HaloBadResponseError,
  HaloForbiddenError,
  HaloRateLimitedError,
  HaloTimeoutError,
  HaloUnavailableError,
} from './halo-errors';

// ---- a loopback fake of just enough HaloPSA, scripted per test ----
// (halo-client.integration.test.ts runs the client against the full simulator instead.)

interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Reply =
  { status?: number; json?: unknown; body?: string; headers?: Record<string, string> } | 'hang';

type Handler = (req: SeenRequest) => Reply;

interface FakeHalo {
  url: string;
  requests: SeenRequest[];
  /** Requests under /api other than authinfo. */
  apiRequests(): SeenRequest[];
  tokenRequests(): SeenRequest[];
  issued: string[];
  revoked: Set<string>;
  close(): Promise<void>;
}

const SECRET = 's3cr3t-value';

async function startFakeHalo(
  routes: Record<string, Handler>,
  options: { expiresIn?: number } = {},
): Promise<FakeHalo> {
  const requests: SeenRequest[] = [];
  const issued: string[] = [];
  const revoked = new Set<string>();
  const defaults: Record<string, Handler> = {
    '/api/authinfo': () => ({ status: 404 }),
    '/auth/token': () => {
      const token = `tok-${issued.length + 1}`;
      issued.push(token);
      return {
        json: { access_token: token, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 },
      };
    },
  };
  const table = new Map<string, Handler>();
  for (const [k, v] of Object.entries({ ...defaults, ...routes })) table.set(k.toLowerCase(), v);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      const key = url.pathname.toLowerCase();
      const isAuth = key === '/api/authinfo' || key.endsWith('/token');
      if (!isAuth && key.startsWith('/api/')) {
        const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!issued.includes(bearer) || revoked.has(bearer)) {
          res.statusCode = 401; // restify patches writeHead process-wide: do not chain it
          res.end();
          return;
        }
      }
      const handler =
        table.get(key) ??
        [...table.entries()].find(([k]) => k.endsWith('/*') && key.startsWith(k.slice(0, -1)))?.[1];
      const reply: Reply = handler ? handler(seen) : { status: 404 };
      if (reply === 'hang') return;
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
      res.writeHead(reply.status ?? 200, {
        'Content-Type': 'application/json',
        ...(reply.headers ?? {}),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    apiRequests: () =>
      requests.filter(
        (r) => r.path.toLowerCase().startsWith('/api/') && r.path !== '/api/authinfo',
      ),
    tokenRequests: () => requests.filter((r) => r.path.endsWith('/token')),
    issued,
    revoked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rows(n: number, start = 1): Array<{ id: number; name: string }> {
  return Array.from({ length: n }, (_, i) => ({ id: start + i, name: `row ${start + i}` }));
}

/** Serves `records` paged; `cap` limits the page size below what was asked. */
function paged(
  records: unknown[],
  shape: { envelope?: string; recordCount?: boolean; cap?: number } = {},
): Handler {
  return (req) => {
    let slice = records;
    if (req.query.get('pageinate') === 'true') {
      const size = Math.min(Number(req.query.get('page_size')), shape.cap ?? Infinity);
      const pageNo = Number(req.query.get('page_no'));
      slice = records.slice((pageNo - 1) * size, pageNo * size);
    }
    if (shape.envelope === undefined) return { json: slice };
    const json: Record<string, unknown> = { [shape.envelope]: slice };
    if (shape.recordCount !== false) json.record_count = records.length;
    return { json };
  };
}

interface Harness {
  client: HaloClient;
  clock: { now: number };
  sleeps: number[];
  events: HaloRequestEvent[];
  logs: string[];
}

function makeClient(
  fake: FakeHalo,
  overrides: Partial<HaloClientOptions> = {},
  clock = { now: Date.UTC(2025, 0, 6, 9) },
): Harness {
  const sleeps: number[] = [];
  const events: HaloRequestEvent[] = [];
  const logs: string[] = [];
  const log =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      logs.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
    };
  const client = new HaloClient({
    baseUrl: fake.url,
    clientId: 'ct-client',
    clientSecret: SECRET,
    scopes: ['read:projects', 'read:tickets'],
    pageSize: 100,
    budget: { requests: 300, windowMs: 300_000 },
    timeoutMs: 2000,
    maxRetries: 3,
    clock: { now: () => new Date(clock.now) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    onRequest: (e) => events.push(e),
    ...overrides,
  });
  return { client, clock, sleeps, events, logs };
}

let fake: FakeHalo | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

// ---- authentication ----

describe('authentication', () => {
  test('discovers auth_url, sends client credentials with space-separated scopes and tenant', async () => {
    fake = await startFakeHalo({
      '/api/authinfo': () => ({ json: { auth_url: `${fake?.url}/idp`, tenant_id: 't' } }),
      '/idp/token': () => ({ json: { access_token: 'idp-token', expires_in: 3600 } }),
      '/api/Status': () => ({ json: [{ id: 1, name: 'New' }] }),
    });
    fake.issued.push('idp-token');
    const { client } = makeClient(fake, { tenant: 'acme' });

    await client.listAll('statuses');

    const [token] = fake.tokenRequests();
    expect(token?.path).toBe('/idp/token');
    expect(token?.query.get('tenant')).toBe('acme');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(token?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('ct-client');
    expect(form.get('client_secret')).toBe(SECRET);
    expect(form.get('scope')).toBe('read:projects read:tickets');
    expect(fake.apiRequests()[0]?.headers.authorization).toBe('Bearer idp-token');
  });

  test('falls back to {base}/auth when authinfo is 404', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [] }) });
    const { client } = makeClient(fake);

    await client.listAll('statuses');

    expect(fake.tokenRequests().map((r) => r.path)).toEqual(['/auth/token']);
  });

  test('caches the token across calls and refreshes it about a minute before expiry', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [] }) });
    const { client, clock } = makeClient(fake);

    await client.listAll('statuses');
    await client.listAll('statuses');
    clock.now += 3600_000 - 61_000;
    await client.listAll('statuses');
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === '/api/authinfo')).toHaveLength(1);

    clock.now += 2_000; // now 59 s before expiry
    await client.listAll('statuses');
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  test('concurrent first calls share one token request', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [] }) });
    const { client } = makeClient(fake);

    await Promise.all([1, 2, 3, 4].map(() => client.listAll('statuses')));

    expect(fake.tokenRequests()).toHaveLength(1);
  });

  test('refreshes exactly once on a 401 and retries the request once', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [{ id: 1, name: 'New' }] }) });
    const { client } = makeClient(fake);
    await client.listAll('statuses');
    fake.revoked.add('tok-1');

    const records = await client.listAll('statuses');

    expect(records).toHaveLength(1);
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  test('a second 401 after the refresh is HALO_AUTH_FAILED', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ status: 401 }) });
    const { client } = makeClient(fake);

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloAuthFailedError);
    expect(error).toMatchObject({ code: 'HALO_AUTH_FAILED', kind: 'user' });
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  test('refused credentials are HALO_AUTH_FAILED with the OAuth error, and no secret is logged', async () => {
    fake = await startFakeHalo({
      '/auth/token': () => ({
        status: 400,
        json: { error: 'invalid_client', error_description: 'Unknown client' },
      }),
    });
    const { client, logs } = makeClient(fake);

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloAuthFailedError);
    expect((error as HaloAuthFailedError).oauthError).toBe('invalid_client');
    expect((error as Error).message).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  test('never logs the access token', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [] }) });
    const { client, logs } = makeClient(fake);
    await client.listAll('statuses');
    fake.revoked.add('tok-1');

    await client.listAll('statuses');

    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toMatch(/tok-\d/);
    expect(logs.join('\n')).not.toContain(SECRET);
  });
});

// ---- paging ----

describe('paging', () => {
  test('pages an envelope until record_count records are read, with 1-based page_no', async () => {
    fake = await startFakeHalo({ '/api/Client': paged(rows(250), { envelope: 'clients' }) });
    const { client } = makeClient(fake);

    const pages = [];
    for await (const page of client.listPages('clients')) pages.push(page);

    expect(pages.map((p) => [p.pageNo, p.records.length, p.recordCount])).toEqual([
      [1, 100, 250],
      [2, 100, 250],
      [3, 50, 250],
    ]);
    const api = fake.apiRequests();
    expect(api).toHaveLength(3);
    expect(api.map((r) => r.query.get('page_no'))).toEqual(['1', '2', '3']);
    expect(api.every((r) => r.query.get('pageinate') === 'true')).toBe(true);
    expect(api.every((r) => r.query.get('page_size') === '100')).toBe(true);
    expect(api[0]?.query.get('includeinactive')).toBe('true');
  });

  test('stops without an extra request when record_count is an exact multiple', async () => {
    fake = await startFakeHalo({ '/api/Client': paged(rows(200), { envelope: 'clients' }) });
    const { client } = makeClient(fake);

    expect(await client.listAll('clients')).toHaveLength(200);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  test('reads everything when the server caps the page size below what was asked', async () => {
    fake = await startFakeHalo({
      '/api/Client': paged(rows(120), { envelope: 'clients', cap: 50 }),
    });
    const { client } = makeClient(fake);

    const records = await client.listAll('clients');

    expect(records).toHaveLength(120);
    expect(fake.apiRequests()).toHaveLength(3);
  });

  test('reads a capped bare array to the end, stopping on the short page', async () => {
    fake = await startFakeHalo({ '/api/TimesheetEvent': paged(rows(75), { cap: 30 }) });
    const { client } = makeClient(fake);

    const records = await client.listAll('timesheetEvents');

    expect((records as Array<{ id: number }>).map((r) => r.id)).toEqual(rows(75).map((r) => r.id));
    expect(fake.apiRequests()).toHaveLength(3);
  });

  test('a bare array that fills its last page ends on an empty page', async () => {
    fake = await startFakeHalo({ '/api/TimesheetEvent': paged(rows(200)) });
    const { client } = makeClient(fake);

    expect(await client.listAll('timesheetEvents')).toHaveLength(200);
    expect(fake.apiRequests().map((r) => r.query.get('page_no'))).toEqual(['1', '2', '3']);
  });

  test('a short first page ends the listing once a full page has been seen', async () => {
    fake = await startFakeHalo({
      '/api/TimesheetEvent': (req) =>
        paged(req.query.get('agent_id') === '1' ? rows(150) : rows(40))(req),
    });
    const { client } = makeClient(fake);
    await client.listAll('timesheetEvents', { agent_id: 1 });
    const before = fake.apiRequests().length;

    expect(await client.listAll('timesheetEvents', { agent_id: 2 })).toHaveLength(40);
    expect(fake.apiRequests().length - before).toBe(1);
  });

  test('an endpoint that ignores paging is read once, not forever', async () => {
    fake = await startFakeHalo({ '/api/TimesheetEvent': () => ({ json: rows(100) }) });
    const { client } = makeClient(fake);

    expect(await client.listAll('timesheetEvents')).toHaveLength(100);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  test('lookups are read whole without paging parameters', async () => {
    fake = await startFakeHalo({ '/api/Agent': () => ({ json: rows(3) }) });
    const { client } = makeClient(fake);

    expect(await client.listAll('agents')).toHaveLength(3);
    expect(fake.apiRequests()[0]?.query.has('pageinate')).toBe(false);
  });

  test('passes lastupdatefromdate through for incremental reads', async () => {
    fake = await startFakeHalo({ '/api/Projects': paged([], { envelope: 'tickets' }) });
    const { client } = makeClient(fake);

    await client.listAll('projects', { lastupdatefromdate: '2025-01-06T08:45:00Z' });

    expect(fake.apiRequests()[0]?.query.get('lastupdatefromdate')).toBe('2025-01-06T08:45:00Z');
    expect(fake.apiRequests()).toHaveLength(1);
  });

  test('tasks and service tickets are told apart in the shared /api/Tickets listing', async () => {
    const tickets = [
      { id: 1, summary: 'printer', parent_id: 0 },
      { id: 2, summary: 'task a', parent_id: 10 },
      { id: 3, summary: 'project', is_project: true },
      { id: 4, summary: 'email' },
    ];
    fake = await startFakeHalo({ '/api/Tickets': paged(tickets, { envelope: 'tickets' }) });
    const { client } = makeClient(fake);

    const ids = (rs: unknown[]): number[] => (rs as Array<{ id: number }>).map((r) => r.id);
    expect(ids(await client.listAll('tasks'))).toEqual([2]);
    // The listing owner yields every row, for the sync to partition in one pass.
    expect(ids(await client.listAll('tickets'))).toEqual([1, 2, 3, 4]);
  });

  test('resumes a listing at startPage and still stops on record_count', async () => {
    fake = await startFakeHalo({ '/api/Client': paged(rows(250), { envelope: 'clients' }) });
    const { client } = makeClient(fake);

    const pages = [];
    for await (const page of client.listPages('clients', {}, { startPage: 2 })) pages.push(page);

    expect(pages.map((p) => p.pageNo)).toEqual([2, 3]);
    expect(fake.apiRequests().map((r) => r.query.get('page_no'))).toEqual(['2', '3']);
  });

  test('resuming against a capped server never stops early', async () => {
    fake = await startFakeHalo({
      '/api/Client': paged(rows(120), { envelope: 'clients', cap: 50 }),
    });
    const { client } = makeClient(fake);

    const records = [];
    for await (const page of client.listPages('clients', {}, { startPage: 2 })) {
      records.push(...page.records);
    }

    expect(records).toHaveLength(70);
  });

  test('takes the single records array when the envelope key differs from the catalogue', async () => {
    fake = await startFakeHalo({
      '/api/ClientContract': paged(rows(3), { envelope: 'clientcontracts' }),
    });
    const { client, logs } = makeClient(fake);

    expect(await client.listAll('contracts')).toHaveLength(3);
    expect(logs.some((l) => l.startsWith('warn') && l.includes('clientcontracts'))).toBe(true);
  });

  test('a listing without any records array is HALO_BAD_RESPONSE', async () => {
    fake = await startFakeHalo({ '/api/Client': () => ({ json: { message: 'hello' } }) });
    const { client } = makeClient(fake);

    await expect(client.listAll('clients')).rejects.toBeInstanceOf(HaloBadResponseError);
  });
});

// ---- budget ----

describe('request budget', () => {
  test('310 requests under a 300 per 5 minute budget wait for the window, never exceeding it', async () => {
    const seenAt: number[] = [];
    const clock = { now: Date.UTC(2025, 0, 6, 9) };
    fake = await startFakeHalo({
      '/api/Status': () => {
        seenAt.push(clock.now);
        return { json: [] };
      },
    });
    const { client } = makeClient(fake, {}, clock);
    const start = clock.now;

    for (let i = 0; i < 310; i++) await client.listAll('statuses');

    // 2 auth requests + 310 API requests, all counted against the budget.
    expect(client.stats().requests).toBe(312);
    expect(seenAt).toHaveLength(310);
    for (let i = 0; i < seenAt.length; i++) {
      const inWindow = seenAt.filter(
        (t) => t > (seenAt[i] ?? 0) - 300_000 && t <= (seenAt[i] ?? 0),
      );
      expect(inWindow.length).toBeLessThanOrEqual(298);
    }
    expect(clock.now - start).toBeGreaterThanOrEqual(300_000);
    expect(client.stats().budgetRemaining).toBe(288);
  });
});

// ---- retries, backoff, timeouts ----

describe('retries', () => {
  function failingThen(failures: Reply[], success: Reply): Handler {
    let n = 0;
    return () => failures[n++] ?? success;
  }

  test('retries 429 with exponential full-jitter backoff', async () => {
    fake = await startFakeHalo({
      '/api/Status': failingThen([{ status: 429 }, { status: 429 }], { json: [{ id: 1 }] }),
    });
    const { client, sleeps } = makeClient(fake);

    expect(await client.listAll('statuses')).toHaveLength(1);
    // random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
    expect(client.stats().byStatus).toMatchObject({ '429': 2, '200': 2 });
  });

  test('honours Retry-After in seconds and as an HTTP date', async () => {
    const clock = { now: Date.UTC(2025, 0, 6, 9) };
    let n = 0;
    fake = await startFakeHalo({
      '/api/Status': (): Reply => {
        n++;
        if (n === 1) return { status: 429, headers: { 'Retry-After': '7' } };
        if (n === 2) {
          const at = new Date(clock.now + 12_000);
          return { status: 429, headers: { 'Retry-After': at.toUTCString() } };
        }
        return { json: [] };
      },
    });
    const { client, sleeps } = makeClient(fake, {}, clock);

    await client.listAll('statuses');

    expect(sleeps).toEqual([7_000, 12_000]);
  });

  test('429 that persists past maxRetries is HALO_RATE_LIMITED', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ status: 429 }) });
    const { client, sleeps } = makeClient(fake);

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloRateLimitedError);
    expect(error).toMatchObject({ code: 'HALO_RATE_LIMITED', kind: 'operational', attempts: 4 });
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(fake.apiRequests()).toHaveLength(4);
  });

  test('retries 5xx, then gives up with HALO_UNAVAILABLE', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ status: 500, body: 'boom' }) });
    const { client } = makeClient(fake);

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloUnavailableError);
    expect(error).toMatchObject({ status: 500, attempts: 4 });
  });

  test('a hanging response times out and is retried', async () => {
    fake = await startFakeHalo({ '/api/Status': failingThen(['hang'], { json: [{ id: 1 }] }) });
    const { client, events } = makeClient(fake, { timeoutMs: 100 });

    expect(await client.listAll('statuses')).toHaveLength(1);
    expect(client.stats().byStatus.timeout).toBe(1);
    expect(events.filter((e) => e.path === '/api/Status').map((e) => e.status)).toEqual([0, 200]);
  });

  test('a response that always hangs is HALO_TIMEOUT', async () => {
    fake = await startFakeHalo({ '/api/Status': () => 'hang' });
    const { client } = makeClient(fake, { timeoutMs: 50, maxRetries: 1 });

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloTimeoutError);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  test('an unreachable server is HALO_UNAVAILABLE after the retries', async () => {
    const dead = await startFakeHalo({});
    const url = dead.url;
    await dead.close();
    fake = undefined;
    const { client, sleeps } = makeClient({ url } as FakeHalo, { maxRetries: 2 });

    const error = await client.listAll('statuses').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloUnavailableError);
    expect(sleeps).toHaveLength(2);
  });

  test('403 is HALO_FORBIDDEN and is not retried', async () => {
    fake = await startFakeHalo({ '/api/Invoice': () => ({ status: 403 }) });
    const { client } = makeClient(fake);

    const error = await client.listAll('invoices').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloForbiddenError);
    expect(error).toMatchObject({ code: 'HALO_FORBIDDEN', kind: 'user' });
    expect(fake.apiRequests()).toHaveLength(1);
  });

  test('a 200 whose body is not JSON is HALO_BAD_RESPONSE', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ body: '<html>maintenance</html>' }) });
    const { client } = makeClient(fake);

    await expect(client.listAll('statuses')).rejects.toBeInstanceOf(HaloBadResponseError);
  });
});

// ---- single reads and writes ----

describe('get and post', () => {
  test('get sends the path as given and returns the bare object', async () => {
    fake = await startFakeHalo({
      '/api/Projects/*': (req) => ({ json: { id: Number(req.path.split('/').pop()), name: 'p' } }),
    });
    const { client } = makeClient(fake);

    const project = await client.get('projects', 42, { includedetails: true });

    expect(project).toEqual({ id: 42, name: 'p' });
    expect(fake.apiRequests()[0]?.path).toBe('/api/projects/42');
    expect(fake.apiRequests()[0]?.query.get('includedetails')).toBe('true');
  });

  test('getRecord uses the catalogue detail read', async () => {
    fake = await startFakeHalo({ '/api/Projects/*': () => ({ json: { id: 7, milestones: [] } }) });
    const { client } = makeClient(fake);

    await client.getRecord('projects', 7);

    expect(fake.apiRequests()[0]?.path).toBe('/api/Projects/7');
    expect(fake.apiRequests()[0]?.query.get('includedetails')).toBe('true');
  });

  test('get returns null on 404', async () => {
    fake = await startFakeHalo({});
    const { client } = makeClient(fake);

    expect(await client.get('Tickets', 999)).toBeNull();
  });

  test('post sends a JSON array body and returns the answer', async () => {
    fake = await startFakeHalo({
      '/api/Actions': (req) => ({
        status: 201,
        json: { id: 5, ...(JSON.parse(req.body)[0] ?? {}) },
      }),
    });
    const { client } = makeClient(fake);

    const created = await client.post('Actions', [{ ticket_id: 3, note: 'approved' }]);

    expect(JSON.parse(fake.apiRequests()[0]?.body ?? '')).toEqual([
      { ticket_id: 3, note: 'approved' },
    ]);
    expect(fake.apiRequests()[0]?.headers['content-type']).toBe('application/json');
    expect(created).toEqual({ id: 5, ticket_id: 3, note: 'approved' });
  });

  test('post does not retry a 500 (the write may have been applied) but does retry a 429', async () => {
    let n = 0;
    fake = await startFakeHalo({
      '/api/Actions': () => (n++ === 0 ? { status: 429 } : { status: 500 }),
    });
    const { client } = makeClient(fake);

    const error = await client.post('Actions', [{ ticket_id: 3 }]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloUnavailableError);
    expect(fake.apiRequests()).toHaveLength(2);
  });

  test('stats and onRequest report every exchange', async () => {
    fake = await startFakeHalo({ '/api/Status': () => ({ json: [] }) });
    const { client, events } = makeClient(fake);

    await client.listAll('statuses');

    expect(client.stats()).toEqual({
      requests: 3,
      byStatus: { '404': 1, '200': 2 },
      budgetRemaining: 297,
    });
    expect(events.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /api/authinfo 404',
      'POST /auth/token 200',
      'GET /api/Status 200',
    ]);
  });
});
