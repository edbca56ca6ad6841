/**
 * Failures a person can fix (issue 17, item 5): the exceptions page groups undelivered
 * notifications by stream and cause, with the fix, instead of one exception per outbox row.
 */
import { Writable } from 'node:stream';
import type { DemoUsersDto, ExceptionsPageDto } from '../../src/api/dto';
import type { ConversationRef } from '../../src/app/ports/notifications.port';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import { enqueue } from '../../src/notifications/outbox';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import { SqlExceptionQueries } from '../../src/store/tab-exceptions.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const TENANT = 'exceptions-tenant';
const NOW = new Date('2026-11-23T06:30:00Z');
const channel: ConversationRef = {
  serviceUrl: 'https://smba.example/emea/',
  conversationId: '19:escalations@thread.tacv2',
  channelId: 'msteams',
  tenantId: 'entra-1',
  botId: '28:bot',
  conversationType: 'channel',
  label: 'Escalations',
};

describe.each(testDatabases())('undelivered notifications grouped ($name)', (database) => {
  let handle: TestDatabaseHandle;

  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('a fresh-demo-like outbox (nothing subscribed) reads as one group per stream and cause, with the fix', async () => {
    const { db } = handle;
    // What the first evaluations queue before anyone subscribed a channel: a stage card for each
    // of 24 clients, 5 escalations, 3 updates of those escalation cards and the weekly report.
    await db.transaction(async (tx) => {
      for (let client = 1; client <= 24; client += 1) {
        await enqueue(
          tx,
          TENANT,
          {
            dedupeKey: `renewal-stage:${client}:90`,
            kind: 'renewal-stage',
            payload: {},
            target: { streams: ['renewals'], clientId: client },
          },
          NOW,
        );
      }
      for (let e = 1; e <= 5; e += 1) {
        await enqueue(
          tx,
          TENANT,
          {
            dedupeKey: `escalation:e${e}:opened`,
            kind: 'escalation',
            payload: {},
            target: { streams: ['escalations'], clientId: 100 + (e % 2) },
          },
          NOW,
        );
      }
      for (let e = 1; e <= 3; e += 1) {
        await enqueue(
          tx,
          TENANT,
          {
            dedupeKey: `escalation:e${e}:v2`,
            kind: 'escalation',
            payload: {},
            updateOf: `escalation:e${e}:opened`,
          },
          NOW,
        );
      }
      await enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'weekly-report:2026-11-23',
          kind: 'weekly-report',
          payload: {},
          target: { streams: ['reports'], clientId: null },
        },
        NOW,
      );
    });
    const queries = new SqlExceptionQueries(db);

    const page = await queries.exceptions(TENANT, null, { offset: 0, limit: 50 });

    expect(page.counts.failedDeliveries).toBe(33);
    expect(page.deliveryFailures.map((g) => [g.stream, g.cause, g.count, g.clients])).toEqual([
      ['renewals', 'no-channel', 24, 24],
      ['escalations', 'no-channel', 5, 2],
      ['reports', 'no-channel', 1, 0],
      ['escalations', 'original-not-posted', 3, 0],
    ]);
    expect(page.deliveryFailures[0]).toMatchObject({
      problem: 'no channel subscribed to renewals for 24 clients (24 notifications waiting)',
      fix: expect.stringContaining('/subscribe renewals'),
    });

    // Subscribing a channel to escalations: what is left of that stream is history, not a fault.
    await new ConversationRoutesRepository(TENANT).upsert(
      db,
      { stream: 'escalations', clientId: null, conversation: channel },
      'admin',
      NOW,
    );
    const after = await queries.deliveryFailures(TENANT);
    expect(after.map((g) => [g.stream, g.cause, g.count])).toEqual([
      ['renewals', 'no-channel', 24],
      ['reports', 'no-channel', 1],
      ['escalations', 'original-not-posted', 3],
      ['escalations', 'before-subscription', 5],
    ]);
  });

  test('deliveries Teams refused are grouped by what went wrong', async () => {
    const { db } = handle;
    const failed = async (key: string, error: string) =>
      db.query(
        `INSERT INTO outbox (tenant_id, dedupe_key, kind, stream, client_id, conversation, conversation_key,
                             payload, status, attempts, next_attempt_at, last_error, created_at)
         VALUES ($1, $2, 'gate', 'gates', 7, $3, 'k', '{}', 'failed', 5, $4, $5, $4)`,
        [TENANT, key, JSON.stringify(channel), NOW.toISOString(), error],
      );
    await failed('gate:a', '403: The bot is not part of the conversation roster.');
    await failed('gate:b', '403: The bot is not part of the conversation roster.');
    await failed('gate:c', '503: Service Unavailable');
    await failed('gate:d', 'render: card over 28 KB');

    const groups = (await new SqlExceptionQueries(db).deliveryFailures(TENANT)).filter(
      (g) => g.stream === 'gates',
    );

    expect(groups.map((g) => [g.cause, g.count, g.example])).toEqual([
      ['not-allowed', 2, '403: The bot is not part of the conversation roster.'],
      ['teams-unavailable', 1, '503: Service Unavailable'],
      ['cannot-render', 1, 'render: card over 28 KB'],
    ]);
  });
});

describe('a fresh demo', () => {
  let app: RunningApp;
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

  beforeAll(async () => {
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      demo: { seed: 11, asOf: '2026-11-23' },
    });
  }, 300_000);
  afterAll(async () => {
    await app.close();
  });

  test('shows a few groups with their fix, not one card per undelivered notification', async () => {
    const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
    const admin = users.items.find((u) => u.roles.includes('admin'))!.signInEmail;
    const response = await fetch(`${app.url}/api/v1/exceptions?type=failed-delivery`, {
      headers: { 'X-Demo-User': admin },
    });
    expect(response.status).toBe(200);
    const page = (await response.json()) as ExceptionsPageDto;

    expect(page.counts.failedDeliveries).toBeGreaterThan(0);
    const grouped = page.deliveryFailures.reduce((n, g) => n + g.count, 0);
    expect(grouped).toBe(page.counts.failedDeliveries);
    expect(page.deliveryFailures.length).toBeLessThan(page.counts.failedDeliveries);
    for (const g of page.deliveryFailures.filter((x) => x.cause === 'no-channel')) {
      expect(g.fix).toContain(`/subscribe ${g.stream}`);
    }
  });

  test('re-evaluating with nothing changed posts nothing again (state changes only)', async () => {
    const outbox = () =>
      app.db.query<{ dedupe_key: string; status: string }>(
        'SELECT dedupe_key, status FROM outbox ORDER BY id',
      );
    const before = await outbox();
    expect(before.length).toBeGreaterThan(0);

    await app.evaluation.run();
    await app.renewals.evaluate();
    await app.evaluation.run();

    expect(await outbox()).toEqual(before);
  });
});
