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
import { EscalationActionsService } from './app/delivery/escalation-actions';
import { EvaluateDelivery } from './app/delivery/evaluate-delivery';
import { EvaluateRenewals } from './app/renewals/evaluate-renewals';
import { ConcessionService } from './app/renewals/concession-service';
import { RenewalInsights } from './app/renewals/renewal-insights';
import { RenewalQueries } from './app/renewals/renewal-queries';
import { RenewalWorkflow } from './app/renewals/renewal-workflow';
import { renewalRoutes, type RenewalServices } from './api/renewal-routes';
import { DEFAULT_RENEWAL_POLICY } from './domain/renewals/renewal-policy';
import { SqlRenewalHistoryReader } from './store/renewal-history.repository';
import { escalationNotifier } from './notifications/escalation-notifier';
import type { OutboxDispatcher } from './notifications/outbox-dispatcher';
import { createNotificationsModule } from './modules/notifications.module';
import { legacyGateFeature, legacyRenewalFeature } from '../bot/legacy-feature-adapters';
import { routeLiveRenewalCards } from './notifications/renewal-routing';
import { demoPersonas, personaGrants } from './demo/demo-personas';
import { JobScheduler } from './jobs/job-scheduler';
import { createLogger, type AppLogger } from './observability/logger';
import { createMetrics, type AppMetrics } from './observability/metrics';
import { createHttpServer, listen, type Readiness } from './server/http-server';
import { mountStaticTab } from './server/static-tab';
import type { Db } from './store/db';
import { SqlDeliveryHistoryReader } from './store/delivery-history.repository';
import { SqlDeliveryStore } from './store/delivery.repository';
import { SqlDeliveryQueries } from './store/delivery-queries';
import { SqlEscalationRecords } from './store/escalation-records';
import { HaloMirrorRepository } from './store/halo-mirror.repository';
import { openDatabase, type DatabaseTarget } from './store/open-db';
import type { ApiRoute } from './api/api-types';
import { deliveryKpis } from './api/delivery-kpis';
import { deliveryRoutes } from './api/delivery-routes';
import { mountApi } from './api/mount-api';
import { settingsRoutes } from './api/settings-routes';
import { TabAuthenticator } from './api/tab-auth';
import { SqlTabQueries } from './store/tab-queries';
import { SqlTabSettings } from './store/tab-settings.repository';
import { gateRoutes } from './api/gate-routes';
import { AuditLog } from './audit/audit-log';
import { GateService } from './app/gates/gate-service';
import { DEFAULT_GATE_POLICY } from './domain/gates/gate-policy';
import { createEvidenceStore } from './evidence/create-evidence-store';
import {
  haloWriterOf,
  type HaloWritebackDispatcher,
} from './notifications/halo-writeback-dispatcher';
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
  const mirror = new HaloMirrorRepository(config.tenantId);

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
      metrics.dataQualityExceptions.set((await mirror.openIssues(db)).length);
    }
  };

  const clock = { now };
  const escalationRecords = new SqlEscalationRecords(db);
  const notifier = escalationNotifier({
    tenantId: config.tenantId,
    records: escalationRecords,
    clock,
    logger: logger.child({ component: 'notifications' }),
  });
  const queries = new SqlDeliveryQueries(db, now);
  const links = new TabLinks({
    teamsAppId: config.bot.appId ?? 'control-tower-demo',
    entityId: 'portfolio',
    webBaseUrl: `http://localhost:${config.port}`,
  });
  const notifications = createNotificationsModule({
    db,
    tenantId: config.tenantId,
    instanceId,
    clock,
    logger,
    haloWriter: haloWriterOf(client),
    queries,
    escalations: new EscalationActionsService(escalationRecords, now),
    liveCards: {
      renewals: {
        routeLiveCards: (clientId, conversation, at) =>
          routeLiveRenewalCards(db, config.tenantId, clientId, conversation, at),
      },
    },
    links,
    weeklyReportCron: config.schedules.weeklyReport,
  });
  const { outboxSignal, writebackSignal } = notifications;
  const evaluation = new EvaluateDelivery({
    history: new SqlDeliveryHistoryReader(db),
    store: new SqlDeliveryStore(db, config.tenantId, now, notifier),
    tenantId: config.tenantId,
    now,
    owners: { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
  });
  const evaluateAfterChange = async (ticketId: number, kind: 'project' | 'task' | 'ticket') => {
    if (kind === 'ticket') return;
    const rows =
      kind === 'project'
        ? [{ project_id: ticketId }]
        : await db.query<{ project_id: number }>(
            'SELECT project_id FROM halo_tasks WHERE tenant_id = $1 AND id = $2',
            [config.tenantId, ticketId],
          );
    const projectId = rows[0]?.project_id;
    if (projectId) await evaluation.run({ projectIds: [Number(projectId)] });
    outboxSignal.notify();
  };
  const evaluateAll = async () => {
    await evaluation.run();
    outboxSignal.notify();
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
    outboxSignal.notify();
  };

  const readiness = async (): Promise<Readiness> => {
    await db.query('SELECT 1');
    const lastSync = await sync.lastCompletedAt();
    return {
      ready: lastSync !== null,
      checks: {
        database: 'ok',
        lastSyncAt: lastSync,
        lastSyncAgeSeconds: lastSync
          ? Math.round((now().getTime() - Date.parse(lastSync)) / 1000)
          : null,
      },
    };
  };

  const server: Server = createHttpServer({
    logger,
    metrics,
    readiness,
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
          onTicketChanged: evaluateAfterChange,
        }),
      },
    ],
  });
  mountStaticTab(server);
  // Stage gates: evidence store from the factory, decisions written back to HaloPSA from a queue.
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
    onOutboxChanged: () => outboxSignal.notify(),
    onWritebackQueued: () => writebackSignal.notify(),
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
      onOutboxChanged: () => outboxSignal.notify(),
    }),
    workflow: new RenewalWorkflow({
      db,
      tenantId: config.tenantId,
      now,
      audit: new AuditLog(config.tenantId, clock),
      onOutboxChanged: () => outboxSignal.notify(),
    }),
  };
  // The tab API: route modules append their `ApiRoute[]` here (gates, renewals, ...).
  const apiRoutes: ApiRoute[] = [
    ...deliveryRoutes({
      mode: config.mode,
      tab: new SqlTabQueries(db),
      queries,
      kpis: deliveryKpis({ history: new SqlDeliveryHistoryReader(db), now }),
      milestoneGates: async (tenantId, projectId) =>
        tenantId === config.tenantId ? gates.milestoneGates(projectId) : new Map(),
    }),
    ...settingsRoutes({
      settings: new SqlTabSettings(db, now),
      policyStore: (tenantId) => new SqlDeliveryStore(db, tenantId, now),
    }),
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
  const tabAuth = new TabAuthenticator({
    mode: config.mode,
    tenantId: config.tenantId,
    db,
    roles: notifications.identity,
    sso: config.tabAuth,
    clock,
  });
  mountApi(server, {
    routes: apiRoutes,
    auth: tabAuth,
    logger: logger.child({ component: 'tab-api' }),
    ...(config.mode === 'demo' ? { demoUsers: () => tabAuth.demoUsers() } : {}),
  });
  const botLogger = logger.child({ component: 'bot' });
  const bot = mountBot(server, {
    features: [
      notifications.bot,
      legacyGateFeature({ tenantId: config.tenantId, db, gates, links, logger: botLogger }),
      legacyRenewalFeature({
        tenantId: config.tenantId,
        db,
        links,
        logger: botLogger,
        clock,
        onOutboxChanged: () => outboxSignal.notify(),
      }),
    ],
    identity: notifications.identity,
    links,
    logger: botLogger,
    clock,
    auth: { mode: config.mode, ...config.bot, ...options.botAuth },
  });
  const dispatcher = notifications.connectBot(bot);
  const writeback = notifications.writeback;
  const host = config.mode === 'demo' ? '127.0.0.1' : '0.0.0.0';
  const port = await listen(server, config.port, host);
  const url = `http://localhost:${port}`;

  const scheduler = new JobScheduler({ db, tenantId: config.tenantId, instanceId, clock, logger });
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
        name: 'delivery-evaluate',
        cron: config.schedules.evaluate,
        run: evaluateAll,
      },
      {
        name: 'renewal-evaluate',
        cron: config.schedules.renewalEvaluate,
        run: evaluateRenewals,
      },
      ...notifications.jobs,
      {
        name: 'gate-sla',
        cron: config.gates.slaCron,
        run: async () => void (await gates.runSla()),
      },
    ]);
  }

  if (!options.skipInitialSync) {
    const hasSynced = (await sync.lastCompletedAt()) !== null;
    await runSync(hasSynced ? 'incremental' : 'full');
    await evaluateAll();
    await evaluateRenewals();
  }
  const roles = notifications.identity;
  await roles.grant(
    config.roleAssignments.flatMap((a) =>
      a.roles.map((role) => ({ aadObjectId: a.aadObjectId, email: a.email, role })),
    ),
  );
  if (config.mode === 'demo')
    await roles.grant(personaGrants(await demoPersonas(db, config.tenantId)));
  notifications.start();

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
      await notifications.stop();
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
