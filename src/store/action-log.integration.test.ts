import { reusedDatabase, testDatabases } from '../../tests/support/databases';
import type { ActionLogEntry } from '../app/notifications/bot-action-log.port';
import { ActionLogRepository, batchedBotActionLogOn } from './action-log.repository';
import type { Db } from './db';

const TENANT = 'tenant-action-log';

/** The database, counting the statements run on it. */
function counting(db: Db): { db: Db; statements: () => number } {
  let count = 0;
  const wrapped: Db = Object.create(db) as Db;
  wrapped.query = (...args: Parameters<Db['query']>) => {
    count += 1;
    return db.query(...args);
  };
  return { db: wrapped, statements: () => count };
}

function click(i: number, details: Record<string, unknown> = { i }): ActionLogEntry {
  return {
    at: new Date(Date.UTC(2026, 11, 5, 9, 0, i)),
    actorAadObjectId: `aad-${i}`,
    actorName: `Agent ${i}`,
    action: 'escalation.acknowledge',
    targetKind: 'escalation',
    targetId: 'esc-1',
    outcome: i % 2 === 0 ? 'done' : 'refused',
    reason: i % 2 === 0 ? null : 'not-allowed',
    details,
  };
}

describe.each(testDatabases())('the bot action log on $name', (database) => {
  const target = reusedDatabase(database);

  test('fifty clicks logged at once: each stored once, as given, in two inserts', async () => {
    const handle = await target.open();
    try {
      const { db, statements } = counting(handle.db);
      const log = batchedBotActionLogOn(db, TENANT);
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(click(i))));
      // The first insert goes alone; the 49 that queued behind it go as one.
      expect(statements()).toBe(2);
      const stored = await new ActionLogRepository(TENANT).recent(handle.db, 100);
      expect(stored).toHaveLength(50);
      expect(stored.reverse()).toEqual(Array.from({ length: 50 }, (_, i) => click(i)));
    } finally {
      await handle.dispose();
    }
  });

  test('an entry the database refuses fails only its own record, not the others batched with it', async () => {
    const handle = await target.open();
    try {
      const log = batchedBotActionLogOn(handle.db, TENANT);
      // PostgreSQL's jsonb holds no NUL character: the insert of any batch holding it fails.
      const outcomes = await Promise.allSettled([
        log.record(click(0)),
        log.record(click(1)),
        log.record(click(2, { note: 'a\u0000b' })),
        log.record(click(3)),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const stored = await new ActionLogRepository(TENANT).recent(handle.db, 100);
      expect(stored.map((e) => e.actorAadObjectId).sort()).toEqual(['aad-0', 'aad-1', 'aad-3']);
    } finally {
      await handle.dispose();
    }
  });
});
