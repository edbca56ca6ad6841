import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openMigratedMemoryPglite } from './pglite-memory';

describe('in-memory PGlite from a migrated template', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ct-pglite-template-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  // Each test migrates PGlite from nothing once or twice (7-10 s a test here, the file 47 s in CI):
  // more than jest's default on a loaded one. A bound against hanging, not a speed figure.
  const MIGRATING_MS = 240_000;

  const migrations = async (db: Awaited<ReturnType<typeof openMigratedMemoryPglite>>) =>
    Number((await db.query('SELECT count(*) AS n FROM schema_migrations'))[0]!.n);

  test(
    'the first open writes the template; later opens start from it, migrated and separate',
    async () => {
      const first = await openMigratedMemoryPglite(dir);
      const files = await readdir(dir);
      expect(files).toEqual([expect.stringMatching(/^migrated-[0-9a-f]{16}\.tar$/)]);
      await first.query(
        "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ('only-in-first', 1, 'h')",
      );
      const second = await openMigratedMemoryPglite(dir);
      expect(await migrations(second)).toBe(await migrations(first));
      expect(
        await second.query("SELECT 1 FROM audit_heads WHERE tenant_id = 'only-in-first'"),
      ).toEqual([]);
      await Promise.all([first.close(), second.close()]);
    },
    MIGRATING_MS,
  );

  test(
    'a damaged template is ignored and written again',
    async () => {
      const first = await openMigratedMemoryPglite(dir);
      const expected = await migrations(first);
      await first.close();
      const [file] = await readdir(dir);
      await writeFile(path.join(dir, file!), 'not a tar');
      const db = await openMigratedMemoryPglite(dir);
      expect(await migrations(db)).toBe(expected);
      await db.close();
      const again = await openMigratedMemoryPglite(dir);
      expect(await migrations(again)).toBe(expected);
      await again.close();
    },
    MIGRATING_MS,
  );
});
