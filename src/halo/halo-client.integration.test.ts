import { HaloClient } from './halo-client';
import { validateRecords } from './halo-records';
import { classifyTicket, HALO_RESOURCES, type HaloResourceName } from './halo-resources';
import { generateDataset } from './simulator/generator';
import { startSimulator, type HaloSimulator } from './simulator/server';

const SCOPES = [
  'read:projects',
  'read:tickets',
  'read:timesheets',
  'read:contracts',
  'read:customers',
  'read:invoices',
];
const PAGE_SIZE = 100;
const dataset = generateDataset({ profile: 'demo', seed: 7, asOf: '2026-11-23' });

/** The simulator's name of each catalogued listing. */
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
let clock: { now: number };
let sleeps: number[];

function newClient(overrides: { timeoutMs?: number; pageSize?: number } = {}): HaloClient {
  return new HaloClient({
    baseUrl: sim.url,
    clientId: 'demo',
    clientSecret: 'demo',
    scopes: SCOPES,
    pageSize: overrides.pageSize ?? PAGE_SIZE,
    budget: { requests: 300, windowMs: 300_000 },
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: 4,
    clock: { now: () => new Date(clock.now) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
  });
}

function ids(records: unknown[]): number[] {
  return records.map((r) => Number((r as { id: unknown }).id));
}

beforeEach(async () => {
  clock = { now: Date.parse('2026-11-23T08:00:00Z') };
  sleeps = [];
  sim = await startSimulator({ dataset, port: 0, clock: { now: () => new Date(clock.now) } });
});

afterEach(async () => {
  await sim.close();
});

test('pages every resource of the demo dataset with the minimum number of requests', async () => {
  const client = newClient();
  let minimum = 0;

  for (const spec of HALO_RESOURCES) {
    if (spec.sharesListingWith !== undefined) continue;
    const expected = sim.records(SIM_NAME[spec.name]);
    sim.resetRequestLog();

    const records = await client.listAll(spec.name);

    expect(ids(records)).toEqual(ids(expected));
    const { records: valid, exceptions } = validateRecords(
      spec.name === 'tickets' ? 'tickets' : spec.name,
      spec.name === 'tickets' ? records.filter((r) => classifyTicket(r) === 'ticket') : records,
    );
    expect(exceptions).toEqual([]);
    expect(valid.length).toBeGreaterThan(0);
    const listRequests = sim.requests.filter(
      (r) => r.path.startsWith('/api/') && r.path !== '/api/authinfo',
    );
    const pages = spec.pages ? Math.max(1, Math.ceil(expected.length / PAGE_SIZE)) : 1;
    // Bare arrays that fill their last page need one empty page to know they are done.
    const slack = spec.envelope === null && spec.pages && expected.length % PAGE_SIZE === 0 ? 1 : 0;
    expect(listRequests.length).toBeLessThanOrEqual(pages + slack);
    minimum += pages;
  }

  const auth = 2;
  expect(client.stats().requests).toBeLessThanOrEqual(Math.ceil(minimum * 1.05) + auth);
  expect(client.stats().byStatus['429']).toBeUndefined();
});

test('tasks are the project children of the /api/Tickets listing', async () => {
  const client = newClient();
  const projectIds = new Set(ids(await client.listAll('projects')));

  const tasks = await client.listAll('tasks');

  expect(tasks.length).toBeGreaterThan(0);
  for (const task of tasks) {
    expect(projectIds.has(Number((task as { parent_id: unknown }).parent_id))).toBe(true);
  }
  const { exceptions } = validateRecords('tasks', tasks);
  expect(exceptions).toEqual([]);
});

test('reads full project records with milestones and budgets', async () => {
  const client = newClient();
  const [first] = await client.listAll('projects');
  const projectId = Number((first as { id: unknown }).id);

  const full = await client.getRecord('projects', projectId);

  const { records, exceptions } = validateRecords('projects', [full]);
  expect(exceptions).toEqual([]);
  expect(records[0]?.data.milestones?.length).toBeGreaterThan(0);
  expect(records[0]?.data.milestones?.[0]?.target_date).toMatch(/Z$/);
});

test('recovers from 429 with Retry-After, a 500 and a hung response', async () => {
  const client = newClient({ timeoutMs: 300 });
  sim.faults.add({ path: /\/api\/Client$/i, kind: 'rate-limit-retry-after', times: 1 });
  sim.faults.add({
    path: /\/api\/Client$/i,
    kind: 'rate-limit-retry-after',
    retryAfterSeconds: 3,
    times: 1,
  });
  sim.faults.add({ path: /\/api\/Invoice$/i, kind: 'server-error', times: 1 });
  sim.faults.add({ path: /\/api\/Agent$/i, kind: 'hang', times: 1 });

  expect(await client.listAll('clients')).toHaveLength(sim.records('Client').length);
  expect(await client.listAll('invoices')).toHaveLength(sim.records('Invoice').length);
  expect(await client.listAll('agents')).toHaveLength(sim.records('Agent').length);

  expect(sleeps.slice(0, 2)).toEqual([1_000, 3_000]);
  expect(client.stats().byStatus).toMatchObject({ '429': 2, '500': 1, timeout: 1 });
});

test('310 requests under the simulator rate limit of 300 per 5 minutes never see a 429', async () => {
  sim.setRateLimit({ requests: 300, windowMs: 300_000 });
  const client = newClient();

  for (let i = 0; i < 310; i++) await client.listAll('statuses');

  expect(client.stats().byStatus['429']).toBeUndefined();
  expect(sim.requests.filter((r) => r.status === 429)).toEqual([]);
  expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});

test('a corrupted record becomes a data-quality issue naming the record and the field', async () => {
  const client = newClient();
  const [victim] = sim.records('Projects');
  const victimId = Number(victim?.id);
  sim.corrupt('Projects', victimId, 'projecttimebudget', 'lots');

  const projects = await client.listAll('projects');
  const { records, exceptions } = validateRecords('projects', projects);

  expect(exceptions).toEqual([
    {
      resource: 'projects',
      recordId: String(victimId),
      field: 'projecttimebudget',
      problem: 'must be numeric, got "lots"',
    },
  ]);
  expect(records).toHaveLength(projects.length - 1);
});

test('incremental reads return what changed since lastupdatefromdate', async () => {
  const client = newClient();
  const since = new Date(clock.now).toISOString();
  clock.now += 60_000;
  const touched = sim.touch('Tickets', 0.01, 42);

  const changed = await client.listAll('tickets', { lastupdatefromdate: since });

  expect(new Set(ids(changed))).toEqual(new Set(touched));
});
