/**
 * The bench's refresh backlog (SPEC §8, "webhook → card with 500 card refreshes queued"): topping up
 * queues exactly the missing refreshes, spread over the channels, each an update of its own posted
 * card; and the dispatcher's claim takes a new escalation card ahead of every one of them. Timing is
 * the bench's business; this proves what it measures against.
 */
import { conversationKey } from '../../src/app/ports/notifications.port';
import {
  pendingRefreshes,
  topUpRefreshes,
  type RefreshBacklog,
} from '../../src/bench/queued-refreshes';
import { refreshConversations } from '../../src/bench/webhook-latency';
import { enqueue } from '../../src/notifications/outbox';
import { OutboxRepository } from '../../src/store/outbox.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const T = 'bench';
const NOW = new Date('2026-11-23T09:00:00.000Z');

describe.each(testDatabases())('queued card refreshes on $name', (database) => {
  let handle: TestDatabaseHandle;
  const conversations = refreshConversations('http://127.0.0.1:9', 4);
  const backlog: RefreshBacklog = {
    tenantId: T,
    conversations,
    card: { kind: 'text', payload: { text: 'refreshed' } },
  };

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
  });

  test('tops the backlog up to the target, spread evenly, each refresh updating its own card', async () => {
    const { db } = handle;

    expect(await topUpRefreshes(db, backlog, 20, NOW)).toBe(20);

    const rows = await db.query<{
      conversation_key: string;
      target_activity_id: string | null;
      update_of: string | null;
    }>(
      `SELECT conversation_key, target_activity_id, update_of FROM outbox
        WHERE tenant_id = $1 AND status = 'pending'`,
      [T],
    );
    expect(rows).toHaveLength(20);
    const perConversation = new Map<string, number>();
    for (const r of rows) {
      perConversation.set(r.conversation_key, (perConversation.get(r.conversation_key) ?? 0) + 1);
    }
    expect([...perConversation.entries()].sort()).toEqual(
      conversations.map((c) => [conversationKey(c), 5] as const).sort(),
    );
    expect(new Set(rows.map((r) => r.target_activity_id)).size).toBe(20);
    expect(rows.every((r) => r.update_of !== null)).toBe(true);
  });

  test('a second top-up queues only what was delivered meanwhile', async () => {
    const { db } = handle;
    await topUpRefreshes(db, backlog, 20, NOW);
    await db.query(
      `UPDATE outbox SET status = 'sent' WHERE tenant_id = $1 AND id IN (
         SELECT id FROM outbox WHERE tenant_id = $1 ORDER BY id LIMIT 7)`,
      [T],
    );
    expect(await pendingRefreshes(db, backlog)).toBe(13);

    expect(await topUpRefreshes(db, backlog, 20, NOW)).toBe(7);
    expect(await pendingRefreshes(db, backlog)).toBe(20);
    expect(await topUpRefreshes(db, backlog, 20, NOW)).toBe(0);
  });

  test('the dispatcher claims a new escalation card ahead of the whole backlog', async () => {
    const { db } = handle;
    await topUpRefreshes(db, backlog, 20, NOW);
    const queued = await enqueue(
      db,
      T,
      {
        dedupeKey: 'escalation:e-1:opened',
        kind: 'text',
        payload: { text: 'new escalation' },
        target: {
          conversation: { ...conversations[0]!, conversationId: '19:escalations@thread.tacv2' },
        },
      },
      new Date(NOW.getTime() + 60_000),
    );
    expect(queued.status).toBe('queued');

    const claimed = await new OutboxRepository(T).claim(
      db,
      'instance-a',
      new Date(NOW.getTime() + 120_000),
      new Date(NOW.getTime() + 180_000),
      1,
      [],
    );

    expect(claimed.map((r) => r.dedupeKey)).toEqual(['escalation:e-1:opened']);
  });
});
