/** What to do after a failed send. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Statuses Teams documents as transient (0 = no answer at all). */
const RETRYABLE = new Set([0, 412, 429, 502, 503, 504]);

/** Backoff settings. */
export interface RetryPolicyOptions {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
}

/** Defaults: 1 s doubling to 5 min, 15 attempts (about an hour and a half of retries). */
export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  baseMs: 1_000,
  capMs: 300_000,
  maxAttempts: 15,
};

/**
 * Decides whether and when to retry: `Retry-After` when the connector gave one, else exponential
 * backoff with "equal jitter" (half fixed, half random) so retries from many rows spread out.
 */
export function retryDecision(
  failure: { status: number; retryAfterMs: number | null },
  attempts: number,
  random: () => number,
  options: RetryPolicyOptions = DEFAULT_RETRY_POLICY,
): RetryDecision {
  if (!RETRYABLE.has(failure.status) || attempts >= options.maxAttempts) return { retry: false };
  if (failure.retryAfterMs !== null) return { retry: true, delayMs: failure.retryAfterMs };
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempts - 1));
  return { retry: true, delayMs: Math.round(exponential / 2 + random() * (exponential / 2)) };
}
