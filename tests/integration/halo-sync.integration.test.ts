import { systemClock } from '../../src/shared/clock';
import { HALO_READ_SCOPES } from '../../src/halo/halo-scopes';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync, type HaloReader } from '../../src/halo/halo-sync';
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

/** A client whose waits cost no wall time (the budget and backoff still decide how long they'd be). */
function clientFor(
  sim: HaloSimulator,
  overrides: Partial<ConstructorParameters<typeof HaloClient>[0]> = {},
) {
  let fakeNow = Date.parse('2026-11-23T08:00:00Z');
  return new HaloClient({
    baseUrl: sim.url,
    clientId: 'demo',
    clientSecret: 'demo',
    scopes: [...HALO_READ_SCOPES],
    pageSize: 200,
    budget: { requests: 100_000, windowMs: 300_000 },
    clock: { now: () => new Date(fakeNow) },
    sleep: async (ms) => {
      fakeNow += ms;
    },
    random: () => 0.5,
    timeoutMs: 2_000,
    logger: silent,
    ...overrides,
  });
}

/** The records the simulator serves, split the way the sync stores them, hashed by id. */
function expectedContents(
  sim: HaloSimulator,
): Record<MirroredResource, Array<{ id: number; hash: string }>> {
  const hashed = (rows: unknown[]) =>
    rows
      .map((r) => ({ id: Number((r as { id: number }).id), hash: contentHash(r) }))
      .sort((a, b) => a.id - b.id);
  const projects = sim.records('projects');
  const projectIds = new Set(projects.map((p) => Number((p as { id: number }).id)));
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
    // The sync lists recurring invoices with includelines=true: rows carry their lines, like the full record.
    recurringInvoices: hashed(
      sim
        .records('recurringInvoices')
        .map((r) => sim.record('recurringInvoices', Number((r as { id: number }).id))),
    ),
    invoices: hashed(sim.records('invoices')),
  };
}

async function storedContents(handle: TestDatabaseHandle) {
  const mirror = new HaloMirrorRepository(TENANT);
  const out: Partial<Record<MirroredResource, Array<{ id: number; hash: string }>>> = {};
  for (const resource of Object.keys(expectedContents(currentSim!)) as MirroredResource[]) {
    out[resource] = await mirror.contents(handle.db, resource);
  }
  return out;
}

let currentSim: HaloSimulator | null = null;

describe.each(testDatabases())('HaloPSA sync into $name', (target) => {
  let sim: HaloSimulator;
  let handle: TestDatabaseHandle;

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await target.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    sim = await startSimulator({
      dataset: structuredClone(dataset),
      port: 0,
      clock: { now: () => new Date('2026-11-23T08:00:00Z') },
    });
    currentSim = sim;
    await handle.reset();
  });
  afterEach(async () => {
    await sim.close();
  });

  test('a full sync leaves the store holding exactly the simulator records (counts and checksums)', async () => {
    const sync = new HaloSync({
      db: handle.db,
      reader: clientFor(sim),
      tenantId: TENANT,
      clock: systemClock,
      logger: silent,
    });
    await sync.run('full');
    const stored = await storedContents(handle);
    const expected = expectedContents(sim);
    for (const resource of Object.keys(expected) as MirroredResource[]) {
      expect({ resource, rows: stored[resource] }).toEqual({ resource, rows: expected[resource] });
    }
    const milestones = await handle.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM halo_milestones WHERE tenant_id = $1',
      [TENANT],
    );
    expect(milestones[0]!.n).toBeGreaterThan(0);
    expect(await sync.lastCompletedAt()).not.toBeNull();
  });

  test('an incremental sync after 1 % of records change reads only changed pages and converges', async () => {
    const client = clientFor(sim);
    const clock = { now: new Date('2026-11-23T08:00:00Z') };
    const sync = new HaloSync({
      db: handle.db,
      reader: client,
      tenantId: TENANT,
      clock: { now: () => clock.now },
      logger: silent,
    });
    await sync.run('full');
    const fullRequests = client.stats().requests;

    // Changes happen an hour later, beyond the overlap margin of the last watermark.
    clock.now = new Date('2026-11-23T09:00:00Z');
    sim.setClock({ now: () => clock.now });
    let changed = 0;
    for (const resource of [
      'clients',
      'projects',
      'tickets',
      'actions',
      'timesheetEvents',
      'contracts',
      'invoices',
    ] as const) {
      changed += sim.touch(resource, 0.01, 11).length;
    }
    expect(changed).toBeGreaterThan(0);
    sim.resetRequestLog();
    await sync.run('incremental');
    const incrementalRequests = client.stats().requests - fullRequests;

    expect(await storedContents(handle)).toEqual(expectedContents(sim));
    // The projects touched only in activity stamps (lastactiondate) keep their full records: no re-read.
    const fullRecordReads = sim.requests.filter((r) =>
      /\/api\/(projects|clientcontract)\/\d+$/i.test(r.path),
    );
    expect(fullRecordReads).toEqual([]);
    // Only the changed records' pages (plus lookups and a detail read per changed project/contract).
    expect(incrementalRequests).toBeLessThan(fullRequests / 3);
    const listReads = sim.requests.filter((r) => r.method === 'GET' && !/\/\d+$/.test(r.path));
    expect(
      listReads.every(
        (r) => r.query.lastupdatefromdate !== undefined || /status|agent/i.test(r.path),
      ),
    ).toBe(true);
  });

  test('the nightly refresh re-reads every full record and leaves the store equal to the source', async () => {
    const client = clientFor(sim);
    const sync = new HaloSync({
      db: handle.db,
      reader: client,
      tenantId: TENANT,
      clock: systemClock,
      logger: silent,
    });
    await sync.run('full');
    await handle.db.query('UPDATE halo_milestones SET target_date = NULL WHERE tenant_id = $1', [
      TENANT,
    ]);
    sim.resetRequestLog();
    const reads = await sync.refreshDetails();
    expect(reads).toBe(sim.records('projects').length + sim.records('contracts').length);
    const blank = await handle.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM halo_milestones WHERE tenant_id = $1 AND target_date IS NULL',
      [TENANT],
    );
    expect(blank[0]!.n).toBe(0);
    expect(await storedContents(handle)).toEqual(expectedContents(sim));
  });

  test('with 429s, 500s, slow responses and malformed records the sync completes and lists the bad records', async () => {
    const projectId = Number((sim.records('projects')[0] as { id: number }).id);
    const actionId = Number((sim.records('actions')[3] as { id: number }).id);
    sim.corrupt('projects', projectId, 'client_id', 'not-a-number');
    sim.corrupt('actions', actionId, 'id', 'abc');
    // A contact that names no client cannot be offered for any stakeholder map.
    const [contact, otherContact] = sim.records('contacts') as Array<{ id: number }>;
    sim.corrupt('contacts', contact!.id, 'client_id', 0);
    sim.corrupt('contacts', otherContact!.id, 'name', '');
    sim.faults.add({ path: /tickets/i, kind: 'rate-limit', times: 2 });
    sim.faults.add({
      path: /actions/i,
      kind: 'rate-limit-retry-after',
      retryAfterSeconds: 3,
      times: 1,
    });
    sim.faults.add({ path: /timesheetevent/i, kind: 'server-error', times: 2 });
    sim.faults.add({ path: /client$/i, kind: 'slow', delayMs: 300, times: 1 });

    const sync = new HaloSync({
      db: handle.db,
      reader: clientFor(sim),
      tenantId: TENANT,
      clock: systemClock,
      logger: silent,
    });
    await sync.run('full');

    const issues = await new HaloMirrorRepository(TENANT).openIssues(handle.db);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource: 'projects',
          recordId: String(projectId),
          field: 'client_id',
        }),
        expect.objectContaining({ resource: 'actions', recordId: null, field: 'id' }),
        expect.objectContaining({
          resource: 'contacts',
          recordId: String(contact!.id),
          field: 'client_id',
        }),
        expect.objectContaining({
          resource: 'contacts',
          recordId: String(otherContact!.id),
          field: 'name',
        }),
      ]),
    );
    const stored = await storedContents(handle);
    const expected = expectedContents(sim);
    // Everything but the malformed records, once each.
    expect(stored.projects).toEqual(expected.projects.filter((r) => r.id !== projectId));
    expect(stored.contacts).toEqual(
      expected.contacts.filter((r) => r.id !== contact!.id && r.id !== otherContact!.id),
    );
    expect(stored.contacts!.length).toBeGreaterThan(0);
    expect(stored.actions!.length).toBe(expected.actions.length - 1);
    expect(stored.tickets).toEqual(expected.tickets);
    expect(stored.timesheetEvents).toEqual(expected.timesheetEvents);
  });

  test('a sync that dies mid-way resumes from its checkpoint to the same final state', async () => {
    // The reader dies after a few pages of the tickets listing, as a killed process would.
    const client = clientFor(sim);
    let pagesLeft = 3;
    const dying: HaloReader = {
      get: (path, id, params) => client.get(path, id, params),
      async *listPages(resource, params, options) {
        for await (const page of client.listPages(resource, params, options)) {
          if (resource === 'tickets' && pagesLeft-- === 0) throw new Error('killed');
          yield page;
        }
      },
    };
    const first = new HaloSync({
      db: handle.db,
      reader: dying,
      tenantId: TENANT,
      clock: systemClock,
      logger: silent,
    });
    await expect(first.run('full')).rejects.toThrow('killed');
    const checkpoint = await handle.db.query<{ next_page: number; completed: boolean }>(
      `SELECT next_page, completed FROM sync_checkpoints WHERE tenant_id = $1 AND resource = 'tickets'`,
      [TENANT],
    );
    expect(checkpoint[0]).toEqual({ next_page: 4, completed: false });

    sim.resetRequestLog();
    const second = new HaloSync({
      db: handle.db,
      reader: clientFor(sim),
      tenantId: TENANT,
      clock: systemClock,
      logger: silent,
    });
    const report = await second.run('incremental');
    expect(report.resumed).toBe(true);
    expect(report.mode).toBe('full');
    // It picked up at page 4 of tickets: pages 1-3 were not read again.
    const ticketPages = sim.requests
      .filter((r) => /\/api\/tickets$/i.test(r.path))
      .map((r) => Number(r.query.page_no));
    expect(Math.min(...ticketPages)).toBe(4);
    expect(await storedContents(handle)).toEqual(expectedContents(sim));
  });
});
