import { ManagedIdentityCredential } from '@azure/identity';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPglite } from './pglite-db';
import { openMigratedMemoryPglite } from './pglite-memory';
import { openPostgres } from './pg-db';
import { entraPassword } from './pg-entra-password';

/**
 * Where the data lives: a PostgreSQL URL, an embedded folder, or embedded in memory (tests).
 * With `entraClientId`, PostgreSQL is signed in to with that user-assigned managed identity's Entra
 * token instead of the URL's password (Azure Database for PostgreSQL with Entra authentication).
 */
export type DatabaseTarget =
  { url: string; entraClientId?: string | null } | { dataDir: string } | { memory: true };

/** Where a pooled connection that died while idle is reported (the app's logger). */
export interface DatabaseLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Opens the database for a target and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget, log?: DatabaseLog): Promise<Db> {
  let db: Db;
  if ('url' in target) {
    const clientId = target.entraClientId ?? null;
    db = openPostgres(target.url, undefined, {
      ...(clientId === null
        ? {}
        : { password: entraPassword(new ManagedIdentityCredential({ clientId })) }),
      ...(log
        ? {
            onIdleConnectionLost: (error) =>
              log.warn(
                { err: error.message },
                'PostgreSQL: an idle pooled connection was lost; the next query opens a new one',
              ),
          }
        : {}),
    });
  } else if ('dataDir' in target) {
    const dir = path.resolve(target.dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
    db = await openPglite(dir);
  } else {
    return openMigratedMemoryPglite();
  }
  await migrate(db);
  return db;
}
