import type { BotAuthOptions } from '../bot/bot-auth';
import { ConfigError, loadConfigFromProcess, type AppConfig } from './config';
import { personaGrants } from './demo/demo-personas';
import { JobScheduler } from './jobs/job-scheduler';
import { createDeliveryModule } from './modules/delivery.module';
import { createExportsModule, exportRenderers } from './modules/exports.module';
import { createGatesModule } from './modules/gates.module';
import { createHaloModule } from './modules/halo.module';
import { createNotificationsModule } from './modules/notifications.module';
import { createKpisModule } from './modules/kpis.module';
import { personalDeliveryFor } from './modules/personal-delivery';
import { createPersonalNotificationsModule } from './modules/personal-notifications.module';
import { configuredGrants, openPlatform, readyBanner, serve } from './modules/platform';
import { readinessProbe } from './modules/readiness';
import { createReportingModule } from './modules/reporting.module';
import { createRenewalsModule } from './modules/renewals.module';
import type { createLogger } from './observability/logger';
import type { Clock, Sleep } from './shared/clock';
import type { DatabaseTarget } from './store/open-db';
import { DataDirInUseError } from './store/pglite-db';
/** Knobs for tests and the benchmark; production passes none. */
export interface StartOptions {
  database?: DatabaseTarget;
  /** A HaloPSA to use instead of starting the demo simulator (demo mode only). */
  haloUrl?: string;
  clock?: Clock;
  /** How HaloPSA requests wait for the budget and retries (a virtual wait on a test clock). */
  haloSleep?: Sleep;
  /** Skip the first sync (tests that drive syncs themselves). */
  skipInitialSync?: boolean;
  /** Start the cron timers (off in tests: they call jobs directly). */
  schedule?: boolean;
  logDestination?: Parameters<typeof createLogger>[2];
  /** Seed and "today" of the demo dataset. */
  demo?: { seed: number; asOf: string };
  /** Tests and benchmarks: bot endpoint settings and outbound credentials (see bot/bot-auth.ts). */
  botAuth?: Pick<BotAuthOptions, 'endpoints' | 'credentialsFactory'>;
  /** Rows per Power BI feed page (tests page through small pages). */
  feedPageSize?: number;
}

/** The composition root: opens the platform and composes the feature modules, each built once. */
export async function startApp(config: AppConfig, options: StartOptions = {}) {
  const platform = await openPlatform(config, options);
  const { db, clock, logger, instanceId, identity, links, outboxSignal, writebackSignal } =
    platform;
  const { tenantId } = config;
  const { botLogger } = platform;
  const { metrics } = platform;
  const { haloUrl, demo, haloSleep: sleep } = options;
  const halo = await createHaloModule({
    ...{ config, db, clock, logger, metrics, instanceId, haloUrl, demo, sleep },
  });
  const shared = { db, tenantId, clock, roles: identity, links, outboxChanged: outboxSignal };
  const renderers = exportRenderers();
  const gates = createGatesModule({
    ...shared,
    ...{ config, logger: botLogger, writebackQueued: writebackSignal },
    packDocuments: { renderer: renderers.document, tenantName: config.tenantName },
  });
  const renewals = createRenewalsModule({
    ...shared,
    ...{ logger: botLogger, evaluateCron: config.schedules.renewalEvaluate },
  });
  const delivery = createDeliveryModule({
    ...shared,
    ...{ mode: config.mode, logger, sso: config.tabAuth, outbox: outboxSignal },
    ...{ schedules: config.schedules },
    ...{ milestoneGates: gates.milestoneGates, liveCards: { renewals: renewals.routeLiveCards } },
  });
  const notifications = createNotificationsModule({
    ...{ db, tenantId, instanceId, clock, logger, haloWriter: halo.writer },
    ...{ outboxSignal, writebackSignal },
  });
  const exports = createExportsModule({
    ...{ db, tenantId, tenantName: config.tenantName, clock, renderers },
    ...{ reports: delivery.queries, renewals: renewals.useCases },
    evidencePack: gates.useCases.evidencePack,
    gateSlaHours: config.gates.escalateAfterHours,
  });
  const reporting = createReportingModule({
    ...{ db, tenantId, clock, auth: delivery.auth, logger },
    entraTenantId: config.tabAuth.allowedTenantIds[0] ?? null,
    ...(options.feedPageSize ? { pageSize: options.feedPageSize } : {}),
  });
  const kpis = createKpisModule({
    ...{ db, tenantId, clock, captureCron: config.schedules.kpiSnapshots },
    renewalKpis: (asOf) => renewals.useCases.insights.kpis(asOf),
  });
  const personal = createPersonalNotificationsModule({
    db,
    tenantId,
    clock,
    tenantTimeZone: config.tenantTimeZone,
    outboxChanged: outboxSignal,
  });
  const features = [delivery, gates, renewals, exports, reporting, kpis, personal];
  const probe = readinessProbe({
    ...{ db, tenantId, clock, metrics, limits: config.readiness },
    lastSyncAt: () => halo.sync.lastCompletedAt(),
    halo: () => halo.reachability(),
    webhookBacklog: () => halo.webhooks.backlog(),
  });
  const { server, bot, port } = await serve(config, platform, {
    delivery,
    features,
    routes: [halo.webhookRoute],
    mounts: [reporting.mountFeed],
    readiness: probe.check,
    refreshMetrics: probe.refreshMetrics,
    botAuth: options.botAuth,
    personalChats: personal.personalChats,
  });
  const dispatcher = notifications.connectBot({
    ...bot,
    personal: personalDeliveryFor(config, {
      db,
      connector: bot.connector,
      links: platform.links,
      logger: logger.child({ component: 'personal-delivery' }),
    }),
  });

  const scheduler = new JobScheduler({ db, tenantId, instanceId, clock, logger });
  const jobs = [...halo.jobs, ...features.flatMap((f) => f.jobs)];
  if (options.schedule ?? true) scheduler.start(jobs);
  if (!options.skipInitialSync) {
    await halo.runSync((await halo.sync.lastCompletedAt()) !== null ? 'incremental' : 'full');
    await delivery.evaluateAll();
    await renewals.evaluate();
    if (config.mode === 'demo') await kpis.backfillDemo(8);
    await kpis.capture();
  }
  await identity.grant(configuredGrants(config));
  if (config.mode === 'demo')
    await identity.grant(personaGrants(await delivery.demoCast.personas()));
  notifications.start();
  // Deliveries stored before a restart are processed now; new ones as they arrive.
  halo.webhooks.start({
    onTicketChanged: (id, kind) => delivery.evaluateAfterChange(id, kind),
    onSynced: async () => void (await delivery.evaluateChanged()),
  });

  // What clicks left for after their answers (refusals' audit and log entries, the evidence pack
  // archive), written once this resolves.
  const idle = async () => {
    await Promise.all([gates.useCases.decide.idle(), delivery.idle(), renewals.idle()]);
  };

  return {
    config,
    url: `http://localhost:${port}`,
    db,
    /** Resolves when the work clicks left for after their answers so far is written (tests). */
    idle,
    sync: halo.sync,
    client: halo.client,
    /** The scheduled jobs, as the scheduler runs them (tests run one directly). */
    jobs,
    metrics,
    logger,
    evaluation: delivery.evaluation,
    /** The daily renewal evaluation (readiness snapshots, stages, uplift), as its job runs it. */
    renewals: { evaluate: () => renewals.evaluate() },
    /** The daily KPI snapshots, as their job runs them. */
    kpis: { capture: kpis.capture },
    dispatcher,
    simulator: halo.simulator,
    webhooks: halo.webhooks,
    gates: gates.useCases,
    writeback: notifications.writeback,
    close: async () => {
      scheduler.stop();
      await notifications.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Written before the database closes.
      await idle();
      await renderers.close();
      await halo.close();
      await db.close();
    },
  };
}

/** A running Control Tower instance (the composition root's product), closable in tests. */
export type RunningApp = Awaited<ReturnType<typeof startApp>>;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const started = Date.now();
  const app = await startApp(config);
  process.stdout.write(readyBanner(config, app, (Date.now() - started) / 1000));
  const shutdown = () =>
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Runs the server as this process: `tsx src/main.ts`, or `node dist/main.js` (which calls this). */
export function runServer(): void {
  main().catch((error: unknown) => {
    const known = error instanceof DataDirInUseError;
    process.stderr.write(
      `Control Tower failed to start: ${known ? error.message : error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}

if (require.main === module) runServer();
