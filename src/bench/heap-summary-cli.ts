/**
 * `tsx src/bench/heap-summary-cli.ts FILE.heapsnapshot`: prints the snapshot's summary
 * (`HeapSummary`) as one JSON line. The bench runs it as a child, so reading a large snapshot never
 * weighs on the bench process's memory.
 */
import { summariseHeapSnapshot } from './heap-snapshot';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: heap-summary-cli.ts FILE.heapsnapshot\n');
  process.exit(2);
}
summariseHeapSnapshot(file).then(
  (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
  (error: unknown) => {
    process.stderr.write(
      `heap summary failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
