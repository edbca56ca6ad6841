import { classifyTicket } from '../../src/halo/halo-resources';
import { generateDataset } from '../../src/halo/simulator/generator';
import { startSimulator, type HaloSimulator } from '../../src/halo/simulator/server';
import { contentHash } from '../../src/store/content-hash';
import { runWorker, sharedDatabaseTargets } from '../support/worker-process';

// Each case starts processes and a fresh embedded database; the limit only guards against a hang.
jest.setTimeout(180_000);

const targets = sharedDatabaseTargets();

describe.each(targets)('a sync process killed mid-way ($name)', (target) => {
  let sim: HaloSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      dataset: generateDataset({ profile: 'demo', seed: 5, asOf: '2026-11-23' }),
      port: 0,
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  test('resumes from its checkpoint to the same final state', async () => {
    const location = await target.make();
    try {
      const first = runWorker('tests/support/sync-worker.ts', [
        sim.url,
        location.arg,
        'tickets',
        '5',
      ]);
      expect(await first.firstLine).toBe('paused tickets 5');
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(137);

      sim.resetRequestLog();
      const second = runWorker('tests/support/sync-worker.ts', [sim.url, location.arg]);
      expect(JSON.parse(await second.firstLine)).toEqual({ done: true, resumed: true });
      expect(await second.exited).toBe(0);
      // Tickets pages 1-4 were committed before the kill and not read again.
      const ticketPages = sim.requests
        .filter((r) => /\/api\/tickets$/i.test(r.path))
        .map((r) => Number(r.query.page_no));
      expect(Math.min(...ticketPages)).toBe(5);

      const db = await location.open();
      try {
        const projectIds = new Set(sim.records('projects').map((p) => Number(p.id)));
        const expectedTickets = sim.records('tickets').map((t) => ({
          id: Number(t.id),
          hash: contentHash(t),
          kind: classifyTicket(t, projectIds),
        }));
        const stored = await db.query<{ id: number; hash: string }>(
          `SELECT id, hash FROM halo_tasks WHERE tenant_id = 'acme' UNION ALL SELECT id, hash FROM halo_tickets WHERE tenant_id = 'acme' ORDER BY id`,
        );
        expect(stored.map((r) => ({ id: Number(r.id), hash: r.hash }))).toEqual(
          expectedTickets.map(({ id, hash }) => ({ id, hash })).sort((a, b) => a.id - b.id),
        );
        const events = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM halo_timesheet_events WHERE tenant_id = 'acme'`,
        );
        expect(events[0]!.n).toBe(sim.records('timesheetEvents').length);
      } finally {
        await db.close();
      }
    } finally {
      await location.dispose();
    }
  });
});
