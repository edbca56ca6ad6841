import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { Db, Row } from './db';

/** A second process opened the same embedded data directory (PGlite would abort). */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Control Tower process (pid ${pid}). ` +
        'Stop that process first, or set DATA_DIR to another folder.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per embedded data directory: a lock file beside it holds the owner's pid. A lock left by
 * a process that no longer runs (a crash, kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockFile, 'utf8') === String(process.pid)) unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      unlinkSync(lockFile);
    }
  }
  throw new DataDirInUseError(dataDir, -1);
}

const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => Number(value),
};

/**
 * Opens embedded PGlite: under `dataDir` on disk, or in memory when `dataDir` is null — started from
 * `template` (a dumped data directory) when given, which skips initdb.
 */
export async function openPglite(dataDir: string | null, template?: Blob): Promise<Db> {
  const release = dataDir === null ? () => undefined : lockDataDir(path.resolve(dataDir));
  try {
    const pg =
      dataDir === null
        ? new PGlite({ parsers, ...(template ? { loadDataDir: template } : {}) })
        : new PGlite(dataDir, { parsers });
    await pg.waitReady;
    return new PgliteDb(pg, release);
  } catch (error) {
    release();
    throw error;
  }
}

/** The data directory of an embedded database as one tar blob (PGlite's own dump). */
export async function dumpPglite(db: Db): Promise<Blob> {
  if (!(db instanceof PgliteDb)) throw new Error('only an embedded PGlite database can be dumped');
  return db.dump();
}

class PgliteDb implements Db {
  readonly engine = 'pglite' as const;
  readonly inTransaction = false;
  constructor(
    private readonly pg: PGlite,
    private readonly release: () => void,
  ) {}

  dump(): Promise<Blob> {
    return this.pg.dumpDataDir('none');
  }

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
    try {
      await this.pg.close();
    } finally {
      this.release();
    }
  }
}

class PgliteTxDb implements Db {
  readonly engine = 'pglite' as const;
  readonly inTransaction = true;
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
