import { AuditLog } from '../../src/audit/audit-log';
import type { HaloSimulator } from '../../src/halo/simulator/server';
import {
  HaloWritebackDispatcher,
  haloWriterOf,
} from '../../src/notifications/halo-writeback-dispatcher';
import { FakeClock } from '../bot/fakes';
import { ConnectorDouble } from '../support/connector-double';
import { testDispatcher } from '../support/test-dispatcher';
import { runWorker, sharedDatabaseTargets } from '../support/worker-process';
import { gateHaloClient, notesWith, simulatorProject, startGateSimulator } from './gate-halo';

// Each case starts processes and a fresh embedded database; the limit only guards against a hang.
jest.setTimeout(180_000);

const TENANT = 'tenant-gate-kill';

describe.each(sharedDatabaseTargets())(
  'a gate decision when its process is killed ($name)',
  (target) => {
    let sim: HaloSimulator;
    beforeAll(async () => {
      sim = await startGateSimulator();
    });
    afterAll(async () => {
      await sim.close();
    });

    test.each([
      ['after the decision is stored, before anything is delivered', 'decided'],
      ['after HaloPSA accepted the note, before it was recorded', 'noted'],
    ])(
      'killed %s: after restart the card update and the HaloPSA note happen exactly once',
      async (_when, mode) => {
        const connector = await new ConnectorDouble().start();
        const location = await target.make();
        const { projectId } = simulatorProject(sim);
        const gateId = `g-${projectId}-9000001`;
        const marker = `[Control Tower gate ${gateId} v1 approved]`;
        const notesBefore = notesWith(sim, projectId, marker).length;
        try {
          const worker = runWorker('tests/gates/gate-kill-worker.ts', [
            location.arg,
            connector.url,
            sim.url,
            String(projectId),
            mode,
          ]);
          expect(await worker.firstLine).toBe(mode);
          worker.child.kill('SIGKILL');
          expect(await worker.exited).toBe(137);
          expect(connector.delivered().filter((r) => r.operation === 'update')).toHaveLength(0);
          expect(notesWith(sim, projectId, marker).length - notesBefore).toBe(
            mode === 'noted' ? 1 : 0,
          );

          // The restarted process: new instances that find the dead one's claims expired.
          const db = await location.open();
          try {
            const clock = new FakeClock();
            clock.advance(10 * 60_000);
            const writeback = () =>
              new HaloWritebackDispatcher({
                db,
                tenantId: TENANT,
                instanceId: 'after-restart',
                writer: haloWriterOf(gateHaloClient(sim.url)),
                audit: new AuditLog(TENANT, clock),
                logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
                clock,
                sleep: clock.sleep,
              });
            const outbox = () =>
              testDispatcher({ db, tenantId: TENANT, instanceId: 'after-restart', clock });
            await outbox().drain();
            await writeback().drain();
            // Running again changes nothing.
            await outbox().drain();
            await writeback().drain();

            const updates = connector.delivered().filter((r) => r.operation === 'update');
            expect(updates).toHaveLength(1);
            expect(JSON.stringify(updates[0]!.body)).toContain('Approved by Adele Vance');
            expect(notesWith(sim, projectId, marker).length - notesBefore).toBe(1);
            // The gate's milestone (9000001) exists only in our mirror: HaloPSA refuses its
            // completion, which is given up after its retries while the approval stands.
            const rows = await writeback().list();
            expect(rows.map((r) => [r.kind, r.status])).toEqual([
              ['note', 'done'],
              ['milestone-complete', 'failed'],
            ]);
            const timeline = await new AuditLog(TENANT, clock).timeline(db, 'gate', gateId);
            expect(timeline.map((e) => e.action)).toEqual([
              'gate.requested',
              'gate.approved',
              'gate.writeback.done',
              'gate.writeback.failed',
            ]);
            expect(timeline[2]!.detail.found).toBe(mode === 'noted');
          } finally {
            await db.close();
          }
        } finally {
          await connector.stop();
          await location.dispose();
        }
      },
      180_000,
    );
  },
);
