import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DataDirInUseError, openPglite } from './pglite-db';

describe('one process per embedded data directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ct-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a second instance on the same DATA_DIR exits with a message naming the directory', async () => {
    const db = await openPglite(path.join(dir, 'pglite'));
    try {
      const root = path.resolve(__dirname, '../..');
      const result = await promisify(execFile)(
        process.execPath,
        [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'],
        {
          cwd: root,
          env: { PATH: process.env.PATH, DATA_DIR: dir, PORT: '0', HALO_SIM_PORT: '0' },
        },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `The embedded database in ${path.join(dir, 'pglite')} is in use`,
      );
      expect(result.stderr).toContain(`pid ${process.pid}`);
      expect(result.stderr).not.toContain('RuntimeError');
    } finally {
      await db.close();
    }
    expect(existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
  });

  test('a lock left by a process that no longer runs is taken over', async () => {
    await writeFile(path.join(dir, 'pglite.lock'), '999999999');
    const db = await openPglite(path.join(dir, 'pglite'));
    await db.close();
  });

  test('the error names the directory and the owner', () => {
    const error = new DataDirInUseError('/data/pglite', 42);
    expect(error.message).toContain('/data/pglite');
    expect(error.message).toContain('pid 42');
  });
});
