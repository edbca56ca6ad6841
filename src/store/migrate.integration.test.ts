import { testDatabases } from '../../tests/support/databases';
import { migrate } from './migrate';

describe.each(testDatabases())('migrations on $name', (target) => {
  test('applies every file once and is a no-op the second time', async () => {
    const handle = await target.open();
    try {
      expect(await migrate(handle.db)).toEqual([]);
      const tables = await handle.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['halo_projects', 'sync_checkpoints', 'job_runs']),
      );
    } finally {
      await handle.dispose();
    }
  });

  test('every table except the migration ledger carries tenant_id', async () => {
    const handle = await target.open();
    try {
      const rows = await handle.db.query<{ table_name: string }>(
        `SELECT t.table_name FROM information_schema.tables t
          WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            AND t.table_name <> 'schema_migrations'
            AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                             WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                               AND c.column_name = 'tenant_id')`,
      );
      expect(rows).toEqual([]);
    } finally {
      await handle.dispose();
    }
  });
});

const postgres = testDatabases().find((d) => d.name === 'postgres');
(postgres ? test : test.skip)(
  'instances starting together on one PostgreSQL apply migrations once',
  async () => {
    // A fresh schema: drop everything the helper migrated, then race three pools.
    const handle = await postgres!.open();
    try {
      await handle.db.exec(`DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
          EXECUTE 'DROP TABLE ' || quote_ident(r.tablename) || ' CASCADE'; END LOOP;
        FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
          WHERE p.pronamespace = current_schema()::regnamespace LOOP
          EXECUTE 'DROP FUNCTION ' || r.fn || ' CASCADE'; END LOOP; END $$;`);
      const pools = [handle.connect(), handle.connect(), handle.connect()];
      const results = await Promise.all(pools.map((db) => migrate(db)));
      const appliedCounts = results.map((r) => r.length).sort();
      expect(appliedCounts[0]).toBe(0);
      expect(appliedCounts[1]).toBe(0);
      expect(appliedCounts[2]).toBeGreaterThan(0);
    } finally {
      await handle.dispose();
    }
  },
);
