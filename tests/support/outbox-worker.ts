/**
 * An outbox dispatcher in a process of its own, for the kill test:
 * `tsx tests/support/outbox-worker.ts <postgres-url | pglite-dir> <connector-url>`.
 * It records an escalation decision's notification, claims it (the row is "sending"), announces
 * `claimed` on stdout and hangs before posting, until the test kills it.
 */
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import { enqueue } from '../../src/notifications/outbox';
import { FakeClock } from '../bot/fakes';
import { escalationView } from '../bot/view-fixtures';
import { testDispatcher } from './test-dispatcher';
import { openWorkerDatabase } from './worker-process';

const [target, connectorUrl] = process.argv.slice(2);
const OUTBOX_KILL_TENANT = 'tenant-kill';

async function main(): Promise<void> {
  const db = await openWorkerDatabase(target!);
  const clock = new FakeClock();
  await new ConversationRoutesRepository(OUTBOX_KILL_TENANT).upsert(
    db,
    {
      stream: 'escalations',
      clientId: null,
      conversation: {
        serviceUrl: connectorUrl!,
        conversationId: '19:escalations@thread.tacv2',
        channelId: 'msteams',
        tenantId: 'entra',
        botId: '28:bot',
        conversationType: 'channel',
        label: 'Escalations',
      },
    },
    'admin',
    clock.now(),
  );
  await db.transaction((tx) =>
    enqueue(
      tx,
      OUTBOX_KILL_TENANT,
      {
        dedupeKey: 'escalation:esc-kill:opened',
        kind: 'escalation',
        payload: { escalation: escalationView({ id: 'esc-kill' }) },
        target: { streams: ['escalations'], clientId: 7 },
      },
      clock.now(),
    ),
  );
  const dispatcher = testDispatcher({
    db,
    tenantId: OUTBOX_KILL_TENANT,
    instanceId: 'before-kill',
    clock,
    hooks: {
      afterClaim: async () => {
        process.stdout.write('claimed\n');
        await new Promise(() => undefined);
      },
    },
  });
  await dispatcher.runOnce();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
