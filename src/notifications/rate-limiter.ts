/** One sliding window: at most `limit` sends in any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Teams limits per bot per conversation: 7 / 1 s, 8 / 2 s, 60 / 30 s, 1800 / hour. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Teams limit per app per tenant: 50 requests per second. */
export const TEAMS_TENANT_WINDOWS: readonly RateWindow[] = [{ limit: 50, windowMs: 1_000 }];

/**
 * Sliding-window limiter keyed by conversation (or tenant). It never sleeps: it says how long to wait,
 * and the caller decides whether to wait or do something else. A send counts whether it succeeded or
 * not, because the service counts requests.
 */
export class SlidingWindowLimiter {
  private readonly sends = new Map<string, number[]>();
  private readonly blocked = new Map<string, number>();
  private readonly horizonMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.horizonMs = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Milliseconds to wait before a send to `key` is allowed at `nowMs` (0 = now). */
  delayFor(key: string, nowMs: number): number {
    let delay = Math.max(0, (this.blocked.get(key) ?? 0) - nowMs);
    const times = this.prune(key, nowMs);
    for (const { limit, windowMs } of this.windows) {
      const inWindow = countAfter(times, nowMs - windowMs);
      if (inWindow < limit) continue;
      // The send whose leaving brings the window below the limit: the limit-th newest.
      const oldest = times[times.length - limit];
      if (oldest !== undefined) delay = Math.max(delay, oldest + windowMs - nowMs);
    }
    return delay;
  }

  /** Records a send to `key` at `nowMs`. */
  record(key: string, nowMs: number): void {
    const times = this.sends.get(key) ?? [];
    // Kept sorted: records arrive in clock order, but seeding from the database may not.
    let index = times.length;
    while (index > 0 && (times[index - 1] ?? 0) > nowMs) index -= 1;
    times.splice(index, 0, nowMs);
    this.sends.set(key, times);
  }

  /** Blocks `key` until `untilMs` (a 429's Retry-After applies to the whole conversation). */
  blockUntil(key: string, untilMs: number): void {
    this.blocked.set(key, Math.max(untilMs, this.blocked.get(key) ?? 0));
  }

  /** Keys that cannot send at `nowMs`, each with the time it can. */
  blockedKeys(nowMs: number): Map<string, number> {
    const result = new Map<string, number>();
    for (const key of new Set([...this.sends.keys(), ...this.blocked.keys()])) {
      const delay = this.delayFor(key, nowMs);
      if (delay > 0) result.set(key, nowMs + delay);
    }
    return result;
  }

  private prune(key: string, nowMs: number): number[] {
    const times = this.sends.get(key);
    if (!times) return [];
    const cutoff = nowMs - this.horizonMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.sends.delete(key);
    const until = this.blocked.get(key);
    if (until !== undefined && until <= nowMs) this.blocked.delete(key);
    return times;
  }
}

/** How many of the sorted `times` are strictly after `cutoff`. */
function countAfter(times: readonly number[], cutoff: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] ?? 0) <= cutoff) low = mid + 1;
    else high = mid;
  }
  return times.length - low;
}
