import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics the app exports at /metrics, on a registry of its own. */
export interface AppMetrics {
  registry: Registry;
  syncDuration: Histogram<'mode' | 'outcome'>;
  haloRequests: Counter<'status'>;
  haloBudgetRemaining: Gauge;
  dataQualityExceptions: Gauge;
  lastSyncSuccess: Gauge;
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
  };
}
