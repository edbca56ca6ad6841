/**
 * What `/readyz` answers (issue 16): ready only while the database answers, a sync has completed
 * recently, HaloPSA answers, the webhook backlog is being worked off and notifications are not
 * failing in numbers. Each limit is configuration; every input is also exported as a metric.
 */
import type { AppConfig } from '../config';
import type { AppMetrics } from '../observability/metrics';
import type { Readiness } from '../server/http-server';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { OutboxRepository } from '../store/outbox.repository';

/** What readiness reads. */
export interface ReadinessInputs {
  db: Db;
  tenantId: string;
  clock: Clock;
  metrics: AppMetrics;
  limits: AppConfig['readiness'];
  lastSyncAt: () => Promise<string | null>;
  halo: () => { reachable: boolean; failingSince: string | null; lastAnswerAt: string | null };
  webhookBacklog: () => Promise<{ count: number; oldestAgeSeconds: number | null }>;
}

/** A scrape within this long of the last observation reuses it (probes and scrapes overlap). */
export const METRICS_REUSE_MS = 15_000;

/** Builds the readiness check; each call also refreshes the readiness metrics. */
export function readinessCheck(inputs: ReadinessInputs): () => Promise<Readiness> {
  return readinessProbe(inputs).check;
}

/**
 * The readiness check for `/readyz`, and the cheaper refresh `/metrics` runs per scrape: the same
 * observations without the database round trip or the verdict, skipped when a check or a scrape
 * observed within {@link METRICS_REUSE_MS}.
 */
export function readinessProbe(inputs: ReadinessInputs): {
  check: () => Promise<Readiness>;
  refreshMetrics: () => Promise<void>;
} {
  const outbox = new OutboxRepository(inputs.tenantId);
  let observedAt = -Infinity;

  const observe = async (now: Date) => {
    const lastSync = await inputs.lastSyncAt();
    const syncAge = lastSync ? Math.round((now.getTime() - Date.parse(lastSync)) / 1000) : null;
    const halo = inputs.halo();
    const backlog = await inputs.webhookBacklog();
    const failed = await outbox.countFailedSince(
      inputs.db,
      new Date(now.getTime() - 24 * 3_600_000),
    );
    const { metrics } = inputs;
    if (syncAge !== null) metrics.syncAgeSeconds.set(syncAge);
    metrics.haloReachable.set(halo.reachable ? 1 : 0);
    metrics.webhookBacklog.set(backlog.count);
    metrics.webhookBacklogAgeSeconds.set(backlog.oldestAgeSeconds ?? 0);
    metrics.outboxFailed.set(failed);
    observedAt = now.getTime();
    return { lastSync, syncAge, halo, backlog, failed };
  };

  const check = async (): Promise<Readiness> => {
    const now = inputs.clock.now();
    await inputs.db.query('SELECT 1');
    const { lastSync, syncAge, halo, backlog, failed } = await observe(now);
    const problems: string[] = [];
    if (syncAge === null) problems.push('no HaloPSA sync has completed yet');
    else if (syncAge > inputs.limits.maxSyncAgeMinutes * 60)
      problems.push(`the last HaloPSA sync is ${Math.round(syncAge / 60)} minutes old`);
    const downFor = halo.failingSince ? now.getTime() - Date.parse(halo.failingSince) : 0;
    if (!halo.reachable && downFor > inputs.limits.haloDownMinutes * 60_000)
      problems.push(`HaloPSA has not answered since ${halo.failingSince}`);
    if ((backlog.oldestAgeSeconds ?? 0) > inputs.limits.maxWebhookAgeMinutes * 60)
      problems.push(
        `${backlog.count} webhook deliveries waiting, the oldest for ${Math.round(backlog.oldestAgeSeconds! / 60)} minutes`,
      );
    if (failed > inputs.limits.maxOutboxFailed)
      problems.push(`${failed} notifications failed in the last 24 hours`);
    return {
      ready: problems.length === 0,
      checks: {
        database: 'ok',
        lastSyncAt: lastSync,
        lastSyncAgeSeconds: syncAge,
        halo: {
          reachable: halo.reachable,
          failingSince: halo.failingSince,
          lastAnswerAt: halo.lastAnswerAt,
        },
        webhookBacklog: backlog,
        outboxFailedLast24h: failed,
        problems,
      },
    };
  };

  const refreshMetrics = async (): Promise<void> => {
    const now = inputs.clock.now();
    if (now.getTime() - observedAt < METRICS_REUSE_MS) return;
    await observe(now);
  };

  return { check, refreshMetrics };
}
