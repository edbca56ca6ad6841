/**
 * `tsx src/bench/evaluation-snapshot-cli.ts DATABASE_URL TENANT AS_OF DIR LABEL`: the heap
 * snapshot check in a process of its own (see `evaluationHeapSnapshot`). Evaluates once untimed to
 * learn this process's peak heap in use, then again while snapshots are written from half of it;
 * prints what was taken (`SnapshotTaken`) as one JSON line.
 */
import { openPostgres } from '../store/pg-db';
import { evaluateEverything, withPeakMemory } from './evaluation-growth';
import { snapshotAtHeap, type SnapshotTaken } from './heap-snapshot';

async function main(): Promise<void> {
  const [url, tenantId, asOf, dir, label] = process.argv.slice(2);
  if ([url, tenantId, asOf, dir, label].some((a) => a === undefined)) {
    process.stderr.write('usage: evaluation-snapshot-cli.ts DATABASE_URL TENANT AS_OF DIR LABEL\n');
    process.exit(2);
  }
  const db = openPostgres(url!, 4);
  try {
    const first = await withPeakMemory(() => evaluateEverything(db, tenantId!, asOf!));
    const taken = await snapshotAtHeap(
      { dir: dir!, label: label! },
      first.peakHeapUsedMb * 0.5 * 1048576,
      () => evaluateEverything(db, tenantId!, asOf!),
    );
    const answer: SnapshotTaken = {
      file: taken.file,
      heapUsedBytes: taken.heapUsedBytes,
      snapshots: taken.snapshots,
    };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `evaluation heap snapshot failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
