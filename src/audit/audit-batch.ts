/**
 * Group commit for audit entries that record no change (refusals): appends that arrive while a batch
 * is being written wait for the next batch, and each batch takes the tenant's audit head once. Fifty
 * approvers refused at once then cost a few turns behind the head instead of fifty. Each caller still
 * gets its entry back only once it is committed.
 */
import type { AuditEntry, AuditEntryInput, AuditTrail } from '../app/ports/audit.port';
import type { Db } from '../store/db';
import type { AuditLog } from './audit-log';

interface Waiting {
  input: AuditEntryInput;
  resolve: (entry: AuditEntry) => void;
  reject: (error: unknown) => void;
}

/** An audit trail on `db` whose appends are written in batches (not for entries inside a change's transaction). */
export function batchedAuditTrail(log: AuditLog, db: Db): AuditTrail {
  let queue: Waiting[] = [];
  let writing = false;

  const drain = async (): Promise<void> => {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const entries = await log.appendMany(
            db,
            batch.map((w) => w.input),
          );
          batch.forEach((w, i) => w.resolve(entries[i]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await appendOneByOne(log, db, batch);
        }
      }
    } finally {
      writing = false;
    }
  };

  return {
    append: (input) =>
      new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (!writing) void drain();
      }),
    timeline: (subjectType, subjectId) => log.timeline(db, subjectType, subjectId),
    timelineOf: (subjectType, subjectIds) => log.timelineOf(db, subjectType, subjectIds),
  };
}

/**
 * A batch the database refused (one hostile entry, a lost connection) is written again entry by
 * entry, so each caller gets its own outcome: one bad entry must not fail the others' requests.
 */
async function appendOneByOne(log: AuditLog, db: Db, batch: readonly Waiting[]): Promise<void> {
  for (const w of batch) {
    try {
      w.resolve(await log.append(db, w.input));
    } catch (error) {
      w.reject(error);
    }
  }
}
