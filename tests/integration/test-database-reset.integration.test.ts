/**
 * The suites' shared database, reset between tests (tests/support/databases.ts): a reset leaves it as a
 * freshly opened one — every table empty, every identity restarted — on both engines, and closes the
 * extra PostgreSQL pools a test opened.
 */
import type { Db } from '../../src/store/db';
import { reusedDatabase, testDatabases } from '../support/databases';

/** Row counts of every table and the state of every sequence: equal for equal databases. */
async function digest(db: Db): Promise<string> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts = await db.query<{ t: string; n: number }>(
    tables
      .map((t) => `SELECT '${t.name}' AS t, count(*)::int AS n FROM "${t.name}"`)
      .join(' UNION ALL '),
  );
  const sequences = await db.query<{ name: string; last: string | null }>(
    `SELECT sequencename AS name, last_value::text AS last FROM pg_sequences
      WHERE schemaname = current_schema() ORDER BY sequencename`,
  );
  return JSON.stringify({
    tables: counts
      .filter((r) => r.t !== 'schema_migrations')
      .map((r) => `${r.t}=${r.n}`)
      .sort(),
    migrations: counts.find((r) => r.t === 'schema_migrations')?.n,
    sequences,
  });
}

/** Writes rows through identities and a trigger (halo_clients bumps tab_versions at commit). */
async function write(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO role_assignments (tenant_id, email, role) VALUES ('t', 'a@example.com', 'pm'),
       ('t', 'b@example.com', 'admin')`,
  );
  await db.query(
    `INSERT INTO conversation_routes (tenant_id, stream, conversation, created_at)
     VALUES ('t', 'gates', '{}', now())`,
  );
  await db.query(
    `INSERT INTO halo_clients (tenant_id, id, name, raw, hash, synced_at)
     VALUES ('t', 1, 'Client', '{}', 'h', now())`,
  );
}

describe.each(testDatabases())('a reset test database ($name)', (target) => {
  test('is a fresh one: tables empty, identities restarted, migrations kept', async () => {
    const fresh = await target.open();
    const used = await target.open();
    try {
      const freshDigest = await digest(fresh.db);
      await write(used.db);
      expect(await digest(used.db)).not.toEqual(freshDigest);
      expect(await digest(used.db)).toContain('tab_versions=1');

      await used.reset();
      expect(await digest(used.db)).toEqual(freshDigest);

      // The same writes give the same ids as on a fresh database.
      await write(used.db);
      await write(fresh.db);
      const ids = (db: Db) =>
        db.query<{ id: string }>('SELECT id::text FROM role_assignments ORDER BY id');
      expect(await ids(used.db)).toEqual([{ id: '1' }, { id: '2' }]);
      expect(await ids(used.db)).toEqual(await ids(fresh.db));
      expect(await digest(used.db)).toEqual(await digest(fresh.db));
    } finally {
      await fresh.dispose();
      await used.dispose();
    }
  });

  describe('reused by a block', () => {
    const reused = reusedDatabase(target);
    test('each lease is the same database, empty again; one lease at a time', async () => {
      const first = await reused.open();
      await write(first.db);
      await expect(reused.open()).rejects.toThrow(/still leased/);
      await first.dispose();
      const second = await reused.open();
      try {
        expect(second.db).toBe(first.db);
        const rows = await second.db.query('SELECT 1 FROM role_assignments');
        expect(rows).toEqual([]);
      } finally {
        await second.dispose();
      }
    });
  });

  if (target.name === 'postgres') {
    test('closes the pools a test opened and keeps the main one', async () => {
      const handle = await target.open();
      try {
        const extra = handle.connect();
        await extra.query('SELECT 1');
        await handle.reset();
        await expect(extra.query('SELECT 1')).rejects.toThrow();
        expect(await handle.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      } finally {
        await handle.dispose();
      }
    });
  }
});
