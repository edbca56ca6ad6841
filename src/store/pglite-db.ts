import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Db, Row } from './db';

const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => Number(value),
};

/** Opens embedded PGlite: under `dataDir` on disk, or in memory when `dataDir` is null. */
export async function openPglite(dataDir: string | null): Promise<Db> {
  const pg = dataDir === null ? new PGlite({ parsers }) : new PGlite(dataDir, { parsers });
  await pg.waitReady;
  return new PgliteDb(pg);
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  constructor(private readonly pg: PGlite) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.pg.query<R>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new PgliteTxDb(tx)));
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}

class PgliteTxDb implements Db {
  readonly engine = 'pglite' as const;
  constructor(private readonly tx: Transaction) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.tx.query<R>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    await this.tx.query('SAVEPOINT nested');
    try {
      const result = await fn(this);
      await this.tx.query('RELEASE SAVEPOINT nested');
      return result;
    } catch (error) {
      await this.tx.query('ROLLBACK TO SAVEPOINT nested');
      throw error;
    }
  }

  async close(): Promise<void> {
    // The outer PGlite owns the connection.
  }
}
