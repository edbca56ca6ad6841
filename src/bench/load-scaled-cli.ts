/**
 * `tsx src/bench/load-scaled-cli.ts --scale S (--database-url URL | --data-dir DIR) [--seed N]
 * [--as-of YYYY-MM-DD] [--tenant T]`: generates the large HaloPSA profile at scale S (1 = 2,000
 * projects), syncs it in full into the database (migrated first) with the app's HaloSync reading
 * the simulator's pages in process, prints one JSON line (`ScaledLoad`) and exits. The bench runs
 * it as a child so the generated dataset never inflates the bench process.
 */
import { generateDataset } from '../halo/simulator/generator';
import { openDatabase, type DatabaseTarget } from '../store/open-db';
import type { ScaledLoad } from './scaled-load';
import { syncInProcess } from './scaled-load';

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

function target(): DatabaseTarget {
  const url = arg('database-url');
  const dataDir = arg('data-dir');
  if ((url === undefined) === (dataDir === undefined))
    throw new Error('give one of --database-url URL or --data-dir DIR');
  return url !== undefined ? { url } : { dataDir: dataDir! };
}

async function main(): Promise<void> {
  const scale = Number(arg('scale') ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale takes a positive number');
  const seed = Number(arg('seed') ?? '1');
  const asOf = arg('as-of') ?? new Date().toISOString().slice(0, 10);
  const tenantId = arg('tenant') ?? 'bench';
  const db = await openDatabase(target());
  try {
    const generating = Date.now();
    const dataset = generateDataset({ profile: 'large', seed, asOf, scale });
    const generatedMs = Date.now() - generating;
    const syncing = Date.now();
    const report = await syncInProcess(db, dataset, tenantId, { now: () => new Date() });
    const syncMs = Date.now() - syncing;
    const listings = Object.entries(report.listings);
    const result: ScaledLoad = {
      scale,
      generatedMs,
      syncMs,
      records: Object.fromEntries(listings.map(([name, l]) => [name, l.records])),
      pages: listings.reduce((sum, [, l]) => sum + l.pages, 0),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `load-scaled failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
