import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Db } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { openMigratedMemoryPglite } from '../../src/store/pglite-memory';
import { openPostgres } from '../../src/store/pg-db';

/** A database a test suite runs against, with a way to open more connections to the same data. */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Opens a migrated database (a fresh schema on PostgreSQL, a fresh in-memory PGlite). */
  open(): Promise<TestDatabaseHandle>;
}

/** One opened test database; `connect` opens another independent pool onto the same schema. */
export interface TestDatabaseHandle {
  db: Db;
  /** Where another process finds this database (PostgreSQL only: an in-memory PGlite has none). */
  url?: string;
  connect(): Db;
  /**
   * Empties every table and restarts every identity, leaving the database as a fresh `open()` leaves
   * it (migrations add no rows; the deletes fire no triggers), and closes the pools `connect`
   * opened. Far cheaper than a new database: a suite opens one in `beforeAll` and resets it in
   * `beforeEach` where each test needs an empty database.
   */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Deletes the rows of every table that has any (not the migrations' record) and restarts every
 * sequence that was used. Row deletes with triggers and foreign-key checks off (replica role, one
 * transaction) rather than TRUNCATE: a test touches a few of the ~60 tables, and PostgreSQL's TRUNCATE
 * pays per table named (new files), where a DELETE of a few rows costs next to nothing.
 */
async function emptyAll(db: Db): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        AND table_name <> 'schema_migrations'`,
  );
  if (tables.length === 0) return;
  const used = await db.query<{ name: string }>(
    tables
      .map((t) => `SELECT '${t.name}' AS name WHERE EXISTS (SELECT 1 FROM "${t.name}")`)
      .join(' UNION ALL '),
  );
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    for (const t of used) await tx.query(`DELETE FROM "${t.name}"`);
    await tx.query(
      `SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false)
         FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL`,
    );
  });
}

/**
 * For a describe block whose tests each open and dispose a database of their own: `open()` hands out
 * the block's one database, reset before each lease (as good as a new one, far cheaper), and the
 * lease's `dispose` only hands it back; the database closes after the block. Call it in the describe
 * body: `const target = reusedDatabase(database)`.
 */
export function reusedDatabase(database: TestDatabase): TestDatabase {
  let opened: Promise<TestDatabaseHandle> | null = null;
  let leased = false;
  afterAll(async () => {
    const handle = await opened?.catch(() => null);
    await handle?.dispose();
  });
  return {
    name: database.name,
    open: async () => {
      if (leased) throw new Error('the reused database is still leased: dispose it first');
      leased = true;
      let handle: TestDatabaseHandle;
      if (opened === null) {
        opened = database.open();
        handle = await opened;
      } else {
        handle = await opened;
        await handle.reset();
      }
      return {
        ...handle,
        dispose: async () => {
          leased = false;
        },
      };
    },
  };
}

const postgresUrl = process.env.TEST_DATABASE_URL;
let announced = false;

/** PGlite always; real PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'pglite', open: openTestPglite }];
  if (postgresUrl) {
    list.push({ name: 'postgres', open: () => openTestPostgres(postgresUrl) });
  } else if (!announced) {
    announced = true;
    console.warn('TEST_DATABASE_URL is not set: skipping the PostgreSQL runs (PGlite only).');
  }
  return list;
}

async function openTestPglite(): Promise<TestDatabaseHandle> {
  const db = await openMigratedMemoryPglite();
  return {
    db,
    connect: () => {
      throw new Error(
        'PGlite is a single embedded connection; use PostgreSQL for multi-pool tests',
      );
    },
    reset: () => emptyAll(db),
    dispose: () => db.close(),
  };
}

async function openTestPostgres(url: string): Promise<TestDatabaseHandle> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scopedUrl = withSearchPath(url, schema);
  const pools: Db[] = [];
  const connect = () => {
    const db = openPostgres(scopedUrl, 5);
    pools.push(db);
    return db;
  };
  const db = connect();
  await migrate(db);
  return {
    db,
    url: scopedUrl,
    connect,
    reset: async () => {
      const extra = pools.splice(1);
      await Promise.all(extra.map((p) => p.close()));
      await emptyAll(db);
    },
    dispose: async () => {
      await Promise.all(pools.map((p) => p.close()));
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
