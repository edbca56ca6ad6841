import { createMetrics } from '../observability/metrics';
import type { Db } from '../store/db';
import { openDatabase } from '../store/open-db';
import {
  METRICS_REUSE_MS,
  readinessCheck,
  readinessProbe,
  type ReadinessInputs,
} from './readiness';

const NOW = new Date('2026-12-03T09:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const limits = {
  maxSyncAgeMinutes: 45,
  haloDownMinutes: 5,
  maxWebhookAgeMinutes: 15,
  maxOutboxFailed: 2,
};

describe('/readyz', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ memory: true });
  });
  afterAll(async () => {
    await db.close();
  });

  const check = (over: Partial<ReadinessInputs> = {}) => {
    const metrics = createMetrics(false);
    const run = readinessCheck({
      db,
      tenantId: 't1',
      clock: { now: () => NOW },
      metrics,
      limits,
      lastSyncAt: async () => minutesAgo(10),
      halo: () => ({ reachable: true, failingSince: null, lastAnswerAt: minutesAgo(1) }),
      webhookBacklog: async () => ({ count: 0, oldestAgeSeconds: null }),
      ...over,
    });
    return { run, metrics };
  };

  test('ready with a recent sync, HaloPSA answering and nothing piling up; the metrics say so', async () => {
    const { run, metrics } = check();
    const result = await run();
    expect(result.ready).toBe(true);
    expect(result.checks.problems).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('ct_sync_age_seconds 600');
    expect(text).toContain('ct_halo_reachable 1');
    expect(text).toContain('ct_webhook_backlog 0');
  });

  test.each<[string, Partial<ReadinessInputs>, RegExp]>([
    ['no sync yet', { lastSyncAt: async () => null }, /no HaloPSA sync has completed/],
    ['a stale sync', { lastSyncAt: async () => minutesAgo(50) }, /sync is 50 minutes old/],
    [
      'HaloPSA down for longer than the limit',
      {
        halo: () => ({
          reachable: false,
          failingSince: minutesAgo(6),
          lastAnswerAt: minutesAgo(16),
        }),
      },
      /HaloPSA has not answered since/,
    ],
    [
      'a webhook backlog older than the limit',
      { webhookBacklog: async () => ({ count: 1800, oldestAgeSeconds: 16 * 60 }) },
      /1800 webhook deliveries waiting, the oldest for 16 minutes/,
    ],
  ])('not ready with %s', async (_name, over, problem) => {
    const result = await check(over).run();
    expect(result.ready).toBe(false);
    expect((result.checks.problems as string[]).join('; ')).toMatch(problem);
  });

  test('a HaloPSA hiccup shorter than the limit does not flap readiness', async () => {
    const result = await check({
      halo: () => ({ reachable: false, failingSince: minutesAgo(1), lastAnswerAt: minutesAgo(2) }),
    }).run();
    expect(result.ready).toBe(true);
  });

  test('notifications failing in numbers make it not ready', async () => {
    for (let i = 0; i < 3; i += 1) {
      await db.query(
        `INSERT INTO outbox (tenant_id, dedupe_key, kind, payload, status, next_attempt_at, created_at)
         VALUES ('t1', $1, 'text', '{}', 'failed', $2, $2)`,
        [`k-${i}`, minutesAgo(30)],
      );
    }
    const result = await check().run();
    expect(result.ready).toBe(false);
    expect(result.checks.outboxFailedLast24h).toBe(3);
  });

  test('a /metrics scrape refreshes the gauges without the full check, reusing a recent one', async () => {
    let now = NOW;
    let backlogReads = 0;
    let backlog: { count: number; oldestAgeSeconds: number | null } = {
      count: 7,
      oldestAgeSeconds: 90,
    };
    const metrics = createMetrics(false);
    const probe = readinessProbe({
      db,
      tenantId: 't1',
      clock: { now: () => now },
      metrics,
      limits,
      lastSyncAt: async () => minutesAgo(10),
      halo: () => ({ reachable: true, failingSince: null, lastAnswerAt: minutesAgo(1) }),
      webhookBacklog: async () => {
        backlogReads += 1;
        return backlog;
      },
    });

    await probe.refreshMetrics();
    expect(backlogReads).toBe(1);
    expect(await metrics.registry.metrics()).toContain('ct_webhook_backlog 7');

    // A probe a moment ago already observed: the scrape reads nothing more.
    backlog = { count: 3, oldestAgeSeconds: 30 };
    await probe.check();
    expect(backlogReads).toBe(2);
    now = new Date(now.getTime() + METRICS_REUSE_MS - 1);
    await probe.refreshMetrics();
    expect(backlogReads).toBe(2);
    expect(await metrics.registry.metrics()).toContain('ct_webhook_backlog 3');

    backlog = { count: 0, oldestAgeSeconds: null };
    now = new Date(now.getTime() + METRICS_REUSE_MS);
    await probe.refreshMetrics();
    expect(backlogReads).toBe(3);
    expect(await metrics.registry.metrics()).toContain('ct_webhook_backlog 0');
  });
});
