/**
 * Retry delays for HaloPSA requests: exponential backoff with full jitter, unless the server said
 * how long to wait with `Retry-After` (HaloPSA does not document one, but proxies in front of it
 * and the simulator may send it), in which case that wait is honoured, capped.
 */

export interface BackoffOptions {
  /** Delay ceiling of the first retry in milliseconds (default 500). */
  baseMs?: number;
  /** Upper bound of any jittered delay (default 30 s). */
  maxMs?: number;
  /** Upper bound of a server-requested `Retry-After` wait (default 5 min, HaloPSA's window). */
  retryAfterCapMs?: number;
  /** Uniform random number in [0, 1) (injected for deterministic tests). */
  random: () => number;
}

/** Default ceiling of the first retry. */
export const DEFAULT_BACKOFF_BASE_MS = 500;
/** Default upper bound of a jittered delay. */
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
/** Default upper bound of a `Retry-After` wait. */
export const DEFAULT_RETRY_AFTER_CAP_MS = 5 * 60 * 1000;

/**
 * Delay before retry number `attempt` (0 for the first retry): the `Retry-After` wait when given,
 * capped at `retryAfterCapMs`; otherwise `random() * min(maxMs, baseMs * 2^attempt)` ("full
 * jitter", which spreads concurrent clients better than equal or decorrelated jitter).
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs: number | null = null,
): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const capMs = options.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;
  if (retryAfterMs !== null) return Math.min(Math.max(0, retryAfterMs), capMs);
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const r = Math.min(Math.max(options.random(), 0), 1);
  return Math.floor(r * ceiling);
}
