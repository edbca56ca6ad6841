import type { DeliveryMode, PersonalStream } from '../../domain/notifications/personal-notices';
import type { AuditTrail } from '../ports/audit.port';
import type { DigestLine } from './digest.port';

/** A person's notification settings and what waits for them, as stored. */
export interface NotificationChoiceReads {
  choices(aadObjectId: string): Promise<Record<PersonalStream, DeliveryMode>>;
  timeZone(aadObjectId: string): Promise<string | null>;
  /** The one-time say-hi link when the proactive install was refused for them. */
  sayHiLink(aadObjectId: string): Promise<string | null>;
  /** Items held for their next digest. */
  waiting(aadObjectId: string): Promise<DigestLine[]>;
}

/** Writes of a person's settings, bound to one transaction with the audit trail. */
export interface NotificationChoiceTx {
  /** False when the stream already had this mode. */
  setChoice(aadObjectId: string, stream: PersonalStream, mode: DeliveryMode): Promise<boolean>;
  /**
   * Sets (or clears) the person's time zone; a person never seen before is recorded with `person`'s
   * e-mail. False when there is no such record and no e-mail to make one.
   */
  setTimeZone(aadObjectId: string, timeZone: string | null, person: PersonFacts): Promise<boolean>;
  audit: AuditTrail;
}

/** What is known of the person setting their choices (their sign-in). */
export interface PersonFacts {
  email: string | null;
  name: string;
}
