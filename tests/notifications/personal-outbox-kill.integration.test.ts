import { OutboxRepository } from '../../src/store/outbox.repository';
import { FakeClock } from '../bot/fakes';
import { ConnectorDouble } from '../support/connector-double';
import { GraphDouble } from '../support/graph-double';
import {
  TEAMS_GRAPH_TOKEN,
  personalDeliveryAgainst,
  repositoryManifest,
} from '../support/personal-delivery';
import { PERSONAL_KILL_APPROVER, PERSONAL_KILL_TENANT } from '../support/personal-outbox-worker';
import { testDispatcher } from '../support/test-dispatcher';
import { runWorker, sharedDatabaseTargets } from '../support/worker-process';

// Each case starts processes and a fresh embedded database; the limit only guards against a hang.
jest.setTimeout(180_000);

describe.each(sharedDatabaseTargets())(
  'personal notifications when the process is killed ($name)',
  (target) => {
    test('killed between claim and send, the approver gets one message and one feed entry after restart', async () => {
      const connector = await new ConnectorDouble().start();
      const graph = await new GraphDouble('site', 'drive', TEAMS_GRAPH_TOKEN).start();
      graph.declareActivityTypes(repositoryManifest());
      const location = await target.make();
      try {
        const worker = runWorker('tests/support/personal-outbox-worker.ts', [location.arg]);
        expect(await worker.firstLine).toBe('claimed');
        worker.child.kill('SIGKILL');
        expect(await worker.exited).toBe(137);

        const db = await location.open();
        try {
          const repo = new OutboxRepository(PERSONAL_KILL_TENANT);
          expect((await repo.list(db)).map((r) => r.status)).toEqual(['sending', 'sending']);
          const clock = new FakeClock();
          clock.advance(10 * 60_000);
          const restarted = testDispatcher({
            db,
            tenantId: PERSONAL_KILL_TENANT,
            instanceId: 'after-restart',
            clock,
            personal: personalDeliveryAgainst({
              db,
              tenantId: PERSONAL_KILL_TENANT,
              connector,
              graph,
              clock,
            }),
          });
          await restarted.drain();
          await restarted.drain();

          expect(connector.deliveredTo(`a:1:${PERSONAL_KILL_APPROVER}`)).toHaveLength(1);
          expect(graph.activityNotifications.map((n) => n.userId)).toEqual([
            PERSONAL_KILL_APPROVER,
          ]);
          expect((await repo.list(db)).map((r) => r.status)).toEqual(['sent', 'sent']);
        } finally {
          await db.close();
        }
      } finally {
        await connector.stop();
        await graph.stop();
        await location.dispose();
      }
    });
  },
);
