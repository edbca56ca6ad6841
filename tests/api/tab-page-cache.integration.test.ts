/**
 * The portfolio page is built once and served again while the tenant's `tab_versions` version is
 * current: any committed change to what the page reads is seen by the next request, on this server
 * and on another one sharing the database; an unchanged portfolio is not queried again.
 */
import type { Db } from '../../src/store/db';
import type { ProjectFilter } from '../../src/app/delivery/tab-queries.port';
import { SqlTabQueries } from '../../src/store/tab-queries.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';

const ALL: ProjectFilter = { rags: null, clientId: null, text: null, includeClosed: false };
const FIRST = { offset: 0, limit: 50 };

async function addProject(db: Db, tenant: string, id: number, name: string): Promise<void> {
  await db.query(
    `INSERT INTO halo_projects (tenant_id, id, summary, client_id, raw, hash, synced_at)
     VALUES ($1, $2, $3, 1, '{}'::jsonb, 'h', now())`,
    [tenant, id, name],
  );
}

async function addSnapshot(db: Db, tenant: string, id: number, day: string, score: number) {
  const rag = score >= 75 ? 'green' : score >= 50 ? 'amber' : 'red';
  await db.query(
    `INSERT INTO health_snapshots
       (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, assessment, changes, created_at)
     VALUES ($1, $2, $3, $4, $5, 1, '{}', $6::jsonb, '[]'::jsonb, now())`,
    [
      tenant,
      id,
      day,
      score,
      rag,
      JSON.stringify({ assessment: { status: 'active', drivers: [] } }),
    ],
  );
}

/** Counts the list queries a `Db` runs (the version check excluded). */
function counting(db: Db): { db: Db; listQueries: () => number } {
  let n = 0;
  const wrapped: Db = {
    engine: db.engine,
    inTransaction: db.inTransaction,
    query: (sql, params) => {
      if (sql.includes('WITH base AS')) n += 1;
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return { db: wrapped, listQueries: () => n };
}

describe.each(testDatabases())('portfolio page cache on %s', (engine) => {
  let handle: TestDatabaseHandle;
  let db: Db;

  beforeAll(async () => {
    handle = await engine.open();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.dispose();
  });
  beforeEach(async () => {
    for (const table of [
      'escalations',
      'health_snapshots',
      'project_health_latest',
      'halo_clients',
      'halo_projects',
      'tab_versions',
    ]) {
      await db.query(`DELETE FROM ${table}`);
    }
    await addProject(db, 'a', 1, 'Alpha');
    await addProject(db, 'a', 2, 'Bravo');
    await addProject(db, 'b', 1, 'Other tenant');
    await addSnapshot(db, 'a', 1, '2026-11-20', 80);
    await addSnapshot(db, 'a', 2, '2026-11-20', 60);
  });

  test('an unchanged portfolio is built once, however often it is asked for', async () => {
    const { db: counted, listQueries } = counting(db);
    const tab = new SqlTabQueries(counted);
    const first = await tab.projectsPage('a', ALL, FIRST);
    for (let i = 0; i < 5; i += 1) expect(await tab.projectsPage('a', ALL, FIRST)).toEqual(first);
    expect(listQueries()).toBe(1);
    expect(first.items.map((p) => [p.name, p.health.rag])).toEqual([
      ['Bravo', 'amber'],
      ['Alpha', 'green'],
    ]);
    // Another filter or page is another entry.
    await tab.projectsPage('a', { ...ALL, rags: ['amber'] }, FIRST);
    expect(listQueries()).toBe(2);
  });

  test('a new health snapshot, a renamed project, an escalation and a new client name each show on the next request', async () => {
    const tab = new SqlTabQueries(db);
    await tab.projectsPage('a', ALL, FIRST);

    await addSnapshot(db, 'a', 1, '2026-11-21', 30);
    let page = await tab.projectsPage('a', ALL, FIRST);
    expect(page.items[0]).toMatchObject({ name: 'Alpha', health: { rag: 'red', score: 30 } });

    await db.query(
      `UPDATE halo_projects SET summary = 'Alpha (phase 2)' WHERE tenant_id = 'a' AND id = 1`,
    );
    page = await tab.projectsPage('a', ALL, FIRST);
    expect(page.items[0]?.name).toBe('Alpha (phase 2)');

    await db.query(
      `INSERT INTO escalations (tenant_id, id, project_id, cause, status, severity, state, opened_at, updated_at)
       VALUES ('a', 'e1', 1, 'burn', 'open', 'high', '{}'::jsonb, now(), now())`,
    );
    page = await tab.projectsPage('a', ALL, FIRST);
    expect(page.items[0]?.openEscalations).toBe(1);

    await db.query(
      `INSERT INTO halo_clients (tenant_id, id, name, raw, hash, synced_at)
       VALUES ('a', 1, 'Contoso', '{}'::jsonb, 'h', now())`,
    );
    page = await tab.projectsPage('a', ALL, FIRST);
    expect(page.items[0]?.client.name).toBe('Contoso');
  });

  test('one transaction writing 2 projects moves the version once; a rolled-back one not at all', async () => {
    const version = async (tenant: string) =>
      Number(
        (
          await db.query<{ version: number }>(
            'SELECT version FROM tab_versions WHERE tenant_id = $1',
            [tenant],
          )
        )[0]?.version ?? 0,
      );
    const before = await version('a');
    await db.transaction(async (tx) => {
      await addProject(tx, 'a', 3, 'Charlie');
      await addProject(tx, 'a', 4, 'Delta');
    });
    expect(await version('a')).toBe(before + 1);
    await expect(
      db.transaction(async (tx) => {
        await addProject(tx, 'a', 5, 'Echo');
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect(await version('a')).toBe(before + 1);
    const tab = new SqlTabQueries(db);
    expect((await tab.projectsPage('a', ALL, FIRST)).items.map((p) => p.name)).not.toContain(
      'Echo',
    );
  });

  test('a tenant only ever gets its own page, and a change in one tenant does not touch the other', async () => {
    const { db: counted, listQueries } = counting(db);
    const tab = new SqlTabQueries(counted);
    expect((await tab.projectsPage('b', ALL, FIRST)).items.map((p) => p.name)).toEqual([
      'Other tenant',
    ]);
    await addSnapshot(db, 'a', 1, '2026-11-22', 10);
    await tab.projectsPage('b', ALL, FIRST);
    expect(listQueries()).toBe(1);
  });

  test('the page handed out is frozen, so no caller can change what the next one gets', async () => {
    const tab = new SqlTabQueries(db);
    const page = await tab.projectsPage('a', ALL, FIRST);
    expect(() => {
      (page.items as unknown[]).push({});
    }).toThrow(TypeError);
    expect((await tab.projectsPage('a', ALL, FIRST)).items).toHaveLength(2);
  });

  if (engine.name === 'postgres') {
    test('a change committed through another server’s pool is seen by this server’s next request', async () => {
      const other = handle.connect();
      const tab = new SqlTabQueries(db);
      await tab.projectsPage('a', ALL, FIRST);
      await addSnapshot(other, 'a', 2, '2026-11-21', 20);
      const page = await tab.projectsPage('a', ALL, FIRST);
      expect(page.items[0]).toMatchObject({ name: 'Bravo', health: { rag: 'red' } });
    });
  }
});
