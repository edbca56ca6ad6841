/**
 * Personal notifications' composition (issue 17): the daily digest job and the "My notifications"
 * routes, over the store's people side of notifications.
 */
import { notificationRoutes } from '../api/notification-routes';
import { MyNotifications } from '../app/notifications/my-notifications';
import { RememberPersonalChat } from '../app/notifications/remember-personal-chat';
import { SendDailyDigests } from '../app/notifications/send-daily-digests';
import { AuditLog } from '../audit/audit-log';
import { outboxOn } from '../notifications/outbox';
import type { Clock } from '../shared/clock';
import type { Signal } from '../shared/signal';
import type { Db } from '../store/db';
import { PersonalNotificationsRepository } from '../store/personal-notifications.repository';
import { transactional } from '../store/transactional';
import type { FeatureModule } from './feature-module';

export interface PersonalNotificationsModuleDeps {
  db: Db;
  tenantId: string;
  clock: Clock;
  /** The MSP's IANA time zone: digests go at 08:00 there unless a person chose their own. */
  tenantTimeZone: string;
  outboxChanged: Signal;
  /** How often the digest job looks for people whose 08:00 has come (UTC cron). */
  digestCron?: string;
}

/** The module, and its digest job's use case for tests and the demo. */
export interface PersonalNotificationsModule extends FeatureModule {
  digests: SendDailyDigests;
  myNotifications: MyNotifications;
  /** The bot tells it of people met in a personal chat. */
  personalChats: RememberPersonalChat;
}

export function createPersonalNotificationsModule(
  deps: PersonalNotificationsModuleDeps,
): PersonalNotificationsModule {
  const { db, tenantId, clock } = deps;
  const people = new PersonalNotificationsRepository(tenantId);
  const audit = new AuditLog(tenantId, clock);
  const digests = new SendDailyDigests({
    reads: {
      peopleWithWaitingItems: () => people.peopleWithWaitingItems(db),
      timeZoneOf: (aad) => people.timeZone(db, aad),
    },
    uow: transactional(db, (tx) => ({
      digestTaken: (aad, key) => people.digestTaken(tx, aad, key),
      takeForDigest: (aad, key) => people.takeForDigest(tx, aad, key),
      outbox: outboxOn(tx, tenantId, clock),
    })),
    clock,
    tenantTimeZone: deps.tenantTimeZone,
    outboxChanged: deps.outboxChanged,
  });
  const myNotifications = new MyNotifications({
    reads: {
      choices: (aad) => people.preferences(db, aad),
      timeZone: (aad) => people.timeZone(db, aad),
      sayHiLink: (aad) => people.sayHiLink(db, aad),
      waiting: (aad) => people.waitingItems(db, aad),
    },
    uow: transactional(db, (tx) => ({
      setChoice: (aad, stream, mode) => people.setPreference(tx, aad, stream, mode, clock.now()),
      setTimeZone: (aad, timeZone, person) => people.setTimeZone(tx, aad, timeZone, person),
      audit: audit.on(tx),
    })),
    tenantTimeZone: deps.tenantTimeZone,
  });
  const personalChats = new RememberPersonalChat({
    store: {
      keepConversation: (aad, conversation) =>
        people.keepConversation(db, aad, conversation, clock.now()),
    },
    outboxChanged: deps.outboxChanged,
  });
  return {
    digests,
    myNotifications,
    personalChats,
    routes: notificationRoutes({ myNotifications }),
    bot: { commands: [], cardActions: {}, renderers: {} },
    jobs: [
      {
        name: 'daily-digests',
        cron: deps.digestCron ?? '*/10 * * * *',
        run: async () => void (await digests.run()),
      },
    ],
  };
}
