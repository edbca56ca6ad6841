import { OutboxRepository } from '../../src/store/outbox.repository';
import { ConnectorDouble } from '../support/connector-double';
import { testDispatcher } from '../support/test-dispatcher';
import { runWorker, sharedDatabaseTargets } from '../support/worker-process';
import { FakeClock } from './fakes';

// Each case starts processes and a fresh embedded database; the limit only guards against a hang.
jest.setTimeout(180_000);

const TENANT = 'tenant-kill';

const targets = sharedDatabaseTargets();

describe.each(targets)('the outbox when its process is killed ($name)', (target) => {
  test('killed between "decided" and "posted", the card is posted exactly once after restart', async () => {
    const connector = await new ConnectorDouble().start();
    const location = await target.make();
    try {
      const worker = runWorker('tests/support/outbox-worker.ts', [location.arg, connector.url]);
      expect(await worker.firstLine).toBe('claimed');
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBe(137);
      expect(connector.requests).toHaveLength(0);

      // The restarted process: a new instance that finds the dead one's claim and lease expired.
      const db = await location.open();
      try {
        expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sending');
        const clock = new FakeClock();
        clock.advance(10 * 60_000);
        const restarted = testDispatcher({
          db,
          tenantId: TENANT,
          instanceId: 'after-restart',
          clock,
        });
        await restarted.drain();
        await restarted.drain();
        expect(connector.delivered()).toHaveLength(1);
        expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sent');
      } finally {
        await db.close();
      }
    } finally {
      await connector.stop();
      await location.dispose();
    }
  });
});
