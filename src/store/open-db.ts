import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPglite } from './pglite-db';
import { openPostgres } from './pg-db';

/** Where the data lives: a PostgreSQL URL, an embedded folder, or embedded in memory (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

/** Opens the database for a target and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  let db: Db;
  if ('url' in target) {
    db = openPostgres(target.url);
  } else if ('dataDir' in target) {
    const dir = path.resolve(target.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    db = await openPglite(dir);
  } else {
    db = await openPglite(null);
  }
  await migrate(db);
  return db;
}
