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
  connect(): Db;
  dispose(): Promise<void>;
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
    connect,
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
