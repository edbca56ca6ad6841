/**
 * The heap snapshot check's subject, run as its own small process (`heap-snapshot.test.ts`): a
 * snapshot is of the whole process's heap, and a long-lived jest worker's heap makes it take
 * minutes. Holds a whole-table array, takes the snapshot while it is held, prints one JSON line.
 */
import { snapshotAtHeap } from '../../src/bench/heap-snapshot';

/** Something that holds a whole-table array, as a loader that reads a whole table would. */
class WholeTableHolder {
  constructor(readonly rows: Array<{ id: number; name: string }>) {}
}

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  let holder: WholeTableHolder | null = null;
  let check = () => undefined as void;
  const taken = await snapshotAtHeap(
    { dir, label: 'test' },
    0,
    async () => {
      holder = new WholeTableHolder(
        Array.from({ length: 200_000 }, (_, id) => ({ id, name: `row ${id}` })),
      );
      // A sample while the array is held, as the timer's samples come during an evaluation.
      check();
      check();
      return holder.rows.length;
    },
    (take) => {
      check = take;
      return () => undefined;
    },
  );
  process.stdout.write(`${JSON.stringify({ ...taken, held: holder !== null })}\n`);
}

void main();
