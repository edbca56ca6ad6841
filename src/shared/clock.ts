/**
 * The one clock port and the one sleep: every layer takes a `Clock`, so tests set the time and
 * never really wait. Only composition roots pass `systemClock` and `realSleep`.
 */

/** The wall clock, injected. */
export interface Clock {
  now(): Date;
}

/** Waits `ms` milliseconds, or until `signal` aborts (then it resolves early, without error). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A real sleep that resolves early, without error, when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
