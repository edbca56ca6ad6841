import { isTimeZone } from '../../domain/notifications/digest-schedule';
import {
  PERSONAL_STREAMS,
  type DeliveryMode,
  type PersonalStream,
} from '../../domain/notifications/personal-notices';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import type { DigestLine } from './digest.port';
import type { NotificationChoiceReads, NotificationChoiceTx } from './my-notifications.port';

/** The "My notifications" page: a person's own choices and what waits for their digest. */
export interface MyNotificationsView {
  streams: Array<{ stream: PersonalStream; mode: DeliveryMode }>;
  /** Their own time zone; null → the tenant's. */
  timeZone: string | null;
  tenantTimeZone: string;
  /** Set when Teams refused to install Control Tower for them: open it once to get messages. */
  sayHiLink: string | null;
  waiting: DigestLine[];
}

/** A change a person asks for. */
export type MyNotificationsChange =
  | { kind: 'stream'; stream: PersonalStream; mode: DeliveryMode }
  | { kind: 'time-zone'; timeZone: string | null };

/** What a change came to. */
export type MyNotificationsResult =
  | { ok: true; view: MyNotificationsView }
  | { ok: false; reason: 'not-signed-in' | 'invalid-input'; message: string };

/**
 * Each person chooses, per personal stream, each item at once or the 08:00 digest, and the time zone
 * of their digest. Only their own settings: the person is the signed-in actor, never a parameter.
 * Every change is audited.
 */
export class MyNotifications {
  constructor(
    private readonly deps: {
      reads: NotificationChoiceReads;
      uow: Transactional<NotificationChoiceTx>;
      tenantTimeZone: string;
    },
  ) {}

  async read(actor: Actor): Promise<MyNotificationsView | null> {
    if (actor.aadObjectId === null) return null;
    const { reads } = this.deps;
    const aad = actor.aadObjectId;
    const choices = await reads.choices(aad);
    return {
      streams: PERSONAL_STREAMS.map((stream) => ({ stream, mode: choices[stream] })),
      timeZone: await reads.timeZone(aad),
      tenantTimeZone: this.deps.tenantTimeZone,
      sayHiLink: await reads.sayHiLink(aad),
      waiting: await reads.waiting(aad),
    };
  }

  async change(actor: Actor, change: MyNotificationsChange): Promise<MyNotificationsResult> {
    const aad = actor.aadObjectId;
    if (aad === null) {
      return { ok: false, reason: 'not-signed-in', message: 'Sign in from Teams to choose.' };
    }
    if (change.kind === 'time-zone' && change.timeZone !== null && !isTimeZone(change.timeZone)) {
      return {
        ok: false,
        reason: 'invalid-input',
        message: `${change.timeZone} is not a time zone name (e.g. Europe/London)`,
      };
    }
    const by = { aadObjectId: aad, email: actor.email, name: actor.name };
    const stored = await this.deps.uow.transaction(async (tx) => {
      if (change.kind === 'stream') {
        if (!(await tx.setChoice(aad, change.stream, change.mode))) return true;
        await tx.audit.append({
          subjectType: 'person',
          subjectId: aad,
          action: 'notifications.stream.chosen',
          actor: by,
          detail: { stream: change.stream, mode: change.mode },
        });
      } else {
        const person = { email: actor.email, name: actor.name };
        if (!(await tx.setTimeZone(aad, change.timeZone, person))) return false;
        await tx.audit.append({
          subjectType: 'person',
          subjectId: aad,
          action: 'notifications.time-zone.set',
          actor: by,
          detail: { timeZone: change.timeZone },
        });
      }
      return true;
    });
    if (!stored) {
      return { ok: false, reason: 'not-signed-in', message: 'Sign in from Teams first.' };
    }
    return { ok: true, view: (await this.read(actor))! };
  }
}
