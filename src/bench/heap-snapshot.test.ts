import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { snapshotAtHeap, summariseHeapSnapshot } from './heap-snapshot';
import { runJsonLineProcess } from './json-line-process';

describe('the heap snapshot check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ct-heap-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('a snapshot taken at the heap asked for names a whole-table array, its size and its holder', async () => {
    // In its own process: a snapshot of a long-lived jest worker's heap takes minutes.
    const taken = await runJsonLineProcess<{
      result: number;
      file: string | null;
      snapshots: number;
      held: boolean;
    }>(path.join(__dirname, '../../tests/support/heap-snapshot-child.ts'), [dir]);
    expect(taken.result).toBe(200_000);
    expect(taken.file).not.toBeNull();
    expect(taken.snapshots).toBe(1);

    const summary = await summariseHeapSnapshot(taken.file!);
    expect(summary.totalMb).toBeGreaterThan(5);
    expect(summary.nodes).toBeGreaterThan(200_000);
    const rows = summary.largestObjects[0]!;
    expect(rows.references).toBeGreaterThanOrEqual(200_000);
    expect(rows.heldBy).toMatch(
      /^Array\.elements ← WholeTableHolder\.rows ← system \/ Context\.holder/,
    );
    const objects = summary.topConstructors.find((c) => c.name === 'Object');
    expect(objects?.count).toBeGreaterThanOrEqual(200_000);
    expect(taken.held).toBe(true);
  });

  test('no snapshot when the heap never reaches the mark', async () => {
    const taken = await snapshotAtHeap(
      { dir, label: 'never' },
      Number.MAX_SAFE_INTEGER,
      async () => 1,
    );
    expect(taken.file).toBeNull();
  });
});
