import type { AppConfig } from '../config';
import { HaloClient } from '../halo/halo-client';
import { HALO_SCOPES } from '../halo/halo-scopes';
import { HaloSync, type SyncMode } from '../halo/halo-sync';
import { haloWebhookHandler } from '../halo/halo-webhook';
import { RequestBudget } from '../halo/request-budget';
import { WebhookWorker } from '../halo/webhook-worker';
import { PollingLoop } from '../jobs/polling-loop';
import { realSleep, type Sleep } from '../shared/clock';
import { ChangeSignal } from '../shared/signal';
import type { HaloSimulator } from '../halo/simulator/server';
import type { JobDefinition } from '../jobs/job-scheduler';
import { haloWriterOf, type HaloWriter } from '../notifications/halo-writeback-dispatcher';
import type { AppLogger } from '../observability/logger';
import type { AppMetrics } from '../observability/metrics';
import type { Route } from '../server/http-server';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { HaloMirrorRepository } from '../store/halo-mirror.repository';
import { HaloRequestLogRepository } from '../store/halo-request-log.repository';

/** What the HaloPSA module is built from. */
export interface HaloModuleDeps {
  config: AppConfig;
  db: Db;
  clock: Clock;
  logger: AppLogger;
  metrics: AppMetrics;
  /** This process (webhook claims carry it). */
  instanceId: string;
  /** A HaloPSA to use instead of starting the demo simulator (demo mode only). */
  haloUrl?: string | undefined;
  /** Seed and "today" of the demo dataset. */
  demo?: { seed: number; asOf: string } | undefined;
  /** How HaloPSA waits (budget, retries); tests and the bench pass one that moves their clock. */
  sleep?: Sleep | undefined;
}

/** What processed webhook deliveries tell the rest of the app. */
export interface WebhookHooks {
  onTicketChanged: (ticketId: number, kind: 'project' | 'task' | 'ticket') => Promise<void>;
  /**
   * After an incremental sync wrote what changed in HaloPSA (the scheduled one, or one catching up
   * a burst of webhooks): what it changed is evaluated.
   */
  onSynced: () => Promise<void>;
}

/** HaloPSA as the rest of the app sees it: the client, the mirror sync, the webhook and its jobs. */
export interface HaloModule {
  client: HaloClient;
  sync: HaloSync;
  /** The demo's simulator; null in production or when `haloUrl` was given. */
  simulator: HaloSimulator | null;
  writer: HaloWriter;
  /** One sync, with its duration, budget and data-quality metrics. */
  runSync(mode: SyncMode): Promise<unknown>;
  /** `POST /api/halo/webhook`: stores deliveries and answers 202; the worker processes them. */
  webhookRoute: Route;
  /** The webhook worker: re-evaluates through `hooks` once started; resumes what was stored. */
  webhooks: {
    start(hooks: WebhookHooks): void;
    drain(): Promise<number>;
    backlog(): Promise<{ count: number; oldestAgeSeconds: number | null }>;
  };
  jobs: readonly JobDefinition[];
  /** Whether HaloPSA answered its last request, and since when it has been failing. */
  reachability(): { reachable: boolean; failingSince: string | null; lastAnswerAt: string | null };
  close(): Promise<void>;
}

/** Starts the demo simulator when no HaloPSA is configured (never in production), then the client. */
export async function createHaloModule(deps: HaloModuleDeps): Promise<HaloModule> {
  const { config, clock, logger, metrics } = deps;
  let simulator: HaloSimulator | null = null;
  let baseUrl = config.halo.baseUrl ?? deps.haloUrl ?? null;
  if (baseUrl === null) {
    const { generateDataset } = await import('../halo/simulator/generator');
    const { startSimulator } = await import('../halo/simulator/server');
    const demo = deps.demo ?? { seed: 42, asOf: clock.now().toISOString().slice(0, 10) };
    simulator = await startSimulator({
      dataset: generateDataset({ profile: 'demo', seed: demo.seed, asOf: demo.asOf }),
      port: config.halo.simulatorPort,
      clientId: config.halo.clientId,
      clientSecret: config.halo.clientSecret,
    });
    baseUrl = simulator.url;
  }
  // Whether HaloPSA answers (readiness): the last answer, and since when it has been failing.
  let contact: { lastAnswerAt: string | null; failingSince: string | null } = {
    lastAnswerAt: null,
    failingSince: null,
  };
  // One budget for the sync, the write-back and the webhook worker (which may spend only a share),
  // kept in the database: HaloPSA still counts what a previous process or another instance spent.
  const sleep = deps.sleep ?? realSleep;
  const budget = new RequestBudget({
    ...config.halo.budget,
    log: new HaloRequestLogRepository(deps.db, config.tenantId),
    clock,
    sleep,
  });
  await budget.load();
  const client = new HaloClient({
    baseUrl,
    clientId: config.halo.clientId,
    clientSecret: config.halo.clientSecret,
    tenant: config.halo.tenant,
    scopes: [...HALO_SCOPES],
    // The simulator honours large pages (as HaloAPI asks real HaloPSA for 1000).
    pageSize: simulator ? 1000 : config.halo.pageSize,
    budget,
    clock,
    sleep,
    logger: logger.child({ component: 'halo-client' }),
    onRequest: (event) => {
      metrics.haloRequests.inc({ status: String(event.status) });
      const answered = event.status > 0 && event.status < 500;
      const at = clock.now().toISOString();
      if (answered) contact = { lastAnswerAt: at, failingSince: null };
      else contact.failingSince ??= at;
    },
  });
  const sync = new HaloSync({
    db: deps.db,
    reader: client,
    tenantId: config.tenantId,
    clock,
    logger: logger.child({ component: 'halo-sync' }),
  });
  const mirror = new HaloMirrorRepository(config.tenantId);
  const runSync = async (mode: SyncMode) => {
    const end = metrics.syncDuration.startTimer({ mode });
    try {
      const report = await sync.run(mode);
      end({ outcome: 'ok' });
      metrics.lastSyncSuccess.set(clock.now().getTime() / 1000);
      return report;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    } finally {
      metrics.haloBudgetRemaining.set(client.stats().budgetRemaining);
      metrics.dataQualityExceptions.set((await mirror.openIssues(deps.db)).length);
    }
  };
  const stored = new ChangeSignal();
  let hooks: WebhookHooks | null = null;
  const webhookLogger = logger.child({ component: 'halo-webhook' });
  const worker = new WebhookWorker({
    db: deps.db,
    tenantId: config.tenantId,
    instanceId: deps.instanceId,
    sync,
    catchUp: () => runSync('incremental'),
    budget: {
      remaining: () => budget.remaining(),
      total: budget.requests,
      windowMs: budget.windowMs,
      waitMs: () => budget.waitMs(),
    },
    clock,
    logger: webhookLogger,
    onTicketChanged: (id, kind) => hooks?.onTicketChanged(id, kind) ?? Promise.resolve(),
    onCaughtUp: () => hooks?.onSynced() ?? Promise.resolve(),
  });
  // The loop's cycles and a caller's drain take turns, so a drain waits for work already claimed.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  };
  const loop = new PollingLoop({
    cycle: () => inTurn(() => worker.cycle()),
    pollMs: 30_000,
    onError: (error) => webhookLogger.warn({ err: error }, 'webhook worker cycle failed'),
    clock,
  });
  const unsubscribe = stored.subscribe(() => loop.poke());
  return {
    client,
    sync,
    simulator,
    writer: haloWriterOf(client),
    runSync,
    webhookRoute: {
      method: 'post',
      path: '/api/halo/webhook',
      handler: haloWebhookHandler({
        db: deps.db,
        tenantId: config.tenantId,
        credentials: config.webhook,
        clock,
        logger: webhookLogger,
        stored,
      }),
    },
    webhooks: {
      start: (given) => {
        hooks = given;
        loop.start();
      },
      drain: () => inTurn(() => worker.drain()),
      backlog: () => worker.backlog(),
    },
    jobs: [
      {
        name: 'halo-sync',
        cron: config.schedules.sync,
        run: async () => {
          await runSync('incremental');
          await hooks?.onSynced();
        },
      },
      {
        name: 'halo-detail-refresh',
        cron: config.schedules.detailRefresh,
        run: async () => void (await sync.refreshDetails()),
      },
    ],
    reachability: () => ({ reachable: contact.failingSince === null, ...contact }),
    close: async () => {
      unsubscribe();
      await loop.stop();
      await simulator?.close();
    },
  };
}
