import { reusedDatabase, testDatabases } from '../../tests/support/databases';
import { RequestBudget } from '../halo/request-budget';
import { HaloRequestLogRepository } from './halo-request-log.repository';

const T0 = Date.parse('2026-11-23T08:00:00Z');

describe.each(testDatabases())('HaloPSA request log on $name', (database) => {
  // One database for the block, reset for each test (tests/support/databases.ts).
  const target = reusedDatabase(database);
  test('keeps requests per tenant, moves one to its later time and forgets those past the window', async () => {
    const handle = await target.open();
    try {
      const log = new HaloRequestLogRepository(handle.db, 't1');
      const otherTenant = new HaloRequestLogRepository(handle.db, 't2');
      await log.record({ id: 'a', atMs: T0 }, T0 - 1);
      await log.record({ id: 'b', atMs: T0 + 1_000 }, T0 - 1);
      await otherTenant.record({ id: 'a', atMs: T0 + 5 }, T0 - 1);

      await log.record({ id: 'b', atMs: T0 + 1_250 }, T0 - 1);
      // A late write of the reservation cannot move an answered request back.
      await log.record({ id: 'b', atMs: T0 + 1_000 }, T0 - 1);

      expect(sorted(await log.since(T0))).toEqual([
        { id: 'a', atMs: T0 },
        { id: 'b', atMs: T0 + 1_250 },
      ]);
      expect(await log.since(T0 + 1)).toEqual([{ id: 'b', atMs: T0 + 1_250 }]);
      expect(await otherTenant.since(0)).toEqual([{ id: 'a', atMs: T0 + 5 }]);

      await log.record({ id: 'c', atMs: T0 + 2_000 }, T0 + 1_000);
      expect(sorted(await log.since(0))).toEqual([
        { id: 'b', atMs: T0 + 1_250 },
        { id: 'c', atMs: T0 + 2_000 },
      ]);
      expect(await otherTenant.since(0)).toHaveLength(1);
    } finally {
      await handle.dispose();
    }
  });

  test('a budget started on the database begins with what a stopped process spent in the window', async () => {
    const handle = await target.open();
    try {
      let now = T0;
      const clock = { now: () => new Date(now) };
      const sleep = async (ms: number) => void (now += ms);
      const options = { requests: 10, windowMs: 60_000, guardMs: 1_000, clock, sleep };
      const first = new RequestBudget({
        ...options,
        log: new HaloRequestLogRepository(handle.db, 't1'),
      });
      for (let i = 0; i < 10; i++) {
        const slot = await first.acquire();
        now += 100;
        await slot.settle();
      }
      now += 30_000;

      const db = target.name === 'postgres' ? handle.connect() : handle.db;
      const restarted = new RequestBudget({
        ...options,
        log: new HaloRequestLogRepository(db, 't1'),
      });
      await restarted.load();

      expect(restarted.remaining()).toBe(0);
      // The first request was answered at T0 + 100: free at + 60 s window + 1 s guard.
      expect(restarted.waitMs()).toBe(T0 + 100 + 61_000 - now);
      await restarted.acquire();
      expect(now).toBe(T0 + 61_100);
      expect(restarted.remaining()).toBe(0);
      const other = new RequestBudget({ ...options, log: new HaloRequestLogRepository(db, 't2') });
      expect(other.remaining()).toBe(10);
    } finally {
      await handle.dispose();
    }
  });
});

function sorted<T extends { id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.id.localeCompare(b.id));
}
