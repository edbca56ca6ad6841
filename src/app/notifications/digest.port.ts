import type { PersonalStream, TabPage } from '../../domain/notifications/personal-notices';
import type { Outbox } from '../ports/notifications.port';

/** One line of a person's digest. */
export interface DigestLine {
  stream: PersonalStream;
  previewText: string;
  link: TabPage;
}

/** The reads the digest job makes outside a transaction. */
export interface DigestReads {
  /** People with items waiting for a digest. */
  peopleWithWaitingItems(): Promise<string[]>;
  /** A person's own IANA time zone, null when they set none. */
  timeZoneOf(aadObjectId: string): Promise<string | null>;
}

/** The ports of one person's digest, bound to one transaction. */
export interface DigestTxPorts {
  /** True when the digest with this key was already taken (sent or queued). */
  digestTaken(aadObjectId: string, digestKey: string): Promise<boolean>;
  /** Takes the person's waiting items into the digest `digestKey`, oldest first. */
  takeForDigest(aadObjectId: string, digestKey: string): Promise<DigestLine[]>;
  outbox: Outbox;
}
