/**
 * `tsx src/bench/plain-floor-cli.ts DATABASE_URL TENANT`: runs the plain SQL floor once against
 * PostgreSQL and prints `{ ms, rows }` as one JSON line (see `plain-floor.ts`).
 */
import { openPostgres } from '../store/pg-db';
import { plainAggregationOn } from './plain-floor';

async function main(): Promise<void> {
  const [url, tenantId] = process.argv.slice(2);
  if (url === undefined || tenantId === undefined) {
    process.stderr.write('usage: plain-floor-cli.ts DATABASE_URL TENANT\n');
    process.exit(2);
  }
  const db = openPostgres(url, 1);
  try {
    await db.query('SELECT 1');
    process.stdout.write(`${JSON.stringify(await plainAggregationOn(db, tenantId))}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `plain floor failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
