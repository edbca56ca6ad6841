import { groupCommit, groupRead } from './group-commit';

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

describe('groupRead', () => {
  test('keys asked while a batch is being read wait for the next batch, which reads them after they asked, each once', async () => {
    let version = 0;
    const reads: { keys: string[]; version: number }[] = [];
    let release: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const read = groupRead(
      async (keys: readonly string[]) => {
        const seen = version;
        reads.push({ keys: [...keys], version: seen });
        if (reads.length === 1) await firstHeld;
        return keys.map((k) => `${k}@${seen}`);
      },
      (k) => k,
    );
    const first = read('a');
    // Written after the first read began: a read asked now must see it.
    version = 1;
    const later = [read('a'), read('b'), read('a')];
    release();
    await expect(first).resolves.toBe('a@0');
    await expect(Promise.all(later)).resolves.toEqual(['a@1', 'b@1', 'a@1']);
    expect(reads).toEqual([
      { keys: ['a'], version: 0 },
      { keys: ['a', 'b'], version: 1 },
    ]);
  });

  test('a failed batch is read again key by key: only the key that fails fails', async () => {
    const read = groupRead(
      async (keys: readonly string[]) => {
        if (keys.includes('bad')) throw new Error('refused');
        return keys.map((k) => k.toUpperCase());
      },
      (k) => k,
    );
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((k) => read(k)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'A' },
      { status: 'rejected', reason: new Error('refused') },
      { status: 'fulfilled', value: 'C' },
    ]);
  });
});
