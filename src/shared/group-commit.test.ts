import { groupCommit } from './group-commit';

describe('groupCommit', () => {
  test('entries arriving together share writes of at most maxBatch, each answered with its own output', async () => {
    const batches: number[][] = [];
    const write = groupCommit(
      async (inputs: readonly number[]) => {
        batches.push([...inputs]);
        return inputs.map((n) => n * 2);
      },
      async (n: number) => n * 2,
      100,
    );
    const outputs = await Promise.all(Array.from({ length: 250 }, (_, i) => write(i)));
    expect(outputs).toEqual(Array.from({ length: 250 }, (_, i) => i * 2));
    // The first entry is written alone (nothing was waiting yet); the rest in batches of 100 at most.
    expect(batches.map((b) => b.length)).toEqual([1, 100, 100, 49]);
    expect(batches.flat()).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  test('a refused batch is written again entry by entry: only the bad entry fails', async () => {
    const write = groupCommit(
      async (inputs: readonly string[]) => {
        if (inputs.includes('bad')) throw new Error('refused');
        return inputs;
      },
      async (input: string) => {
        if (input === 'bad') throw new Error('refused alone');
        return input;
      },
    );
    const results = await Promise.allSettled(['a', 'b', 'bad', 'c'].map((x) => write(x)));
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });
});
