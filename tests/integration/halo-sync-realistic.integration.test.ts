/**
 * The sync against the simulator's realistic profile (every habit of hosted HaloPSA on: 100-row
 * pages, discovered auth path, short-lived tokens, random 429s, loosely spelled ids, filters only
 * where documented) ends equal to the source, counts and hashes, as the default-profile test does.
 * One clock drives the simulator, the client and the sync; the client's waits advance it.
 */
import { HALO_READ_SCOPES } from '../../src/halo/halo-scopes';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync } from '../../src/halo/halo-sync';
import { classifyTicket } from '../../src/halo/halo-resources';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator, type HaloSimulator } from '../../src/halo/simulator/server';
import { contentHash } from '../../src/store/content-hash';
import { HaloMirrorRepository } from '../../src/store/halo-mirror.repository';
import type { MirroredResource } from '../../src/store/halo-mirror-columns';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'acme';
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
const dataset = generateDataset({ profile: 'demo', seed: 7, asOf: '2026-11-23' });
const RESOURCES: readonly MirroredResource[] = [
  'statuses',
  'agents',
  'clients',
  'contacts',
  'contracts',
  'projects',
  'tasks',
  'tickets',
  'actions',
  'timesheetEvents',
  'recurringInvoices',
  'invoices',
];

/** What the simulator serves (with its loose ids), split the way the sync stores it, hashed by id. */
function expectedContents(
  sim: HaloSimulator,
): Record<MirroredResource, Array<{ id: number; hash: string }>> {
  const hashed = (rows: unknown[]) =>
    rows
      .map((r) => ({ id: Number((r as { id: unknown }).id), hash: contentHash(r) }))
      .sort((a, b) => a.id - b.id);
  const projects = sim.records('projects');
  const projectIds = new Set(projects.map((p) => Number(p.id)));
  const ticketRows = sim.records('tickets');
  return {
    statuses: hashed(sim.records('statuses')),
    agents: hashed(sim.records('agents')),
    clients: hashed(sim.records('clients')),
    contacts: hashed(sim.records('contacts')),
    contracts: hashed(sim.records('contracts')),
    projects: hashed(projects),
    tasks: hashed(ticketRows.filter((t) => classifyTicket(t, projectIds) === 'task')),
    tickets: hashed(ticketRows.filter((t) => classifyTicket(t, projectIds) === 'ticket')),
    actions: hashed(sim.records('actions')),
    timesheetEvents: hashed(sim.records('timesheetEvents')),
    recurringInvoices: hashed(
      sim.records('recurringInvoices').map((r) => sim.record('recurringInvoices', Number(r.id))),
    ),
    invoices: hashed(sim.records('invoices')),
  };
}

async function storedContents(handle: TestDatabaseHandle) {
  const mirror = new HaloMirrorRepository(TENANT);
  const out: Partial<Record<MirroredResource, Array<{ id: number; hash: string }>>> = {};
  for (const resource of RESOURCES) out[resource] = await mirror.contents(handle.db, resource);
  return out;
}

describe.each(testDatabases())('HaloPSA sync under the realistic profile into $name', (target) => {
  let sim: HaloSimulator;
  let handle: TestDatabaseHandle;
  const clock = { now: 0 };
  const shared = { now: () => new Date(clock.now) };

  beforeEach(async () => {
    clock.now = Date.parse('2026-11-23T08:00:00Z');
    sim = await startSimulator({
      dataset,
      port: 0,
      clock: shared,
      realistic: { tokenLifetimeSeconds: 20, seed: 5 },
    });
    handle = await target.open();
  });
  afterEach(async () => {
    await sim.close();
    await handle.dispose();
  });

  test('a full sync, then an incremental one after 1 % change, each end equal to the source', async () => {
    const client = new HaloClient({
      baseUrl: sim.url,
      clientId: 'demo',
      clientSecret: 'demo',
      scopes: [...HALO_READ_SCOPES],
      pageSize: 1000,
      budget: { requests: 100_000, windowMs: 300_000 },
      maxRetries: 8,
      clock: shared,
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0.5,
      // Each exchange takes a quarter second of the shared clock, so tokens age during the sync.
      onRequest: () => {
        clock.now += 250;
      },
      timeoutMs: 5_000,
      logger: silent,
    });
    const sync = new HaloSync({
      db: handle.db,
      reader: client,
      tenantId: TENANT,
      clock: shared,
      logger: silent,
    });

    const full = await sync.run('full');

    const expected = expectedContents(sim);
    const stored = await storedContents(handle);
    for (const resource of RESOURCES) {
      expect({ resource, rows: stored[resource] }).toEqual({ resource, rows: expected[resource] });
    }
    expect(Object.values(full.listings).every((l) => l.exceptions === 0)).toBe(true);
    // The habits really were met: capped pages, random 429s, refreshed tokens, loose ids.
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(sim.requests.filter((r) => r.path === '/identity/token').length).toBeGreaterThan(1);
    expect(sim.requests.some((r) => r.status === 401)).toBe(false);
    expect(full.listings.actions!.pages).toBe(Math.ceil(sim.records('actions').length / 100));
    expect(sim.records('tickets').some((t) => typeof t.id === 'string')).toBe(true);
    const milestones = await handle.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM halo_milestones WHERE tenant_id = $1',
      [TENANT],
    );
    expect(milestones[0]!.n).toBeGreaterThan(0);

    // An hour later 1 % of records change. Actions, timesheet events, contracts and invoices do
    // not honour lastupdatefromdate here: they come back whole and the client drops the old rows.
    clock.now = Date.parse('2026-11-23T09:00:00Z');
    for (const resource of [
      'clients',
      'projects',
      'tickets',
      'actions',
      'timesheetEvents',
    ] as const)
      sim.touch(resource, 0.01, 11);
    const incremental = await sync.run('incremental');

    expect(await storedContents(handle)).toEqual(expectedContents(sim));
    expect(incremental.listings.actions!.outsideWindow).toBeGreaterThan(0);
    expect(incremental.listings.actions!.records).toBe(
      Math.max(1, Math.round(sim.records('actions').length * 0.01)),
    );
    // Tickets honour the window: nothing outside it came back.
    expect(incremental.listings.tickets!.outsideWindow).toBe(0);
  });
});
