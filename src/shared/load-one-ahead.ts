/**
 * Each of `items` loaded by `load`, in order, the next one loading while the caller works on this
 * one (the database and the engine side by side), at most two loaded at once.
 */
export async function* loadOneAhead<S, T>(
  items: readonly S[],
  load: (item: S) => Promise<T>,
): AsyncGenerator<T> {
  let next: Promise<T> | null = items.length > 0 ? load(items[0]!) : null;
  for (let i = 0; next !== null; i += 1) {
    const value = await next;
    const following = items[i + 1];
    next = following === undefined ? null : load(following);
    // Keep the prefetch from surfacing as an unhandled rejection if the consumer stops early.
    next?.catch(() => undefined);
    yield value;
  }
}
