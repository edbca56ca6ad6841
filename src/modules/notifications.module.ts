import type { ActivityRenderer, ConnectorPort } from '../app/ports/notifications.port';
import type { PersonalDeliveryPort } from '../app/ports/personal-delivery.port';
import { AuditLog } from '../audit/audit-log';
import {
  HaloWritebackDispatcher,
  type HaloWriter,
} from '../notifications/halo-writeback-dispatcher';
import { OutboxDispatcher } from '../notifications/outbox-dispatcher';
import type { AppLogger } from '../observability/logger';
import type { Clock } from '../shared/clock';
import type { ChangeSignal } from '../shared/signal';
import type { Db } from '../store/db';

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
  /** Created up front by main: notified after a commit that queued outbox rows. */
  outboxSignal: ChangeSignal;
  /** Created up front by main: notified after a commit that queued HaloPSA writes. */
  writebackSignal: ChangeSignal;
}

/** Delivery of what use cases queued: the outbox to Teams and the write-back to HaloPSA. */
export interface NotificationsModule {
  writeback: HaloWritebackDispatcher;
  /** Builds the outbox dispatcher over the mounted bot's connector and renderer (once). */
  connectBot(bot: {
    connector: ConnectorPort;
    renderer: ActivityRenderer;
    /** Delivery to people; without it personal rows fail (channels only). */
    personal?: PersonalDeliveryPort | null;
  }): OutboxDispatcher;
  /** Starts both dispatchers' loops (after `connectBot`). */
  start(): void;
  /** Stops both loops and releases the outbox lease. */
  stop(): Promise<void>;
}

/** The dispatchers subscribe to the signals main created, so nothing is late-bound. */
export function createNotificationsModule(deps: NotificationsModuleDeps): NotificationsModule {
  const { db, tenantId, clock, logger, outboxSignal, writebackSignal } = deps;
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
    writeback,
    connectBot: (mounted) => {
      if (dispatcher) throw new Error('the outbox dispatcher is already connected');
      const connected = new OutboxDispatcher({
        db,
        tenantId,
        instanceId: deps.instanceId,
        connector: mounted.connector,
        renderer: mounted.renderer,
        personal: mounted.personal ?? undefined,
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
