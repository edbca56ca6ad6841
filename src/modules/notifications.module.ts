import type { BotFeature } from '../../bot/bot-feature';
import { createDeliveryBotFeature } from '../../bot/delivery-handlers';
import type { TabLinks } from '../../bot/tab-links';
import type { DeliveryQueries, EscalationActions } from '../app/delivery-views';
import type { RoleDirectory } from '../app/identity/identity.port';
import { ActOnEscalation } from '../app/notifications/act-on-escalation';
import type { LiveCardRouter } from '../app/notifications/live-card-router.port';
import { PostWeeklyReport } from '../app/notifications/post-weekly-report';
import { SubscribeChannel } from '../app/notifications/subscribe-channel';
import type {
  ActivityRenderer,
  ConnectorPort,
  NotificationStream,
} from '../app/ports/notifications.port';
import { AuditLog } from '../audit/audit-log';
import type { FeatureModule } from './feature-module';
import {
  HaloWritebackDispatcher,
  type HaloWriter,
} from '../notifications/halo-writeback-dispatcher';
import { outboxOn } from '../notifications/outbox';
import { OutboxDispatcher } from '../notifications/outbox-dispatcher';
import type { AppLogger } from '../observability/logger';
import type { Clock } from '../shared/clock';
import { ChangeSignal } from '../shared/signal';
import { botActionLogOn } from '../store/action-log.repository';
import { channelRoutesOn } from '../store/conversation-routes.repository';
import type { Db } from '../store/db';
import { SqlRoleDirectory } from '../store/role-directory.repository';
import { transactional } from '../store/transactional';

/** What the notifications module is built from. */
export interface NotificationsModuleDeps {
  db: Db;
  tenantId: string;
  /** Unique per process: outbox claims, the dispatcher lease and write-back claims carry it. */
  instanceId: string;
  clock: Clock;
  logger: AppLogger;
  /** HaloPSA writes of the write-back queue (`haloWriterOf(client)`). */
  haloWriter: HaloWriter;
  /** The delivery read side: `/health`, `/report`, client look-ups of `/subscribe`, the weekly report. */
  queries: DeliveryQueries;
  escalations: EscalationActions;
  /** Per stream, what posts live unrouted cards to a newly subscribed channel (renewals). */
  liveCards: Partial<Record<NotificationStream, LiveCardRouter>>;
  links: TabLinks;
  /** Cron of the weekly report (UTC). */
  weeklyReportCron: string;
}

/** The notifications feature, built once: signals, identity, delivery bot feature, dispatchers. */
export interface NotificationsModule extends FeatureModule {
  /** Notified after a commit that queued outbox rows; wakes the outbox dispatcher. */
  outboxSignal: ChangeSignal;
  /** Notified after a commit that queued HaloPSA writes; wakes the write-back dispatcher. */
  writebackSignal: ChangeSignal;
  /** The one identity resolver of the bot and the tab API. */
  identity: RoleDirectory;
  /** `/health`, `/report`, `/subscribe`, escalation cards and the delivery posts. */
  bot: BotFeature;
  postWeeklyReport: PostWeeklyReport;
  writeback: HaloWritebackDispatcher;
  /** Builds the outbox dispatcher over the mounted bot's connector and renderer (once). */
  connectBot(bot: { connector: ConnectorPort; renderer: ActivityRenderer }): OutboxDispatcher;
  /** Starts both dispatchers' loops (after `connectBot`). */
  start(): void;
  /** Stops both loops and releases the outbox lease. */
  stop(): Promise<void>;
}

/** Creates the signals first, so every use case that queues work is given them, nothing late-bound. */
export function createNotificationsModule(deps: NotificationsModuleDeps): NotificationsModule {
  const { db, tenantId, clock, logger } = deps;
  const outboxSignal = new ChangeSignal();
  const writebackSignal = new ChangeSignal();
  const identity = new SqlRoleDirectory(db, tenantId);
  const outbox = transactional(db, (tx) => ({ outbox: outboxOn(tx, tenantId, clock) }));
  const actions = botActionLogOn(db, tenantId);

  const postWeeklyReport = new PostWeeklyReport({
    tenantId,
    reports: deps.queries,
    outbox,
    outboxSignal,
  });
  const bot = createDeliveryBotFeature({
    tenantId,
    queries: deps.queries,
    identity,
    subscribe: new SubscribeChannel({
      tenantId,
      clients: deps.queries,
      routes: channelRoutesOn(db, tenantId),
      actions,
      liveCards: deps.liveCards,
      outboxSignal,
      clock,
    }),
    actOnEscalation: new ActOnEscalation({
      tenantId,
      escalations: deps.escalations,
      actions,
      outbox,
      outboxSignal,
      clock,
    }),
    links: deps.links,
    logger: logger.child({ component: 'bot' }),
  });

  const writeback = new HaloWritebackDispatcher({
    db,
    tenantId,
    instanceId: deps.instanceId,
    writer: deps.haloWriter,
    audit: new AuditLog(tenantId, clock),
    logger: logger.child({ component: 'halo-writeback' }),
    clock,
  });
  writebackSignal.subscribe(() => writeback.poke());
  let dispatcher: OutboxDispatcher | null = null;

  return {
    outboxSignal,
    writebackSignal,
    identity,
    routes: [],
    bot,
    jobs: [
      {
        name: 'weekly-report',
        cron: deps.weeklyReportCron,
        run: async () => void (await postWeeklyReport.run()),
      },
    ],
    postWeeklyReport,
    writeback,
    connectBot: (mounted) => {
      if (dispatcher) throw new Error('the outbox dispatcher is already connected');
      const connected = new OutboxDispatcher({
        db,
        tenantId,
        instanceId: deps.instanceId,
        connector: mounted.connector,
        renderer: mounted.renderer,
        logger: logger.child({ component: 'outbox' }),
        clock,
      });
      outboxSignal.subscribe(() => connected.poke());
      dispatcher = connected;
      return connected;
    },
    start: () => {
      dispatcher?.start();
      writeback.start();
    },
    stop: async () => {
      await dispatcher?.stop();
      await writeback.stop();
    },
  };
}
