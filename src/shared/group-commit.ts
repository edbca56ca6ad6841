/**
 * Group commit: writes that arrive while a batch is being written wait for the next batch, which
 * is written in one go. Fifty clicks at once then cost a few round trips instead of fifty. Each
 * caller still gets its own result only once its write is committed, and a batch the store refused
 * (one hostile entry, a lost connection) is written again entry by entry, so one bad entry does not
 * fail the others' requests.
 */

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * One write at a time through `writeMany` (outputs in input order, at most `maxBatch` inputs: a
 * statement has a bounded number of parameters), or `writeOne` for a lone entry.
 */
export function groupCommit<I, O>(
  writeMany: (inputs: readonly I[]) => Promise<readonly O[]>,
  writeOne: (input: I) => Promise<O>,
  maxBatch = 500,
): (input: I) => Promise<O> {
  const queue: Waiting<I, O>[] = [];
  let writing = false;

  const oneByOne = async (batch: readonly Waiting<I, O>[]): Promise<void> => {
    for (const w of batch) {
      try {
        w.resolve(await writeOne(w.input));
      } catch (error) {
        w.reject(error);
      }
    }
  };

  const drain = async (): Promise<void> => {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          const outputs = await writeMany(batch.map((w) => w.input));
          batch.forEach((w, i) => w.resolve(outputs[i]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await oneByOne(batch);
        }
      }
    } finally {
      writing = false;
    }
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (!writing) void drain();
    });
}

/**
 * The same grouping for reads by key: a read asked while a batch is being read waits for the next
 * batch, so nobody is answered from a read that began before they asked (what they wrote just before
 * is always seen). A key asked more than once in a batch (`keyOf` says which are the same) is read
 * once, and its askers share the value, so values are read-only. `readMany` answers in key order; a
 * failed batch is read again key by key.
 */
export function groupRead<K, V>(
  readMany: (keys: readonly K[]) => Promise<readonly V[]>,
  keyOf: (key: K) => string,
  maxBatch = 500,
): (key: K) => Promise<V> {
  const readDistinct = async (keys: readonly K[]): Promise<V[]> => {
    const index = new Map<string, number>();
    const distinct: K[] = [];
    const at = keys.map((key) => {
      const id = keyOf(key);
      let i = index.get(id);
      if (i === undefined) {
        i = distinct.length;
        index.set(id, i);
        distinct.push(key);
      }
      return i;
    });
    const values = await readMany(distinct);
    return at.map((i) => values[i]!);
  };
  return groupCommit(readDistinct, async (key) => (await readMany([key]))[0]!, maxBatch);
}
