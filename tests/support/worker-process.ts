/**
 * For tests that kill a process mid-work: databases that outlive the process (PGlite on disk, a
 * PostgreSQL schema when TEST_DATABASE_URL is set) and a way to run a worker script and kill it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import type { Db } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { openPglite } from '../../src/store/pglite-db';
import { openPostgres } from '../../src/store/pg-db';

const root = path.resolve(__dirname, '../..');

/** A database a worker process and the test both open: `arg` is what the worker is given. */
export interface SharedDatabase {
  arg: string;
  open(): Promise<Db>;
  dispose(): Promise<void>;
}

/** PGlite on disk always; a fresh PostgreSQL schema too when TEST_DATABASE_URL is set. */
export function sharedDatabaseTargets(): Array<{
  name: string;
  make: () => Promise<SharedDatabase>;
}> {
  const targets = [
    {
      name: 'pglite on disk',
      make: async (): Promise<SharedDatabase> => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'ct-kill-'));
        return {
          arg: dir,
          open: () => openPglite(dir),
          dispose: () => rm(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    targets.push({
      name: 'postgres',
      make: async (): Promise<SharedDatabase> => {
        const schema = `kill_${randomBytes(5).toString('hex')}`;
        const admin = new Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const url = new URL(pgUrl);
        url.searchParams.set('options', `-c search_path=${schema}`);
        return {
          arg: url.toString(),
          open: async () => openPostgres(url.toString(), 2),
          dispose: async () => {
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
          },
        };
      },
    });
  }
  return targets;
}

/** Inside a worker: opens and migrates the database it was given (a postgres URL or a PGlite folder). */
export async function openWorkerDatabase(arg: string): Promise<Db> {
  const db = arg.startsWith('postgres') ? openPostgres(arg, 2) : await openPglite(arg);
  await migrate(db);
  return db;
}

/** Runs a worker script under tsx (in one process, so a kill is a kill): its first stdout line, and how it exited (137 when killed). */
export function runWorker(
  script: string,
  args: string[],
): {
  child: ChildProcess;
  firstLine: Promise<string>;
  exited: Promise<number | null>;
} {
  // `node --import tsx` runs the worker in this one process: the tsx CLI would run it in a child,
  // which SIGKILL of the CLI leaves running (and still holding the database).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? 137 : code)),
  );
  return { child, firstLine, exited };
}
