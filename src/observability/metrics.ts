import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics the app exports at /metrics, on a registry of its own. */
export interface AppMetrics {
  registry: Registry;
  syncDuration: Histogram<'mode' | 'outcome'>;
  haloRequests: Counter<'status'>;
  haloBudgetRemaining: Gauge;
  dataQualityExceptions: Gauge;
  lastSyncSuccess: Gauge;
  /** Readiness inputs (set on every /readyz and /metrics): */
  syncAgeSeconds: Gauge;
  haloReachable: Gauge;
  webhookBacklog: Gauge;
  webhookBacklogAgeSeconds: Gauge;
  outboxFailed: Gauge;
}

/** Builds a fresh registry (one per app instance, so tests can run several side by side). */
export function createMetrics(collectDefaults = true): AppMetrics {
  const registry = new Registry();
  if (collectDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    syncDuration: new Histogram({
      name: 'ct_sync_duration_seconds',
      help: 'HaloPSA sync duration in seconds',
      labelNames: ['mode', 'outcome'],
      buckets: [0.5, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    haloRequests: new Counter({
      name: 'ct_halo_requests_total',
      help: 'HaloPSA API requests by HTTP status',
      labelNames: ['status'],
      registers: [registry],
    }),
    haloBudgetRemaining: new Gauge({
      name: 'ct_halo_budget_remaining',
      help: 'Requests left in the client-side HaloPSA rate budget window',
      registers: [registry],
    }),
    dataQualityExceptions: new Gauge({
      name: 'ct_data_quality_exceptions',
      help: 'Open data-quality exceptions from HaloPSA records',
      registers: [registry],
    }),
    lastSyncSuccess: new Gauge({
      name: 'ct_last_sync_success_timestamp_seconds',
      help: 'Unix time of the last successful HaloPSA sync',
      registers: [registry],
    }),
    syncAgeSeconds: new Gauge({
      name: 'ct_sync_age_seconds',
      help: 'Seconds since the last completed HaloPSA sync',
      registers: [registry],
    }),
    haloReachable: new Gauge({
      name: 'ct_halo_reachable',
      help: '1 when the last HaloPSA exchange got an answer, 0 while it has been failing',
      registers: [registry],
    }),
    webhookBacklog: new Gauge({
      name: 'ct_webhook_backlog',
      help: 'HaloPSA webhook deliveries stored and not yet processed',
      registers: [registry],
    }),
    webhookBacklogAgeSeconds: new Gauge({
      name: 'ct_webhook_backlog_age_seconds',
      help: 'Age of the oldest unprocessed HaloPSA webhook delivery',
      registers: [registry],
    }),
    outboxFailed: new Gauge({
      name: 'ct_outbox_failed',
      help: 'Notifications that failed for good in the last 24 hours',
      registers: [registry],
    }),
  };
}
