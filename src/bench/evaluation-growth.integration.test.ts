import { testDatabases } from '../../tests/support/databases';
import type { Db } from '../store/db';
import { evaluationGrowth } from './evaluation-growth';

/** A fresh, migrated in-memory PGlite: its handle's dispose closes it. */
const openPglite = () =>
  testDatabases()
    .find((d) => d.name === 'pglite')!
    .open();

/** `db` with every statement it runs recorded as `size`'s (closing it is the handle's). */
function recorded(db: Db, size: number, order: number[]): Db {
  return {
    engine: db.engine,
    inTransaction: db.inTransaction,
    query: (sql, params) => {
      order.push(size);
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: async () => undefined,
  } as Db;
}

describe('evaluationGrowth', () => {
  test('loads every size first, warms up on the smallest, then evaluates each size once a round, the order reversed every other round', async () => {
    const order: number[] = [];
    const loadedBefore: number[] = [];
    const dropped: number[] = [];
    const log: string[] = [];
    let next = 0;
    const sizes = [10, 20, 40];
    const growth = await evaluationGrowth({
      sizes,
      tenantId: 't',
      asOf: '2026-12-01',
      log: (message) => log.push(message),
      loadScaled: async (scale) => {
        loadedBefore.push(order.length);
        return { scale, generatedMs: 1, syncMs: 1, records: {}, pages: 0, peakRssMb: 1 };
      },
      scratchDatabase: async () => {
        const size = sizes[next++]!;
        const handle = await openPglite();
        return {
          target: { memory: true },
          open: async () => recorded(handle.db, size, order),
          drop: async () => {
            dropped.push(size);
            await handle.dispose();
          },
        };
      },
    });
    // Nothing was evaluated before the last load.
    expect(loadedBefore).toEqual([0, 0, 0]);
    // Consecutive statements of one size collapse to one entry: the warm-up and round 1 (10, 20,
    // 40), round 2 reversed (40 joins round 1's last), round 3 (10 joins round 2's last).
    const runs = order.filter((size, i) => i === 0 || order[i - 1] !== size);
    expect(runs).toEqual([10, 20, 40, 20, 10, 20, 40]);
    expect(growth.points.map((p) => p.targetProjects)).toEqual(sizes);
    expect(growth.rounds).toHaveLength(3);
    for (const round of growth.rounds)
      expect(round.ratio).toBeCloseTo(round.largest / round.smallest);
    expect(dropped).toEqual(sizes);
  });

  test('every scratch database is dropped, also when closing one fails', async () => {
    const dropped: number[] = [];
    const log: string[] = [];
    let next = 0;
    const sizes = [10, 20];
    await evaluationGrowth({
      sizes,
      tenantId: 't',
      asOf: '2026-12-01',
      log: (message) => log.push(message),
      loadScaled: async (scale) => ({
        scale,
        generatedMs: 1,
        syncMs: 1,
        records: {},
        pages: 0,
        peakRssMb: 1,
      }),
      scratchDatabase: async () => {
        const size = sizes[next++]!;
        const handle = await openPglite();
        return {
          target: { memory: true },
          open: async () => ({
            ...recorded(handle.db, size, []),
            close: async () => {
              if (size === 10) throw new Error('close failed');
            },
          }),
          drop: async () => {
            dropped.push(size);
            await handle.dispose();
          },
        };
      },
    });
    expect(dropped).toEqual(sizes);
    expect(log).toContain('growth: could not close the 10-project database: close failed');
  });
});
