/**
 * A sync in a process of its own, for the kill-and-resume test:
 * `tsx tests/support/sync-worker.ts <haloUrl> <postgres-url | pglite-dir> [stopListing stopPage]`.
 * With a stop point it announces `paused <listing> <page>` on stdout once every page before it is
 * committed, then hangs until the test kills it.
 */
import { systemClock } from '../../src/shared/clock';
import { HALO_READ_SCOPES } from '../../src/halo/halo-scopes';
import { HaloClient } from '../../src/halo/halo-client';
import { HaloSync, type HaloReader } from '../../src/halo/halo-sync';
import { openWorkerDatabase } from './worker-process';

const [haloUrl, target, stopListing, stopPage] = process.argv.slice(2);
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

async function main(): Promise<void> {
  const db = await openWorkerDatabase(target!);
  const client = new HaloClient({
    baseUrl: haloUrl!,
    clientId: 'demo',
    clientSecret: 'demo',
    scopes: [...HALO_READ_SCOPES],
    pageSize: 200,
    logger: silent,
  });
  const reader: HaloReader = {
    get: (path, id, params) => client.get(path, id, params),
    async *listPages(resource, params, options) {
      for await (const page of client.listPages(resource, params, options)) {
        if (resource === stopListing && page.pageNo === Number(stopPage)) {
          // Every earlier page was committed when the sync asked for this one.
          process.stdout.write(`paused ${resource} ${page.pageNo}\n`);
          await new Promise(() => undefined);
        }
        yield page;
      }
    },
  };
  const report = await new HaloSync({
    db,
    reader,
    tenantId: 'acme',
    clock: systemClock,
    logger: silent,
  }).run('full');
  await db.close();
  process.stdout.write(`${JSON.stringify({ done: true, resumed: report.resumed })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
