import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import type { DemoUsersDto } from '../../src/api/dto';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';
import type { Db } from '../../src/store/db';
import { openDatabase } from '../../src/store/open-db';

const postgresUrl = process.env.TEST_DATABASE_URL;
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

/** A fresh schema and a unique application_name, so only this test's sessions are terminated. */
function scopedUrl(base: string, schema: string, applicationName: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/**
 * Terminates every session carrying `applicationName`, as an operator or a failover would; unless
 * `wait` is false, returns once the sessions are gone from the server.
 */
async function terminateSessions(
  admin: Client,
  applicationName: string,
  wait = true,
): Promise<number> {
  const result = await admin.query<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE application_name = $1 AND pid <> pg_backend_pid()`,
    [applicationName],
  );
  // pg_terminate_backend only signals; wait until the sessions are really gone.
  for (let i = 0; wait && i < 200; i += 1) {
    const left = await admin.query(
      'SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [applicationName],
    );
    if (left.rowCount === 0) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result.rows.filter((r) => r.terminated).length;
}

(postgresUrl ? describe : describe.skip)('the PostgreSQL pool survives dropped connections', () => {
  const url = postgresUrl ?? '';
  const schema = `t_pool_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: url });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  test('the database adapter logs each lost idle connection and the next query succeeds', async () => {
    const applicationName = `ct-test-${randomBytes(4).toString('hex')}`;
    const lost: string[] = [];
    let allLost: () => void = () => undefined;
    const db: Db = await openDatabase(
      { url: scopedUrl(url, schema, applicationName) },
      {
        warn: (fields) => {
          lost.push(String(fields.err));
          if (lost.length === 4) allLost();
        },
      },
    );
    try {
      // Four connections open at once, then idle in the pool.
      await Promise.all(Array.from({ length: 4 }, () => db.query('SELECT pg_sleep(0.05)')));
      const heard = new Promise<void>((resolve) => (allLost = resolve));

      expect(await terminateSessions(admin, applicationName)).toBe(4);
      await heard;

      expect(lost).toHaveLength(4);
      expect(lost.every((message) => /terminating connection/.test(message))).toBe(true);
      const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  test('a query or transaction sent before the pool heard of the ended session still succeeds', async () => {
    const applicationName = `ct-test-${randomBytes(4).toString('hex')}`;
    const db: Db = await openDatabase(
      { url: scopedUrl(url, schema, applicationName) },
      { warn: () => undefined },
    );
    try {
      for (let round = 0; round < 5; round += 1) {
        await Promise.all([db.query('SELECT 1'), db.query('SELECT 2')]);
        // Not waiting for the sessions to end: the next statements race the server's goodbye.
        expect(await terminateSessions(admin, applicationName, false)).toBeGreaterThanOrEqual(1);

        const [plain, inTransaction] = await Promise.all([
          db.query<{ one: number }>('SELECT 1 AS one'),
          db.transaction((tx) => tx.query<{ two: number }>('SELECT 2 AS two')),
        ]);

        expect(plain).toEqual([{ one: 1 }]);
        expect(inTransaction).toEqual([{ two: 2 }]);
      }
    } finally {
      await db.close();
    }
  });

  describe('the app', () => {
    let app: RunningApp;
    const applicationName = `ct-app-${randomBytes(4).toString('hex')}`;
    const appSchema = `${schema}_app`;

    beforeAll(async () => {
      await admin.query(`CREATE SCHEMA ${appSchema}`);
      app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
        database: { url: scopedUrl(url, appSchema, applicationName) },
        schedule: false,
        logDestination: quiet,
        demo: { seed: 11, asOf: '2026-11-23' },
      });
      // Start-up syncs and evaluates the demo portfolio: slow on a loaded machine.
    }, 240_000);
    afterAll(async () => {
      await app.close();
      await admin.query(`DROP SCHEMA ${appSchema} CASCADE`);
    });

    test('answers the next request with 200 after every one of its sessions was terminated', async () => {
      const users = (await (await fetch(`${app.url}/api/v1/demo/users`)).json()) as DemoUsersDto;
      const pmo = users.items.find((u) => u.roles.includes('pmo_lead'))?.signInEmail ?? '';
      const projects = () =>
        fetch(`${app.url}/api/v1/projects`, { headers: { 'X-Demo-User': pmo } });
      expect((await projects()).status).toBe(200);

      expect(await terminateSessions(admin, applicationName)).toBeGreaterThanOrEqual(1);

      const after = await projects();
      expect(after.status).toBe(200);
      expect(((await after.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    });
  });
});
