import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from './db';
import { MIGRATIONS_DIR, migrate } from './migrate';
import { dumpPglite, openPglite } from './pglite-db';

/**
 * Opens a migrated in-memory PGlite. Creating one from nothing (initdb, then every migration) takes
 * seconds, and the suite, the replays and the bench open hundreds; so the first one's data directory
 * is dumped to the OS temp folder, keyed by the PGlite build and the migrations' text, and every later
 * one — in any process — starts from that dump. `migrate` still runs afterwards and finds nothing to do.
 * A dump that cannot be read or loaded is ignored and written again.
 */
export async function openMigratedMemoryPglite(
  templateDir = path.join(os.tmpdir(), 'control-tower-pglite'),
): Promise<Db> {
  const file = path.join(templateDir, `migrated-${templateKey()}.tar`);
  const template = await readFile(file).catch(() => null);
  if (template !== null) {
    const db = await openPglite(null, new Blob([template])).catch(() => null);
    if (db !== null) {
      await migrate(db);
      return db;
    }
  }
  const db = await openPglite(null);
  await migrate(db);
  await saveTemplate(file, await dumpPglite(db)).catch(() => undefined);
  return db;
}

let cachedKey: string | null = null;

/** Names the template: one per PGlite build and set of migrations. */
function templateKey(): string {
  if (cachedKey !== null) return cachedKey;
  const hash = createHash('sha256');
  const engine = require.resolve('@electric-sql/pglite');
  hash.update(`${engine}\0${statSync(engine).mtimeMs}\0`);
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(path.join(MIGRATIONS_DIR, name)));
  }
  cachedKey = hash.digest('hex').slice(0, 16);
  return cachedKey;
}

/** Written beside its final name and renamed, so a reader never sees half a file. */
async function saveTemplate(file: string, dump: Blob): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
}
