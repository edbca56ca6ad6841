/** Items a loop works through between turns of the event loop (about 20-30 ms of project scoring). */
export const ITEMS_PER_TURN = 20;

/**
 * A pause for I/O every `every` calls, for long synchronous loops over loaded rows (a scope's
 * projects or contracts), called once per item. While such a loop runs, nothing reads the rows of
 * the next scope already asked for (`loadOneAhead`): PostgreSQL stops sending once the socket's
 * buffer is full and waits for the loop to end, so the database and the engine take turns instead
 * of working side by side; and the server answers no other request. A turn of the event loop every
 * few items lets both go on.
 */
export function ioPacer(every = ITEMS_PER_TURN): () => Promise<void> {
  const period = Math.max(1, Math.floor(every));
  let calls = 0;
  return () => {
    calls += 1;
    if (calls % period !== 0) return Promise.resolve();
    return new Promise((resolve) => setImmediate(resolve));
  };
}
