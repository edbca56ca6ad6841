import { createServer } from 'node:http';
import { generateDataset } from './generator';
import { startSimulator, type HaloSimulator } from './server';

const dataset = generateDataset({ profile: 'demo', seed: 3, asOf: '2026-11-23' });
let clock = new Date('2026-11-23T08:00:00Z');
let sim: HaloSimulator;

async function token(
  scope = 'read:projects read:tickets read:timesheets read:contracts read:customers read:invoices edit:tickets',
): Promise<string> {
  const res = await fetch(`${sim.url}/auth/token?tenant=`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'demo',
      client_secret: 'demo',
      scope,
    }),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

async function get(
  path: string,
  tok?: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${sim.url}${path}`, {
    headers: { authorization: `Bearer ${tok ?? (await token())}` },
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  return {
    status: res.status,
    body: text && isJson ? (JSON.parse(text) as unknown) : text,
    headers: res.headers,
  };
}

async function post(
  path: string,
  body: unknown,
  tok: string,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

type Env = { record_count: number } & Record<string, Array<Record<string, unknown>>>;

beforeEach(async () => {
  clock = new Date('2026-11-23T08:00:00Z');
  sim = await startSimulator({ dataset, port: 0, clock: { now: () => clock } });
});
afterEach(async () => {
  await sim.close();
});

describe('auth', () => {
  test('authinfo points at the token endpoint and a token works', async () => {
    const info = (await (await fetch(`${sim.url}/api/authinfo`)).json()) as { auth_url: string };
    expect(info.auth_url).toBe(`${sim.url}/auth`);
    const res = await fetch(`${info.auth_url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'demo',
        client_secret: 'demo',
        scope: 'all',
      }),
    });
    expect(await res.json()).toEqual(
      expect.objectContaining({ token_type: 'Bearer', expires_in: 3600, scope: 'all' }),
    );
  });

  test.each([
    [{ client_secret: 'wrong', scope: 'all' }, 401, 'invalid_client'],
    [{ client_secret: 'demo', scope: 'read:tickets write:everything' }, 400, 'invalid_scope'],
  ])('rejects %o', async (fields, status, error) => {
    const res = await fetch(`${sim.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo', ...fields }),
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(expect.objectContaining({ error }));
  });

  test('401 without a token, with a bad token and after expiry', async () => {
    expect((await fetch(`${sim.url}/api/Tickets`)).status).toBe(401);
    expect((await get('/api/Tickets', 'nope')).status).toBe(401);
    const tok = await token();
    expect((await get('/api/Status', tok)).status).toBe(200);
    clock = new Date(clock.getTime() + 3601_000);
    expect((await get('/api/Status', tok)).status).toBe(401);
  });

  test('a token without the resource scope gets an empty 403', async () => {
    const tok = await token('read:tickets');
    expect((await get('/api/Invoice', tok)).status).toBe(403);
  });
});

describe('reads', () => {
  test('paths are case-insensitive', async () => {
    const tok = await token();
    const a = (await get('/api/tickets?count=3', tok)).body;
    const b = (await get('/API/TICKETS?count=3', tok)).body;
    expect(a).toEqual(b);
  });

  test.each([
    ['Tickets', 'tickets'],
    ['Projects', 'tickets'],
    ['Actions', 'actions'],
    ['Client', 'clients'],
    ['Site', 'sites'],
    ['ClientContract', 'contracts'],
    ['RecurringInvoice', 'invoices'],
    ['Invoice', 'invoices'],
  ])('%s pages with record_count under "%s"', async (resource, key) => {
    const tok = await token();
    const all = sim.records(resource);
    const seen: unknown[] = [];
    for (let page = 1; ; page++) {
      const body = (await get(`/api/${resource}?pageinate=true&page_size=7&page_no=${page}`, tok))
        .body as Env;
      expect(body.record_count).toBe(all.length);
      seen.push(...(body[key] ?? []));
      if ((body[key] ?? []).length < 7) break;
    }
    expect(seen).toEqual(all);
  });

  test.each(['Agent', 'Status', 'TicketType', 'Priority', 'TimesheetEvent'])(
    '%s is a bare array and pages',
    async (resource) => {
      const tok = await token();
      const all = sim.records(resource);
      const page = (await get(`/api/${resource}?pageinate=true&page_size=2&page_no=2`, tok)).body;
      expect(page).toEqual(all.slice(2, 4));
      expect((await get(`/api/${resource}`, tok)).body).toEqual(all);
    },
  );

  test('Projects holds only projects; Tickets holds tickets and tasks, filterable by parent_id', async () => {
    const tok = await token();
    const projects = (await get('/api/Projects', tok)).body as Env;
    expect(projects.tickets!.every((t) => t.is_project === true)).toBe(true);
    const pid = Number(projects.tickets![0]!.id);
    const tasks = (await get(`/api/Tickets?parent_id=${pid}`, tok)).body as Env;
    expect(tasks.record_count).toBeGreaterThan(0);
    expect(tasks.tickets!.every((t) => t.parent_id === pid && t.is_project === false)).toBe(true);
    const full = (await get(`/api/Tickets/${pid}?includedetails=true`, tok)).body as Record<
      string,
      unknown
    >;
    expect(Array.isArray(full.milestones) && Array.isArray(full.budgets)).toBe(true);
  });

  test('filters: client_id, agent_id, ticket_id, status_id, open_only, closed_only, date ranges', async () => {
    const tok = await token();
    const byClient = (await get('/api/Tickets?client_id=3', tok)).body as Env;
    expect(byClient.tickets!.every((t) => t.client_id === 3)).toBe(true);
    const open = (await get('/api/Tickets?open_only=true', tok)).body as Env;
    const closed = (await get('/api/Tickets?closed_only=true', tok)).body as Env;
    expect(open.record_count + closed.record_count).toBe(sim.records('Tickets').length);
    const status = (await get('/api/Tickets?status_id=9&count=5', tok)).body as Env;
    expect(status.tickets!.every((t) => t.status_id === 9)).toBe(true);
    const tid = Number(closed.tickets![0]!.id);
    const actions = (await get(`/api/Actions?ticket_id=${tid}`, tok)).body as Env;
    expect(actions.actions!.every((a) => a.ticket_id === tid)).toBe(true);
    const ev = (
      await get('/api/TimesheetEvent?agent_id=5&start_date=2026-10-01&end_date=2026-10-31', tok)
    ).body as Array<Record<string, unknown>>;
    expect(ev.length).toBeGreaterThan(0);
    expect(
      ev.every(
        (e) =>
          e.agent_id === 5 &&
          String(e.start_date) >= '2026-10-01' &&
          String(e.start_date) < '2026-11-01',
      ),
    ).toBe(true);
    const sheets = (
      await get('/api/Timesheet?start_date=2026-10-05&end_date=2026-10-09&agents=5', tok)
    ).body as Array<Record<string, unknown>>;
    expect(sheets).toHaveLength(5);
    expect((await get('/api/lookup?lookupid=11', tok)).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 1 })]),
    );
  });

  test('contract list rows leave out full-record fields; the full record has them', async () => {
    const tok = await token();
    const list = (await get('/api/ClientContract?count=1', tok)).body as Env;
    expect(list.contracts![0]).not.toHaveProperty('chargehoursperperiod');
    const full = (await get(`/api/ClientContract/${String(list.contracts![0]!.id)}`, tok)).body;
    expect(full).toEqual(
      expect.objectContaining({
        chargehoursperperiod: expect.any(Number),
        termmonths: expect.any(Number),
        contract_prepaybalance: expect.any(Number),
      }),
    );
  });

  test('lastupdatefromdate returns only records touched since', async () => {
    clock = new Date('2026-11-23T09:00:00Z');
    const tok = await token();
    const changed = sim.touch('timesheetEvents', 0.01, 5);
    const touchedTickets = sim.touch('tickets', 0.01, 5);
    const ev = (await get('/api/TimesheetEvent?lastupdatefromdate=2026-11-23T08:30:00Z', tok))
      .body as Array<{ id: number }>;
    expect(ev.map((e) => e.id).sort((a, b) => a - b)).toEqual(changed);
    const t = (
      await get(
        '/api/Tickets?lastupdatefromdate=2026-11-23T08:30:00&pageinate=true&page_size=1000&page_no=1',
        tok,
      )
    ).body as Env;
    expect(t.record_count).toBe(touchedTickets.length);
  });
});

describe('writes', () => {
  test('POST needs a JSON array', async () => {
    const tok = await token();
    const res = await post('/api/Actions', { ticket_id: 1001, note: 'x' }, tok);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/requires a JSON array/);
  });

  test('POST /api/Actions adds a private note and bumps the ticket', async () => {
    clock = new Date('2026-11-23T10:00:00Z');
    const tok = await token();
    const res = await post(
      '/api/Actions',
      [{ ticket_id: 1001, note: 'Gate approved', outcome: 'Private Note' }],
      tok,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ ticket_id: 1001, note: 'Gate approved', hiddenfromuser: true }),
    );
    const ticket = (await get('/api/Tickets/1001', tok)).body as Record<string, unknown>;
    expect(ticket.last_update).toBe('2026-11-23T10:00:00.000Z');
    const actions = (await get('/api/Actions?ticket_id=1001', tok)).body as Env;
    expect(actions.actions!.at(-1)).toEqual(expect.objectContaining({ note: 'Gate approved' }));
  });

  test('POST /api/Tickets updates status and requires tickettype_id and client_id', async () => {
    const tok = await token();
    const t = sim.records('Tickets').find((r) => r.status_id !== 9)!;
    expect((await post('/api/Tickets', [{ id: t.id, status_id: 9 }], tok)).status).toBe(400);
    const res = await post(
      '/api/Tickets',
      [{ id: t.id, status_id: 9, tickettype_id: t.tickettype_id, client_id: t.client_id }],
      tok,
    );
    expect(res.body).toEqual(expect.objectContaining({ id: t.id, status_id: 9 }));
    const actions = (await get(`/api/Actions?ticket_id=${String(t.id)}`, tok)).body as Env;
    expect(actions.actions!.at(-1)).toEqual(expect.objectContaining({ new_status: 9 }));
    expect((await post('/api/Tickets', [{ id: t.id }], await token('read:tickets'))).status).toBe(
      403,
    );
  });

  test('POST /api/Projects completes a milestone by id on the full record; an unknown one is a 400 that changes nothing', async () => {
    const tok = await token();
    const project = sim
      .records('Projects')
      .map((p) => sim.record('Projects', Number(p.id))!)
      .find((p) => (p.milestones as { _complete: boolean }[]).some((m) => !m._complete))!;
    const open = (project.milestones as { id: number; _complete: boolean }[]).find(
      (m) => !m._complete,
    )!;
    const base = {
      id: project.id,
      tickettype_id: project.tickettype_id,
      client_id: project.client_id,
    };
    const refused = await post(
      '/api/Projects',
      [{ ...base, milestones: [{ id: 987_654_321, _complete: true }] }],
      tok,
    );
    expect(refused.status).toBe(400);
    expect((await post('/api/Projects', [{ ...base, milestones: 'done' }], tok)).status).toBe(400);
    expect(sim.record('Projects', Number(project.id))!.milestones).toEqual(project.milestones);

    const res = await post(
      '/api/Projects',
      [{ ...base, milestones: [{ id: open.id, _complete: true }] }],
      tok,
    );
    expect(res.status).toBe(200);
    const after = (await get(`/api/Projects/${String(project.id)}`, tok)).body as {
      milestones: { id: number; _complete: boolean; name: string }[];
    };
    const milestone = after.milestones.find((m) => m.id === open.id)!;
    expect(milestone).toMatchObject({ _complete: true, name: (open as { name?: string }).name });
    // The list row does not grow a milestones field.
    const row = sim.records('Projects').find((p) => p.id === project.id)!;
    expect(row.milestones).toBeUndefined();
  });
});

describe('faults', () => {
  test.each([
    ['rate-limit', 429],
    ['server-error', 500],
    ['unavailable', 503],
  ] as const)('%s answers %i once, then recovers', async (kind, status) => {
    const tok = await token();
    sim.faults.add({ path: /status/i, kind, times: 1 });
    const first = await get('/api/Status', tok);
    expect(first.status).toBe(status);
    expect(first.headers.get('retry-after')).toBeNull();
    expect((await get('/api/Status', tok)).status).toBe(200);
  });

  test('rate-limit-retry-after sends Retry-After', async () => {
    const tok = await token();
    sim.faults.add({ kind: 'rate-limit-retry-after', retryAfterSeconds: 7, times: 1 });
    expect((await get('/api/Agent', tok)).headers.get('retry-after')).toBe('7');
  });

  test('slow delays and hang never answers until closed; clear removes rules', async () => {
    const tok = await token();
    sim.faults.add({ path: /agent/i, kind: 'slow', delayMs: 50, times: 1 });
    const t0 = Date.now();
    expect((await get('/api/Agent', tok)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    sim.faults.add({ path: /priority/i, kind: 'hang' });
    const ctl = new AbortController();
    const hung = fetch(`${sim.url}/api/Priority`, {
      headers: { authorization: `Bearer ${tok}` },
      signal: ctl.signal,
    });
    const raced = await Promise.race([
      hung.then(() => 'answered'),
      new Promise((r) => setImmediate(() => setImmediate(() => r('pending')))),
    ]);
    expect(raced).toBe('pending');
    ctl.abort();
    await expect(hung).rejects.toThrow();
    sim.faults.clear();
    expect((await get('/api/Priority', tok)).status).toBe(200);
  });

  test('the built-in rate limiter refuses beyond the rolling window', async () => {
    const tok = await token();
    sim.setRateLimit({ requests: 3, windowMs: 300_000 });
    for (let i = 0; i < 3; i++) expect((await get('/api/Status', tok)).status).toBe(200);
    const limited = await fetch(`${sim.url}/api/Status`, {
      headers: { authorization: `Bearer ${tok}` },
    });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toBe(
      'Rate Limit Reached - 300 Requests per rolling 5 minute window',
    );
    clock = new Date(clock.getTime() + 300_001);
    expect((await get('/api/Status', tok)).status).toBe(200);
  });

  test('corrupt and partial change the served record', async () => {
    const tok = await token();
    const pid = Number(sim.records('projects')[0]!.id);
    sim.corrupt('projects', pid, 'estimate', 'lots');
    sim.partial('projects', pid, ['client_id']);
    const row = ((await get('/api/Projects?count=1', tok)).body as Env).tickets![0]!;
    expect(row.estimate).toBe('lots');
    expect(row).not.toHaveProperty('client_id');
  });

  test('requests are logged with method, path, query and status', async () => {
    const tok = await token();
    sim.resetRequestLog();
    await get('/api/Tickets?count=1', tok);
    expect(sim.requests).toEqual([
      { method: 'GET', path: '/api/Tickets', query: { count: '1' }, status: 200 },
    ]);
  });
});

describe('webhooks and mutations', () => {
  test('sends a HaloPSA-shaped delivery with Basic auth and returns the status', async () => {
    let received: { auth?: string; body?: Record<string, unknown> } = {};
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = {
          auth: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
        };
        res.statusCode = 202; // restify patches writeHead process-wide: do not chain it
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    sim.setTicketStatus(1001, 4);
    const status = await sim.sendWebhook(
      `http://127.0.0.1:${port}/api/halo/webhook`,
      { username: 'halo', password: 'pw' },
      sim.webhookPayload(1001, 'Ticket Status Changed'),
    );
    await new Promise<void>((r) => receiver.close(() => r()));
    expect(status).toBe(202);
    expect(received.auth).toBe(`Basic ${Buffer.from('halo:pw').toString('base64')}`);
    expect(received.body).toEqual(
      expect.objectContaining({
        event: 'Ticket Status Changed',
        object_id: 1001,
        ticket: expect.objectContaining({ id: 1001, status_id: 4 }),
      }),
    );
  });

  test('addRecord adds a served record with a new id', async () => {
    const before = sim.records('Client').length;
    const added = sim.addRecord('Client', { name: 'New Client Ltd', inactive: false });
    expect(sim.records('clients')).toHaveLength(before + 1);
    expect(Number(added.id)).toBeGreaterThan(before);
  });
});
