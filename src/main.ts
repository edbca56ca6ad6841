import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import { ConfigError, loadConfigFromProcess, type AppConfig } from './config';
import { HaloClient } from './halo/halo-client';
import { HALO_SCOPES } from './halo/halo-scopes';
import { HaloSync, type HaloReader } from './halo/halo-sync';
import { haloWebhookHandler } from './halo/halo-webhook';
import type { HaloSimulator } from './halo/simulator/server';
import { mountBot } from '../bot/mount-bot';
import { TabLinks } from '../bot/tab-links';
import type { BotAuthOptions } from '../bot/bot-auth';
import { EvaluateRenewals } from './app/renewals/evaluate-renewals';
import { ConcessionService } from './app/renewals/concession-service';
import { RenewalInsights } from './app/renewals/renewal-insights';
import { RenewalQueries } from './app/renewals/renewal-queries';
import { RenewalWorkflow } from './app/renewals/renewal-workflow';
import { renewalRoutes, type RenewalServices } from './api/renewal-routes';
import { DEFAULT_RENEWAL_POLICY } from './domain/renewals/renewal-policy';
import { SqlRenewalHistoryReader } from './store/renewal-history.repository';
import { OutboxDispatcher } from './notifications/outbox-dispatcher';
import { SqlRoleDirectory } from './store/role-directory.repository';
import type { EvaluateDelivery } from './app/delivery/evaluate-delivery';
import { personaGrants } from './demo/demo-personas';
import { createDeliveryModule } from './modules/delivery.module';
import { ChangeSignal } from './shared/signal';
import { createHttpServer, listen } from './server/http-server';
import { JobScheduler } from './jobs/job-scheduler';
import { createLogger, type AppLogger } from './observability/logger';
import { createMetrics, type AppMetrics } from './observability/metrics';
import { mountStaticTab } from './server/static-tab';
import type { Db } from './store/db';
import { openDatabase, type DatabaseTarget } from './store/open-db';
import type { ApiRoute } from './api/api-types';
import { mountApi } from './api/mount-api';
import { gateRoutes } from './api/gate-routes';
import { AuditLog } from './audit/audit-log';
import { GateService } from './app/gates/gate-service';
import { DEFAULT_GATE_POLICY } from './domain/gates/gate-policy';
import { createEvidenceStore } from './evidence/create-evidence-store';
import { HaloWritebackDispatcher, haloWriterOf } from './notifications/halo-writeback-dispatcher';
import { SqlGateRecords } from './store/gate-records';

/** A running Control Tower instance (the composition root's product), closable in tests. */
export interface RunningApp {
  config: AppConfig;
  url: string;
  db: Db;
  sync: HaloSync;
  evaluation: EvaluateDelivery;
  dispatcher: OutboxDispatcher;
  client: HaloClient;
  metrics: AppMetrics;
  logger: AppLogger;
  simulator: HaloSimulator | null;
  /** Stage gates and the HaloPSA write-back of their decisions. */
  gates: GateService;
  writeback: HaloWritebackDispatcher;
  close(): Promise<void>;
}

/** Knobs for tests and the benchmark; production passes none. */
export interface StartOptions {
  database?: DatabaseTarget;
  /** A HaloPSA to use instead of starting the demo simulator (demo mode only). */
  haloUrl?: string;
  now?: () => Date;
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

/** Wires every adapter from the configuration and starts the server. The only file that knows them all. */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const now = options.now ?? (() => new Date());
  const instanceId = randomUUID();
  const logger = createLogger(
    config.logLevel,
    { app: 'control-tower', tenantId: config.tenantId, instanceId },
    options.logDestination,
  );
  const metrics = createMetrics();
  if (config.mode === 'demo')
    logger.warn({}, 'demo mode: embedded HaloPSA simulator, bot auth off');

  let simulator: HaloSimulator | null = null;
  let haloUrl: string;
  const givenUrl = config.halo.baseUrl ?? options.haloUrl ?? null;
  if (givenUrl !== null) {
    haloUrl = givenUrl;
  } else {
    // Demo only: production never loads the simulator.
    const { generateDataset } = await import('./halo/simulator/generator');
    const { startSimulator } = await import('./halo/simulator/server');
    const demo = options.demo ?? { seed: 42, asOf: now().toISOString().slice(0, 10) };
    simulator = await startSimulator({
      dataset: generateDataset({ profile: 'demo', seed: demo.seed, asOf: demo.asOf }),
      port: config.halo.simulatorPort,
      clientId: config.halo.clientId,
      clientSecret: config.halo.clientSecret,
    });
    haloUrl = simulator.url;
  }

  const db = await openDatabase(
    options.database ??
      (config.database.url ? { url: config.database.url } : { dataDir: config.database.dataDir }),
  );

  const client = new HaloClient({
    baseUrl: haloUrl,
    clientId: config.halo.clientId,
    clientSecret: config.halo.clientSecret,
    tenant: config.halo.tenant,
    scopes: [...HALO_SCOPES],
    // The simulator honours large pages (as HaloAPI asks real HaloPSA for 1000).
    pageSize: simulator ? 1000 : config.halo.pageSize,
    budget: config.halo.budget,
    logger: logger.child({ component: 'halo-client' }),
    onRequest: (event) => {
      metrics.haloRequests.inc({ status: String(event.status) });
    },
  });
  const reader: HaloReader = client;
  const sync = new HaloSync({
    db,
    reader,
    tenantId: config.tenantId,
    now,
    logger: logger.child({ component: 'halo-sync' }),
  });
  const clock = { now };
  // Notified by use cases after they queued outbox rows; the dispatcher subscribes once it exists.
  const outboxSignal = new ChangeSignal();
  let dispatcher: OutboxDispatcher | null = null;
  const delivery = createDeliveryModule({
    db,
    tenantId: config.tenantId,
    mode: config.mode,
    clock,
    logger,
    roles: new SqlRoleDirectory(db, config.tenantId),
    sso: config.tabAuth,
    outbox: outboxSignal,
    schedules: config.schedules,
    lastSyncAt: () => sync.lastCompletedAt(),
    milestoneGates: async (tenantId, projectId) =>
      tenantId === config.tenantId ? gates.milestoneGates(projectId) : new Map(),
  });
  const evaluation = delivery.evaluation;

  const runSync = async (mode: 'full' | 'incremental') => {
    const end = metrics.syncDuration.startTimer({ mode });
    try {
      const report = await sync.run(mode);
      end({ outcome: 'ok' });
      metrics.lastSyncSuccess.set(now().getTime() / 1000);
      return report;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    } finally {
      metrics.haloBudgetRemaining.set(client.stats().budgetRemaining);
      metrics.dataQualityExceptions.set(await delivery.openDataQualityIssues());
    }
  };

  const renewalEvaluation = new EvaluateRenewals({
    db,
    history: new SqlRenewalHistoryReader(db),
    tenantId: config.tenantId,
    now,
    policy: DEFAULT_RENEWAL_POLICY,
  });
  const evaluateRenewals = async () => {
    await renewalEvaluation.run();
    dispatcher?.poke();
  };

  const server: Server = createHttpServer({
    logger,
    metrics,
    readiness: () => delivery.readiness(),
    routes: [
      {
        method: 'post',
        path: '/api/halo/webhook',
        handler: haloWebhookHandler({
          db,
          tenantId: config.tenantId,
          credentials: config.webhook,
          sync,
          now,
          logger: logger.child({ component: 'halo-webhook' }),
          onTicketChanged: (ticketId, kind) => delivery.evaluateAfterChange(ticketId, kind),
        }),
      },
    ],
  });
  mountStaticTab(server);
  // Stage gates: evidence store from the factory, decisions written back to HaloPSA from a queue.
  let writeback: HaloWritebackDispatcher | null = null;
  const gateRecords = new SqlGateRecords(config.tenantId);
  const gates = new GateService({
    db,
    tenantId: config.tenantId,
    records: gateRecords,
    audit: new AuditLog(config.tenantId, clock),
    evidence: createEvidenceStore(config, { clock }),
    policy: {
      ...DEFAULT_GATE_POLICY,
      twoApproversFromBudget: config.gates.twoApproversFromBudget,
      reminderAfterHours: config.gates.reminderAfterHours,
      escalateAfterHours: config.gates.escalateAfterHours,
    },
    clock,
    onOutboxChanged: () => dispatcher?.poke(),
    onWritebackQueued: () => writeback?.poke(),
  });
  const renewalInsights = new RenewalInsights(db, config.tenantId, DEFAULT_RENEWAL_POLICY);
  const renewalServices: RenewalServices = {
    queries: new RenewalQueries(db, config.tenantId, renewalInsights),
    insights: renewalInsights,
    concessions: new ConcessionService({
      db,
      tenantId: config.tenantId,
      now,
      policy: DEFAULT_RENEWAL_POLICY,
      audit: new AuditLog(config.tenantId, clock),
      onOutboxChanged: () => dispatcher?.poke(),
    }),
    workflow: new RenewalWorkflow({
      db,
      tenantId: config.tenantId,
      now,
      audit: new AuditLog(config.tenantId, clock),
      onOutboxChanged: () => dispatcher?.poke(),
    }),
  };
  // The tab API: route modules append their `ApiRoute[]` here (gates, renewals, ...).
  const apiRoutes: ApiRoute[] = [
    ...delivery.routes,
    ...renewalRoutes({
      renewals: (tenantId) => (tenantId === config.tenantId ? renewalServices : null),
      today: () => now().toISOString().slice(0, 10),
    }),
    ...gateRoutes({
      gates: (tenantId) => (tenantId === config.tenantId ? gates : null),
      agentOf: async (tenantId, email) =>
        email === null ? null : new SqlGateRecords(tenantId).agentByEmail(db, email),
    }),
  ];
  mountApi(server, {
    routes: apiRoutes,
    auth: delivery.auth,
    logger: logger.child({ component: 'tab-api' }),
    ...(delivery.demoUsers ? { demoUsers: delivery.demoUsers } : {}),
  });
  const bot = mountBot(server, {
    tenantId: config.tenantId,
    db,
    queries: delivery.queries,
    escalations: delivery.escalations,
    links: new TabLinks({
      teamsAppId: config.bot.appId ?? 'control-tower-demo',
      entityId: 'portfolio',
      webBaseUrl: `http://localhost:${config.port}`,
    }),
    logger: logger.child({ component: 'bot' }),
    clock,
    onOutboxChanged: () => dispatcher?.poke(),
    gates,
    auth: { mode: config.mode, ...config.bot, ...options.botAuth },
  });
  dispatcher = new OutboxDispatcher({
    db,
    tenantId: config.tenantId,
    instanceId,
    connector: bot.connector,
    renderer: bot.renderer,
    logger: logger.child({ component: 'outbox' }),
    clock,
  });
  const outboxDispatcher = dispatcher;
  outboxSignal.subscribe(() => outboxDispatcher.poke());
  writeback = new HaloWritebackDispatcher({
    db,
    tenantId: config.tenantId,
    instanceId,
    writer: haloWriterOf(client),
    audit: new AuditLog(config.tenantId, clock),
    logger: logger.child({ component: 'halo-writeback' }),
    clock,
  });
  const host = config.mode === 'demo' ? '127.0.0.1' : '0.0.0.0';
  const port = await listen(server, config.port, host);
  const url = `http://localhost:${port}`;

  const scheduler = new JobScheduler({ db, tenantId: config.tenantId, instanceId, now, logger });
  if (options.schedule ?? true) {
    scheduler.start([
      {
        name: 'halo-sync',
        cron: config.schedules.sync,
        run: async () => void (await runSync('incremental')),
      },
      {
        name: 'halo-detail-refresh',
        cron: config.schedules.detailRefresh,
        run: async () => void (await sync.refreshDetails()),
      },
      {
        name: 'renewal-evaluate',
        cron: config.schedules.renewalEvaluate,
        run: evaluateRenewals,
      },
      {
        name: 'gate-sla',
        cron: config.gates.slaCron,
        run: async () => void (await gates.runSla()),
      },
      ...delivery.jobs,
    ]);
  }

  if (!options.skipInitialSync) {
    const hasSynced = (await sync.lastCompletedAt()) !== null;
    await runSync(hasSynced ? 'incremental' : 'full');
    await delivery.evaluateAll();
    await evaluateRenewals();
  }
  const roles = new SqlRoleDirectory(db, config.tenantId);
  await roles.grant(
    config.roleAssignments.flatMap((a) =>
      a.roles.map((role) => ({ aadObjectId: a.aadObjectId, email: a.email, role })),
    ),
  );
  if (config.mode === 'demo') await roles.grant(personaGrants(await delivery.demoCast.personas()));
  dispatcher.start();
  writeback.start();

  return {
    config,
    url,
    db,
    sync,
    evaluation,
    dispatcher,
    client,
    metrics,
    logger,
    simulator,
    gates,
    writeback,
    close: async () => {
      scheduler.stop();
      await dispatcher?.stop();
      await writeback?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await simulator?.close();
      await db.close();
    },
  };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
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
  if (app.simulator) {
    lines.push(`  HaloPSA simulator: ${app.simulator.url} (client id "demo", secret "demo")`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
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
