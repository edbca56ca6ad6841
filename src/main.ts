import { randomUUID } from 'node:crypto';
import { mountBot } from '../bot/mount-bot';
import { TabLinks } from '../bot/tab-links';
import type { BotAuthOptions } from '../bot/bot-auth';
import { mountApi } from './api/mount-api';
import { ConfigError, loadConfigFromProcess, type AppConfig } from './config';
import { personaGrants } from './demo/demo-personas';
import { JobScheduler } from './jobs/job-scheduler';
import { createDeliveryModule } from './modules/delivery.module';
import { createGatesModule } from './modules/gates.module';
import { createHaloModule } from './modules/halo.module';
import { createNotificationsModule } from './modules/notifications.module';
import { createRenewalsModule } from './modules/renewals.module';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { createHttpServer, listen } from './server/http-server';
import { mountStaticTab } from './server/static-tab';
import { systemClock, type Clock } from './shared/clock';
import { ChangeSignal } from './shared/signal';
import { openDatabase, type DatabaseTarget } from './store/open-db';
import { SqlRoleDirectory } from './store/role-directory.repository';

/** Knobs for tests and the benchmark; production passes none. */
export interface StartOptions {
  database?: DatabaseTarget;
  /** A HaloPSA to use instead of starting the demo simulator (demo mode only). */
  haloUrl?: string;
  clock?: Clock;
  /** Skip the first sync (tests that drive syncs themselves). */
  skipInitialSync?: boolean;
  /** Start the cron timers (off in tests: they call jobs directly). */
  schedule?: boolean;
  logDestination?: Parameters<typeof createLogger>[2];
  /** Seed and "today" of the demo dataset. */
  demo?: { seed: number; asOf: string };
  /** Tests and benchmarks: bot endpoint settings and outbound credentials (see bot/bot-auth.ts). */
  botAuth?: Pick<BotAuthOptions, 'endpoints' | 'credentialsFactory'>;
}

/** The composition root: opens the database and composes the feature modules, each built once. */
export async function startApp(config: AppConfig, options: StartOptions = {}) {
  const clock = options.clock ?? systemClock;
  const { tenantId } = config;
  const instanceId = randomUUID();
  const logger = createLogger(
    config.logLevel,
    { app: 'control-tower', tenantId, instanceId },
    options.logDestination,
  );
  const metrics = createMetrics();
  if (config.mode === 'demo')
    logger.warn({}, 'demo mode: embedded HaloPSA simulator, bot auth off');
  const db = await openDatabase(
    options.database ??
      (config.database.url ? { url: config.database.url } : { dataDir: config.database.dataDir }),
  );
  // Everything that queues work notifies these; the dispatchers subscribe. Nothing is late-bound.
  const outboxSignal = new ChangeSignal();
  const writebackSignal = new ChangeSignal();
  const identity = new SqlRoleDirectory(db, tenantId);
  const links = new TabLinks({
    teamsAppId: config.bot.appId ?? 'control-tower-demo',
    entityId: 'portfolio',
    webBaseUrl: `http://localhost:${config.port}`,
  });
  const botLogger = logger.child({ component: 'bot' });

  const halo = await createHaloModule({
    ...{ config, db, clock, logger, metrics, haloUrl: options.haloUrl, demo: options.demo },
  });
  const gates = createGatesModule({
    ...{ config, db, clock, roles: identity, links, logger: botLogger },
    ...{ outboxChanged: outboxSignal, writebackQueued: writebackSignal },
  });
  const renewals = createRenewalsModule({
    ...{ db, tenantId, clock, outboxChanged: outboxSignal, roles: identity, links },
    ...{ logger: botLogger, evaluateCron: config.schedules.renewalEvaluate },
  });
  const delivery = createDeliveryModule({
    ...{ db, tenantId, mode: config.mode, clock, logger, roles: identity, sso: config.tabAuth },
    ...{ outbox: outboxSignal, schedules: config.schedules, links },
    lastSyncAt: () => halo.sync.lastCompletedAt(),
    milestoneGates: gates.milestoneGates,
    liveCards: { renewals: renewals.routeLiveCards },
  });
  const notifications = createNotificationsModule({
    ...{ db, tenantId, instanceId, clock, logger, haloWriter: halo.writer },
    ...{ outboxSignal, writebackSignal },
  });
  const features = [delivery, gates, renewals];

  const server = createHttpServer({
    logger,
    metrics,
    readiness: () => delivery.readiness(),
    routes: [halo.webhookRoute((id, kind) => delivery.evaluateAfterChange(id, kind))],
  });
  mountStaticTab(server);
  mountApi(server, {
    routes: features.flatMap((feature) => feature.routes),
    auth: delivery.auth,
    logger: logger.child({ component: 'tab-api' }),
    ...(delivery.demoUsers ? { demoUsers: delivery.demoUsers } : {}),
  });
  const bot = mountBot(server, {
    ...{
      features: features.map((feature) => feature.bot),
      identity,
      links,
      logger: botLogger,
      clock,
    },
    auth: { mode: config.mode, ...config.bot, ...options.botAuth },
  });
  const dispatcher = notifications.connectBot(bot);
  const port = await listen(server, config.port, config.mode === 'demo' ? '127.0.0.1' : '0.0.0.0');

  const scheduler = new JobScheduler({ db, tenantId, instanceId, clock, logger });
  if (options.schedule ?? true) {
    scheduler.start([...halo.jobs, ...features.flatMap((feature) => feature.jobs)]);
  }
  if (!options.skipInitialSync) {
    await halo.runSync((await halo.sync.lastCompletedAt()) !== null ? 'incremental' : 'full');
    await delivery.evaluateAll();
    await renewals.evaluate();
  }
  await identity.grant(
    config.roleAssignments.flatMap((a) =>
      a.roles.map((role) => ({ aadObjectId: a.aadObjectId, email: a.email, role })),
    ),
  );
  if (config.mode === 'demo')
    await identity.grant(personaGrants(await delivery.demoCast.personas()));
  notifications.start();

  return {
    ...{
      config,
      url: `http://localhost:${port}`,
      db,
      sync: halo.sync,
      client: halo.client,
      metrics,
      logger,
    },
    ...{
      evaluation: delivery.evaluation,
      dispatcher,
      simulator: halo.simulator,
      gates: gates.useCases,
    },
    writeback: notifications.writeback,
    close: async () => {
      scheduler.stop();
      await notifications.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
  const lines = [
    `Control Tower is ready (${config.mode} mode, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  Tab:            ${app.url}/`,
    `  Bot endpoint:   ${app.url}/api/messages`,
    `  Health:         ${app.url}/healthz   ${app.url}/readyz   ${app.url}/metrics`,
    `  HaloPSA webhook ${app.url}/api/halo/webhook`,
  ];
  if (app.simulator)
    lines.push(`  HaloPSA simulator: ${app.simulator.url} (client id "demo", secret "demo")`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () =>
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `Control Tower failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
