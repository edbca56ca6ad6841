/**
 * The client against the simulator's realistic profile, over real HTTP: one habit of hosted
 * HaloPSA at a time (the others switched off, so each test shows the habit it names), then all of
 * them at once. The client and the simulator share one injected clock; sleeps advance it.
 */
import { HaloClient, type HaloClientOptions } from './halo-client';
import { HaloAuthFailedError, HaloFilterIgnoredError } from './halo-errors';
import { validateRecords } from './halo-records';
import { classifyTicket, HALO_RESOURCE_NAMES, type HaloResourceName } from './halo-resources';
import { HALO_READ_SCOPES } from './halo-scopes';
import { generateDataset } from './simulator/generator';
import type { RealisticOptions } from './simulator/realistic';
import { startSimulator, type HaloSimulator } from './simulator/server';

const dataset = generateDataset({ profile: 'demo', seed: 7, asOf: '2026-11-23' });

/** Every habit off: a test switches on the one it is about. */
const NO_HABITS: RealisticOptions = {
  pageCap: false,
  authPath: '/auth',
  rateLimitChance: 0,
  looseIdShare: 0,
  documentedFiltersOnly: false,
};

/** The simulator's name of each catalogued listing (for `sim.records`). */
const SIM_NAME: Record<HaloResourceName, string> = {
  clients: 'Client',
  contacts: 'Users',
  agents: 'Agent',
  projects: 'Projects',
  tasks: 'Tickets',
  tickets: 'Tickets',
  actions: 'Actions',
  timesheetEvents: 'TimesheetEvent',
  contracts: 'ClientContract',
  recurringInvoices: 'RecurringInvoice',
  invoices: 'Invoice',
  statuses: 'Status',
};

let sim: HaloSimulator;
let plain: HaloSimulator | undefined;
let clock: { now: number };
let sleeps: number[];

async function startRealistic(
  realistic: RealisticOptions | true,
  extra: { tenant?: string } = {},
): Promise<HaloSimulator> {
  sim = await startSimulator({
    dataset,
    port: 0,
    clock: { now: () => new Date(clock.now) },
    realistic,
    ...extra,
  });
  return sim;
}

function newClient(overrides: Partial<HaloClientOptions> = {}): HaloClient {
  return new HaloClient({
    baseUrl: sim.url,
    clientId: 'demo',
    clientSecret: 'demo',
    scopes: [...HALO_READ_SCOPES],
    pageSize: 100,
    budget: { requests: 100_000, windowMs: 300_000 },
    timeoutMs: 5_000,
    maxRetries: 4,
    clock: { now: () => new Date(clock.now) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.3,
    ...overrides,
  });
}

const ids = (rows: unknown[]): number[] => rows.map((r) => Number((r as { id: unknown }).id));
const tokenRequests = (): number => sim.requests.filter((r) => /\/token$/.test(r.path)).length;
const apiStatuses = (): number[] =>
  sim.requests
    .filter((r) => r.path.startsWith('/api/') && r.path !== '/api/authinfo')
    .map((r) => r.status);

/** A GET of the realistic simulator's raw answer text, with a token from its discovered auth path. */
async function rawGet(path: string): Promise<string> {
  const info = (await (await fetch(`${sim.url}/api/authinfo`)).json()) as { auth_url: string };
  const token = (await (
    await fetch(`${info.auth_url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'demo',
        client_secret: 'demo',
      }),
    })
  ).json()) as { access_token: string };
  const res = await fetch(`${sim.url}${path}`, {
    headers: { Authorization: `Bearer ${token.access_token}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

beforeEach(() => {
  clock = { now: Date.parse('2026-11-23T08:00:00Z') };
  sleeps = [];
  plain = undefined;
});

afterEach(async () => {
  await sim.close();
  await plain?.close();
});

describe('1. pages capped at 100 rows', () => {
  test('a client asking for 1000 rows a page still reads every ticket exactly once', async () => {
    await startRealistic({ ...NO_HABITS, pageCap: 100 });
    const client = newClient({ pageSize: 1000 });
    const expected = sim.records('Tickets');

    const rows = await client.listAll('tickets');

    expect(ids(rows)).toEqual(ids(expected));
    const pages = sim.requests.filter((r) => /\/api\/tickets$/i.test(r.path));
    // ceil(n / 100) pages, each asking 1000: the client paged on the rows it got.
    expect(pages).toHaveLength(Math.ceil(expected.length / 100));
    expect(pages.every((r) => r.query.page_size === '1000')).toBe(true);
    const first = JSON.parse(
      await rawGet('/api/Tickets?pageinate=true&page_size=1000&page_no=1'),
    ) as { record_count: number; tickets: unknown[] };
    expect(first.tickets).toHaveLength(100);
    expect(first.record_count).toBe(expected.length);
  });

  test('a bare-array listing (TimesheetEvent) under the cap ends on its short last page', async () => {
    await startRealistic({ ...NO_HABITS, pageCap: 100 });
    const expected = sim.records('TimesheetEvent');
    const rows = await newClient({ pageSize: 500 }).listAll('timesheetEvents');
    expect(ids(rows)).toEqual(ids(expected));
  });
});

describe('2. auth discovery', () => {
  test('the token comes from the auth URL /api/authinfo names, with the tenant it names', async () => {
    await startRealistic({ ...NO_HABITS, authPath: '/identity' }, { tenant: 'acme' });
    // The self-hosted default is not served: only a client that discovers finds the token endpoint.
    const fallback = await fetch(`${sim.url}/auth/token`, { method: 'POST', body: '' });
    expect(fallback.status).toBe(404);
    sim.resetRequestLog();

    const rows = await newClient().listAll('statuses');

    expect(rows.length).toBeGreaterThan(0);
    const token = sim.requests.filter((r) => /\/token$/.test(r.path));
    expect(token.map((r) => [r.path, r.query.tenant, r.status])).toEqual([
      ['/identity/token', 'acme', 200],
    ]);
  });

  test('a configured tenant wins over the discovered one, and a wrong one is HALO_AUTH_FAILED', async () => {
    await startRealistic({ ...NO_HABITS, authPath: '/identity' }, { tenant: 'acme' });
    await expect(newClient({ tenant: 'other' }).listAll('statuses')).rejects.toMatchObject({
      code: 'HALO_AUTH_FAILED',
      oauthError: 'invalid_client',
    });
    expect(sim.requests.find((r) => /\/token$/.test(r.path))?.query.tenant).toBe('other');
    await expect(newClient({ tenant: 'acme' }).listAll('statuses')).resolves.not.toHaveLength(0);
  });
});

describe('3. tokens that expire', () => {
  test('the token is refreshed ahead of its expiry, so no request ever meets a 401', async () => {
    await startRealistic({ ...NO_HABITS, tokenLifetimeSeconds: 10 });
    const client = newClient();
    await client.listAll('statuses');
    expect(tokenRequests()).toBe(1);

    clock.now += 4_000;
    await client.listAll('statuses');
    expect(tokenRequests()).toBe(1);

    // Past half its 10 s life (the margin for short-lived tokens), before the server's expiry.
    clock.now += 2_000;
    await client.listAll('statuses');
    expect(tokenRequests()).toBe(2);

    for (let i = 0; i < 10; i++) {
      clock.now += 3_000;
      await client.listAll('agents');
    }
    expect(apiStatuses().every((s) => s === 200)).toBe(true);
    expect(tokenRequests()).toBeGreaterThanOrEqual(6);
  });

  test('N concurrent requests needing a token cause one token request (one lock)', async () => {
    await startRealistic({ ...NO_HABITS, tokenLifetimeSeconds: 10 });
    const client = newClient();
    await Promise.all(Array.from({ length: 12 }, () => client.listAll('statuses')));
    expect(tokenRequests()).toBe(1);

    clock.now += 20_000;
    await Promise.all(Array.from({ length: 12 }, () => client.listAll('agents')));
    expect(tokenRequests()).toBe(2);
    expect(sim.requests.filter((r) => r.path === '/api/authinfo')).toHaveLength(1);
    expect(apiStatuses().every((s) => s === 200)).toBe(true);
  });

  test('a token the server stops accepting is refreshed once and the request retried once', async () => {
    await startRealistic({ ...NO_HABITS, tokenLifetimeSeconds: 10 });
    const client = newClient();
    await client.listAll('statuses');
    sim.revokeTokens();
    sim.resetRequestLog();

    const rows = await client.listAll('statuses');

    expect(rows).toHaveLength(sim.records('Status').length);
    expect(sim.requests.map((r) => [r.path.replace(/^\/api\//, ''), r.status])).toEqual([
      ['Status', 401],
      ['/auth/token', 200],
      ['Status', 200],
    ]);
  });

  test('concurrent requests refused at once share one refresh', async () => {
    await startRealistic({ ...NO_HABITS, tokenLifetimeSeconds: 10 });
    const client = newClient();
    await client.listAll('statuses');
    sim.revokeTokens();
    sim.resetRequestLog();

    await Promise.all(Array.from({ length: 8 }, () => client.listAll('agents')));

    expect(tokenRequests()).toBe(1);
    expect(apiStatuses().filter((s) => s === 401)).toHaveLength(8);
    expect(apiStatuses().filter((s) => s === 200)).toHaveLength(8);
  });

  test('a server that refuses even the fresh token is HALO_AUTH_FAILED after one retry', async () => {
    await startRealistic({ ...NO_HABITS, tokenLifetimeSeconds: 10 });
    const client = newClient();
    await client.listAll('statuses');
    // The server's clock jumps a minute on every look, so each token is expired when next checked.
    let drift = 0;
    sim.setClock({ now: () => new Date(clock.now + (drift += 60_000)) });
    sim.resetRequestLog();

    await expect(client.listAll('statuses')).rejects.toBeInstanceOf(HaloAuthFailedError);
    expect(apiStatuses()).toEqual([401, 401]);
    expect(tokenRequests()).toBe(1);
  });
});

describe('4. random 429s', () => {
  test('with and without Retry-After, the client backs off and reads exactly the same records', async () => {
    await startRealistic({ ...NO_HABITS, rateLimitChance: 0.25, retryAfterShare: 0.5, seed: 3 });
    const client = newClient({ maxRetries: 8 });

    for (const name of HALO_RESOURCE_NAMES.filter((n) => n !== 'tasks')) {
      const rows = await client.listAll(name);
      const expected = sim.records(SIM_NAME[name]);
      expect({ name, ids: ids(rows) }).toEqual({ name, ids: ids(expected) });
    }

    const limited = sim.requests.filter((r) => r.status === 429).length;
    expect(limited).toBeGreaterThan(10);
    expect(client.stats().byStatus['429']).toBe(limited);
    // Retry-After of 1 or 2 s was waited exactly; without it, jittered backoff (0.3 × 500 ms × 2^n).
    expect(sleeps.filter((ms) => ms === 1000 || ms === 2000).length).toBeGreaterThan(0);
    expect(sleeps.filter((ms) => ms === 150).length).toBeGreaterThan(0);
  });
});

describe('5. lookups as bare arrays, lists wrapped', () => {
  test('Status, Priority, Agent and TicketType are bare arrays; lists carry record_count', async () => {
    await startRealistic(true);
    for (const lookup of ['Status', 'Priority', 'Agent', 'TicketType']) {
      expect({
        lookup,
        isArray: Array.isArray(JSON.parse(await rawGet(`/api/${lookup}`))),
      }).toEqual({ lookup, isArray: true });
    }
    const clients = JSON.parse(
      await rawGet('/api/Client?pageinate=true&page_size=5&page_no=1'),
    ) as {
      record_count: number;
      clients: unknown[];
    };
    expect(clients.record_count).toBe(sim.records('Client').length);

    const client = newClient({ maxRetries: 8 });
    expect(ids(await client.listAll('statuses'))).toEqual(ids(sim.records('Status')));
    expect(ids(await client.listAll('agents'))).toEqual(ids(sim.records('Agent')));
    expect(ids(await client.listAll('clients'))).toEqual(ids(sim.records('Client')));
  });
});

describe('6. ids as "21" or 21.0, and -1 for none', () => {
  test('the wire spells ids three ways and references -1; the parser reads what the default profile means', async () => {
    await startRealistic({ ...NO_HABITS, looseIdShare: 0.5 });
    plain = await startSimulator({ dataset, port: 0, clock: { now: () => new Date(clock.now) } });
    const wire = await rawGet('/api/Tickets?pageinate=true&page_size=100&page_no=2');
    expect(wire).toMatch(/"id":"\d+"/);
    expect(wire).toMatch(/"id":\d+\.0[,}]/);
    expect(wire).toMatch(/"agent_id":-1[,}]|"sla_id":-1[,}]|"parent_id":-1[,}]/);

    const looseClient = newClient();
    const plainClient = newClient({ baseUrl: plain.url });
    for (const name of HALO_RESOURCE_NAMES.filter((n) => n !== 'tasks')) {
      const loose = validateRecords(name, await looseClient.listAll(name));
      const meant = validateRecords(name, await plainClient.listAll(name));
      expect({ name, exceptions: loose.exceptions }).toEqual({ name, exceptions: [] });
      // Every schema field parses to the same value ("21", 21.0 → 21; -1, 0, null → null).
      expect({ name, data: loose.records.map((r) => r.data) }).toEqual({
        name,
        data: meant.records.map((r) => r.data),
      });
    }
  });

  test('tasks and service tickets are told apart the same way whatever the id spelling', async () => {
    await startRealistic({ ...NO_HABITS, looseIdShare: 1 });
    plain = await startSimulator({ dataset, port: 0 });
    const projectIds = new Set(ids(await newClient().listAll('projects')));
    const kinds = (rows: unknown[]) => rows.map((r) => classifyTicket(r, projectIds));
    const loose = await newClient().listAll('tickets');
    const meant = await newClient({ baseUrl: plain.url }).listAll('tickets');
    expect(kinds(loose)).toEqual(kinds(meant));
    expect(kinds(loose)).toContain('task');
    expect(kinds(loose)).toContain('ticket');
    expect(loose.some((r) => typeof (r as { id: unknown }).id === 'string')).toBe(true);
  });
});

describe('7. unknown query parameters ignored', () => {
  test('a filter the endpoint ignores is HALO_FILTER_IGNORED, never data', async () => {
    await startRealistic({ ...NO_HABITS, documentedFiltersOnly: true });
    const ticketId = Number((sim.records('TimesheetEvent')[0] as { ticket_id: number }).ticket_id);

    // TimesheetEvent documents agent_id and dates, not ticket_id: HaloPSA would answer every event.
    const error = await newClient()
      .listAll('timesheetEvents', { ticket_id: ticketId })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HaloFilterIgnoredError);
    expect(error).toMatchObject({ code: 'HALO_FILTER_IGNORED', filter: 'ticket_id' });
    // It stopped at the first page instead of reading the whole table.
    expect(sim.requests.filter((r) => /timesheetevent/i.test(r.path))).toHaveLength(1);
  });

  test('a misspelt filter is refused before it is sent (HaloPSA would answer everything)', async () => {
    await startRealistic({ ...NO_HABITS, documentedFiltersOnly: true });
    await expect(newClient().listAll('actions', { ticketid: 1001 })).rejects.toMatchObject({
      code: 'HALO_UNKNOWN_FILTER',
      filter: 'ticketid',
    });
    expect(sim.requests.filter((r) => /actions/i.test(r.path))).toEqual([]);
  });

  test('a documented filter is applied and passes the check', async () => {
    await startRealistic({ ...NO_HABITS, documentedFiltersOnly: true });
    const ticketId = Number((sim.records('Actions')[0] as { ticket_id: number }).ticket_id);
    const rows = await newClient().listAll('actions', { ticket_id: ticketId });
    const expected = sim
      .records('Actions')
      .filter((a) => Number((a as { ticket_id: unknown }).ticket_id) === ticketId);
    expect(ids(rows)).toEqual(ids(expected));
    expect(rows.length).toBeGreaterThan(0);
  });

  test('client_id is applied where documented; ticketids on a lookup is ignored and noticed', async () => {
    await startRealistic({ ...NO_HABITS, documentedFiltersOnly: true });
    const clientId = Number((sim.records('Invoice')[0] as { client_id: number }).client_id);
    const invoices = await newClient().listAll('invoices', { client_id: clientId });
    expect(invoices.length).toBeGreaterThan(0);
    expect(
      invoices.every((r) => Number((r as { client_id: unknown }).client_id) === clientId),
    ).toBe(true);
    // Agent knows no filter at all: asking for one id returns every agent.
    await expect(newClient().listAll('agents', { ticketids: '1' })).rejects.toMatchObject({
      code: 'HALO_FILTER_IGNORED',
      filter: 'ticketids',
    });
  });

  test('an ignored lastupdatefromdate: rows outside the window are dropped and counted', async () => {
    await startRealistic({ ...NO_HABITS, documentedFiltersOnly: true });
    plain = await startSimulator({ dataset, port: 0, clock: { now: () => new Date(clock.now) } });
    clock.now = Date.parse('2026-11-23T09:00:00Z');
    const touched = sim.touch('actions', 0.01, 5);
    plain.touch('actions', 0.01, 5);
    const since = '2026-11-23T08:30:00.000Z';

    const kept: unknown[] = [];
    let outside = 0;
    for await (const page of newClient().listPages('actions', { lastupdatefromdate: since })) {
      kept.push(...page.records);
      outside += page.outsideWindow;
    }
    const honoured = await newClient({ baseUrl: plain.url }).listAll('actions', {
      lastupdatefromdate: since,
    });

    expect(ids(kept).sort((a, b) => a - b)).toEqual(touched);
    expect(ids(kept)).toEqual(ids(honoured));
    expect(outside).toBe(sim.records('Actions').length - touched.length);
  });
});

describe('all habits at once', () => {
  test('every listing reads the same records as from the default profile', async () => {
    await startRealistic({ tokenLifetimeSeconds: 30 });
    plain = await startSimulator({ dataset, port: 0, clock: { now: () => new Date(clock.now) } });
    const client = newClient({ pageSize: 1000, maxRetries: 8 });
    const plainClient = newClient({ baseUrl: plain.url, pageSize: 1000 });

    for (const name of HALO_RESOURCE_NAMES) {
      const rows = validateRecords(name, await client.listAll(name));
      const meant = validateRecords(name, await plainClient.listAll(name));
      expect({ name, data: rows.records.map((r) => r.data) }).toEqual({
        name,
        data: meant.records.map((r) => r.data),
      });
    }
    expect(sim.requests.some((r) => r.status === 429)).toBe(true);
    expect(sim.requests.every((r) => !/\/auth\/token$/.test(r.path))).toBe(true);
  });
});
