import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import type { NotificationIntent } from '../../src/app/ports/notifications.port';
import { enqueue } from '../../src/notifications/outbox';
import { OutboxRepository } from '../../src/store/outbox.repository';
import type { DispatcherHooks } from '../../src/notifications/outbox-dispatcher';
import type { Db } from '../../src/store/db';
import { ConnectorDouble, type ConnectorRequest } from '../support/connector-double';
import { testDispatcher } from '../support/test-dispatcher';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { FakeClock } from './fakes';
import { escalationView } from './view-fixtures';

const TENANT = 'tenant-outbox';

class CrashSimulated extends Error {
  readonly code = 'TEST_CRASH';
}

function channel(serviceUrl: string, id = '19:escalations@thread.tacv2'): ConversationRef {
  return {
    serviceUrl,
    conversationId: id,
    channelId: 'msteams',
    tenantId: 'entra',
    botId: '28:bot',
    conversationType: 'channel',
    label: 'Escalations',
  };
}

function escalationIntent(n: number): NotificationIntent {
  return {
    dedupeKey: `escalation:esc-${n}:opened`,
    kind: 'escalation',
    payload: { escalation: escalationView({ id: `esc-${n}` }) },
    target: { streams: ['escalations'], clientId: 7 },
  };
}

/** Max sends inside any window of `windowMs` (half-open), from the double's clock readings. */
function maxInWindow(requests: readonly ConnectorRequest[], windowMs: number): number {
  const times = requests.map((r) => r.at.getTime()).sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

describe.each(testDatabases())('notification outbox ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let clock: FakeClock;
  let connector: ConnectorDouble;

  const dispatcher = (instanceId: string, hooks?: DispatcherHooks) =>
    testDispatcher({ db, tenantId: TENANT, instanceId, clock, hooks });

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.dispose();
  });

  beforeEach(async () => {
    for (const table of ['outbox', 'conversation_routes', 'outbox_dispatch_lease']) {
      await db.query(`DELETE FROM ${table}`);
    }
    clock = new FakeClock();
    connector = await new ConnectorDouble(clock).start();
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: null, conversation: channel(connector.url) },
      'admin',
      clock.now(),
    );
  });
  afterEach(async () => {
    await connector.stop();
  });

  test('an intent commits with the deciding transaction, or not at all; the dedupe key stores it once', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, TENANT, escalationIntent(1), clock.now());
        throw new Error('the escalation write failed');
      }),
    ).rejects.toThrow('the escalation write failed');
    expect(await new OutboxRepository(TENANT).list(db)).toEqual([]);

    const first = await db.transaction((tx) =>
      enqueue(tx, TENANT, escalationIntent(1), clock.now()),
    );
    const again = await db.transaction((tx) =>
      enqueue(tx, TENANT, escalationIntent(1), clock.now()),
    );
    expect(first.status).toBe('queued');
    expect(again).toEqual({ status: 'duplicate' });
    expect(await new OutboxRepository(TENANT).list(db)).toHaveLength(1);
  });

  test('without a route the intent is kept as unrouted and never sent', async () => {
    const result = await db.transaction((tx) =>
      enqueue(
        tx,
        TENANT,
        { ...escalationIntent(2), target: { streams: ['renewals'], clientId: null } },
        clock.now(),
      ),
    );
    expect(result).toMatchObject({
      status: 'unrouted',
      reason: 'no channel subscribed to renewals',
    });
    await dispatcher('i-1').drain();
    expect(connector.requests).toHaveLength(0);
  });

  test('a crash after claiming ("decided" but not "posted") still posts exactly one card after restart', async () => {
    await db.transaction((tx) => enqueue(tx, TENANT, escalationIntent(3), clock.now()));
    const crashing = dispatcher('instance-before-crash', {
      afterClaim: async () => {
        throw new CrashSimulated('killed after claiming');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('killed after claiming');
    expect(connector.requests).toHaveLength(0);
    expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sending');

    // The restarted process is a new instance: it takes over once the dead one's lease runs out.
    const restarted = dispatcher('instance-after-restart');
    await restarted.drain();
    expect(connector.delivered()).toHaveLength(1);
    expect(connector.delivered()[0]?.body.channelData).toEqual({
      controlTower: { dedupeKey: 'escalation:esc-3:opened' },
    });
    const [row] = await new OutboxRepository(TENANT).list(db);
    expect(row).toMatchObject({ status: 'sent', activityId: 'activity-1' });

    await restarted.drain();
    expect(connector.delivered()).toHaveLength(1);
  });

  test('a crash after the connector accepted but before recording re-posts it once (at-least-once, same dedupe key)', async () => {
    await db.transaction((tx) => enqueue(tx, TENANT, escalationIntent(4), clock.now()));
    const crashing = dispatcher('instance-a', {
      afterSend: async () => {
        throw new CrashSimulated('killed after posting');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('killed after posting');
    await dispatcher('instance-b').drain();
    const keys = connector
      .delivered()
      .map(
        (r) =>
          (r.body.channelData as { controlTower: { dedupeKey: string } }).controlTower.dedupeKey,
      );
    expect(keys).toEqual(['escalation:esc-4:opened', 'escalation:esc-4:opened']);
    expect((await new OutboxRepository(TENANT).list(db))[0]?.status).toBe('sent');
  });

  test('a 429 with Retry-After: 2 delays that delivery by at least 2 s without dropping it', async () => {
    await db.transaction((tx) => enqueue(tx, TENANT, escalationIntent(5), clock.now()));
    connector.inject({ status: 429, retryAfter: '2' });
    await dispatcher('i-1').drain();
    const [throttled, delivered] = connector.requests;
    expect(throttled?.status).toBe(429);
    expect(delivered?.status).toBe(200);
    expect(delivered!.at.getTime() - throttled!.at.getTime()).toBeGreaterThanOrEqual(2_000);
    expect(connector.delivered()).toHaveLength(1);
  });

  test.each([412, 502, 503, 504])('a %i is retried with backoff and delivered', async (status) => {
    await db.transaction((tx) => enqueue(tx, TENANT, escalationIntent(6), clock.now()));
    connector.inject({ status });
    connector.inject({ status });
    await dispatcher('i-1').drain();
    expect(connector.requests.map((r) => r.status)).toEqual([status, status, 200]);
    const [first, second, third] = connector.requests;
    expect(second!.at.getTime() - first!.at.getTime()).toBeGreaterThanOrEqual(500);
    expect(third!.at.getTime() - second!.at.getTime()).toBeGreaterThanOrEqual(1_000);
  });

  test('a 403 is not retried: the row ends failed with the reason', async () => {
    await db.transaction((tx) => enqueue(tx, TENANT, escalationIntent(7), clock.now()));
    connector.inject({ status: 403 });
    await dispatcher('i-1').drain();
    expect(connector.requests).toHaveLength(1);
    const [row] = await new OutboxRepository(TENANT).list(db);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row?.lastError).toContain('403');
  });

  test('new posts go before queued card refreshes, and conversations take turns', async () => {
    const other = channel(connector.url, '19:client-eight@thread.tacv2');
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: 8, conversation: other },
      'admin',
      clock.now(),
    );
    await db.transaction(async (tx) => {
      for (let n = 1; n <= 6; n += 1) await enqueue(tx, TENANT, escalationIntent(n), clock.now());
    });
    await dispatcher('i-1').drain();
    // Six refreshes pile up for the first channel, then new escalations arrive for both channels.
    await db.transaction(async (tx) => {
      for (let n = 1; n <= 6; n += 1) {
        await enqueue(
          tx,
          TENANT,
          {
            dedupeKey: `escalation:esc-${n}:refresh`,
            kind: 'escalation',
            payload: { escalation: escalationView({ id: `esc-${n}`, state: 'acknowledged' }) },
            updateOf: `escalation:esc-${n}:opened`,
          },
          clock.now(),
        );
      }
      for (let n = 7; n <= 9; n += 1) await enqueue(tx, TENANT, escalationIntent(n), clock.now());
      await enqueue(
        tx,
        TENANT,
        { ...escalationIntent(10), target: { streams: ['escalations'], clientId: 8 } },
        clock.now(),
      );
    });
    const claimed = await new OutboxRepository(TENANT).claim(
      db,
      'i-2',
      clock.now(),
      new Date(clock.now().getTime() + 60_000),
      3,
      [],
    );
    const describe = (r: { dedupeKey: string; conversationKey: string | null }) =>
      `${r.dedupeKey}@${r.conversationKey?.includes('client-eight') ? 'B' : 'A'}`;
    // New posts first; the second channel's escalation does not wait behind the first's.
    expect(claimed.map(describe)).toEqual([
      'escalation:esc-7:opened@A',
      'escalation:esc-10:opened@B',
      'escalation:esc-8:opened@A',
    ]);
  });

  /**
   * The priority scene of issue 18: channel A's posted card 1, then ten refreshes queued for A and
   * ten for B (A's first, so older), then a new escalation for C and a person's decision on A's
   * card. Returns the three conversations and their labels.
   */
  async function refreshBacklogWithAlertAndDecision(): Promise<{
    label: (conversationId: string) => string;
  }> {
    const [a, b, c] = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2'].map((id) =>
      channel(connector.url, id),
    );
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: null, conversation: a! },
      'admin',
      clock.now(),
    );
    await db.transaction(async (tx) => {
      await enqueue(tx, TENANT, escalationIntent(1), clock.now());
    });
    await dispatcher('i-1').drain();
    await db.transaction(async (tx) => {
      for (const [conversation, name] of [
        [a!, 'a'],
        [b!, 'b'],
      ] as const) {
        for (let n = 1; n <= 10; n += 1) {
          await enqueue(
            tx,
            TENANT,
            {
              dedupeKey: `refresh:${name}:${n}`,
              kind: 'escalation',
              payload: { escalation: escalationView({ id: `esc-${name}-${n}` }) },
              updateActivity: { conversation, activityId: `${name}-card-${n}` },
            },
            clock.now(),
          );
        }
      }
      await enqueue(
        tx,
        TENANT,
        { ...escalationIntent(2), target: { conversation: c! } },
        clock.now(),
      );
      await enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'escalation:esc-1:acknowledged',
          kind: 'escalation',
          payload: { escalation: escalationView({ id: 'esc-1', state: 'acknowledged' }) },
          updateOf: 'escalation:esc-1:opened',
          decision: true,
        },
        clock.now(),
      );
    });
    return {
      label: (id) => (id === a!.conversationId ? 'A' : id === b!.conversationId ? 'B' : 'C'),
    };
  }

  test('a new alert and a decision are claimed ahead of older refreshes; refreshes of A and B take turns', async () => {
    const { label } = await refreshBacklogWithAlertAndDecision();

    const claimed = await new OutboxRepository(TENANT).claim(
      db,
      'i-2',
      clock.now(),
      new Date(clock.now().getTime() + 60_000),
      6,
      [],
    );

    expect(claimed.map((r) => `${r.dedupeKey}@${label(r.conversation!.conversationId)}`)).toEqual([
      'escalation:esc-2:opened@C',
      'escalation:esc-1:acknowledged@A',
      'refresh:a:1@A',
      'refresh:b:1@B',
      'refresh:a:2@A',
      'refresh:b:2@B',
    ]);
  });

  test('dispatched, the alert and the decision go first, B is not starved by A, and Teams limits hold per conversation', async () => {
    const { label } = await refreshBacklogWithAlertAndDecision();
    const before = connector.delivered().length;

    await dispatcher('i-1').drain();

    const sent = connector.delivered().slice(before);
    const order = sent.map(
      (r) => `${r.operation}@${label(r.conversationId)}:${r.activityId ?? 'new'}`,
    );
    expect(sent).toHaveLength(22);
    expect(order.slice(0, 2)).toEqual(['send@C:new', 'update@A:activity-1']);
    // Of the first ten refreshes, each channel got its share while the other still had some.
    const firstTen = order.slice(2, 12).map((o) => o.split(':')[0]);
    expect(firstTen.filter((o) => o === 'update@A').length).toBeGreaterThanOrEqual(4);
    expect(firstTen.filter((o) => o === 'update@B').length).toBeGreaterThanOrEqual(4);
    for (const id of ['19:a@thread.tacv2', '19:b@thread.tacv2']) {
      const inConversation = connector.delivered().filter((r) => r.conversationId === id);
      expect(maxInWindow(inConversation, 1_000)).toBeLessThanOrEqual(7);
      expect(maxInWindow(inConversation, 2_000)).toBeLessThanOrEqual(8);
    }
    // Within a conversation, refreshes keep their order.
    const aRefreshes = sent
      .filter((r) => label(r.conversationId) === 'A' && r.activityId !== 'activity-1')
      .map((r) => r.activityId);
    expect(aRefreshes).toEqual(Array.from({ length: 10 }, (_, i) => `a-card-${i + 1}`));
  });

  test('an update waits for its original, then replaces it in place; an older update is superseded', async () => {
    await db.transaction(async (tx) => {
      await enqueue(tx, TENANT, escalationIntent(8), clock.now());
      await enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'escalation:esc-8:v2',
          kind: 'escalation',
          payload: { escalation: escalationView({ id: 'esc-8', state: 'acknowledged' }) },
          updateOf: 'escalation:esc-8:opened',
        },
        clock.now(),
      );
      await enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'escalation:esc-8:v3',
          kind: 'escalation',
          payload: { escalation: escalationView({ id: 'esc-8', state: 'assigned' }) },
          updateOf: 'escalation:esc-8:opened',
        },
        clock.now(),
      );
    });
    await dispatcher('i-1').drain();
    expect(connector.delivered().map((r) => r.operation)).toEqual(['send', 'update']);
    const update = connector.delivered()[1];
    expect(update?.activityId).toBe('activity-1');
    expect(JSON.stringify(update?.body)).toContain('assigned');
    const statuses = (await new OutboxRepository(TENANT).list(db)).map((r) => r.status);
    expect(statuses).toEqual(['sent', 'superseded', 'sent']);
  });

  test('500 escalations to one channel are all delivered, never more than 7 per second (nor 8/2 s, 60/30 s)', async () => {
    await db.transaction(async (tx) => {
      for (let n = 0; n < 500; n += 1)
        await enqueue(tx, TENANT, escalationIntent(1_000 + n), clock.now());
    });
    const started = clock.now().getTime();
    await dispatcher('i-1').drain();
    const delivered = connector.delivered();
    expect(delivered).toHaveLength(500);
    expect(new Set(delivered.map((r) => JSON.stringify(r.body.channelData))).size).toBe(500);
    expect(maxInWindow(delivered, 1_000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(delivered, 2_000)).toBeLessThanOrEqual(8);
    expect(maxInWindow(delivered, 30_000)).toBeLessThanOrEqual(60);
    // Paced, not stalled: 60 per 30 s is the binding limit (≈ 250 s for 500).
    expect(clock.now().getTime() - started).toBeLessThan(300_000);
  }, 120_000);
});
