import { digestDueOn, digestKey } from '../../domain/notifications/digest-schedule';
import { dailyDigestNotice } from '../../domain/notifications/personal-notices';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Transactional } from '../ports/transaction.port';
import type { DigestLine, DigestReads, DigestTxPorts } from './digest.port';
import type { TextPayload } from './notification-payloads';
import { personalIntent } from './personal-intent';

/** What the digest job is built from. */
export interface SendDailyDigestsDeps {
  reads: DigestReads;
  uow: Transactional<DigestTxPorts>;
  clock: Clock;
  /** The tenant's time zone: a person's digest time when they set none. */
  tenantTimeZone: string;
  outboxChanged: Signal;
}

/** Whose digests one run queued, as `aadObjectId` → local date. */
export interface DigestRun {
  sent: Array<{ aadObjectId: string; localDate: string; items: number }>;
}

/** Lines shown in one digest message; the rest are counted ("and 4 more in the tab"). */
const MAX_LINES = 20;

/**
 * The daily digest (SPEC §5): at 08:00 in each person's time zone (the tenant's by default), the
 * items held for them since their last digest go out as one 1:1 message and one activity-feed entry.
 * Runs every few minutes; each person's digest of a local date is queued once (its key carries the
 * date), in the transaction that takes its items.
 */
export class SendDailyDigests {
  constructor(private readonly deps: SendDailyDigestsDeps) {}

  async run(): Promise<DigestRun> {
    const { reads, uow, clock, tenantTimeZone } = this.deps;
    const now = clock.now();
    const run: DigestRun = { sent: [] };
    for (const aadObjectId of await reads.peopleWithWaitingItems()) {
      const timeZone = (await reads.timeZoneOf(aadObjectId)) ?? tenantTimeZone;
      const localDate = digestDueOn(now, timeZone);
      if (localDate === null) continue;
      const key = digestKey(aadObjectId, localDate);
      const items = await uow.transaction(async (tx) => {
        // Items that arrive after today's digest wait for tomorrow's.
        if (await tx.digestTaken(aadObjectId, key)) return [];
        const lines = await tx.takeForDigest(aadObjectId, key);
        if (lines.length === 0) return lines;
        const notice = dailyDigestNotice({ aadObjectId, count: lines.length });
        await tx.outbox.enqueue(
          personalIntent(key, notice, {
            kind: 'text',
            payload: { text: digestText(lines) } satisfies TextPayload,
          }),
        );
        return lines;
      });
      if (items.length > 0) run.sent.push({ aadObjectId, localDate, items: items.length });
    }
    if (run.sent.length > 0) this.deps.outboxChanged.notify();
    return run;
  }
}

/** The digest message: one line per item, oldest first. */
export function digestText(lines: readonly DigestLine[]): string {
  const shown = lines.slice(0, MAX_LINES).map((line) => `- ${line.previewText}`);
  const more = lines.length - shown.length;
  return [
    `Your Control Tower digest: ${lines.length} open item${lines.length === 1 ? '' : 's'}`,
    ...shown,
    ...(more > 0 ? [`…and ${more} more in the tab (My notifications).`] : []),
  ].join('\n\n');
}
