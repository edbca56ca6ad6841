/**
 * Refused actions rate-limited per user: someone whose actions were refused `limit` times within
 * `windowMs` is answered "too many" (429) until the window has let go of the oldest refusal, without
 * the action running, so a clicking loop cannot fill the audit trail. In memory, per process; the
 * clock is injected.
 */
import type { Clock } from './clock';

/** Limits of the refusal limiter. */
export interface RefusalLimits {
  /** Refusals allowed within the window; the next action is answered 429. */
  limit: number;
  windowMs: number;
  /** Users tracked at most (the oldest are forgotten first), so memory stays bounded. */
  maxUsers: number;
}

/** More than 20 refused actions a minute by one user is not a person clicking. */
export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = {
  limit: 20,
  windowMs: 60_000,
  maxUsers: 10_000,
};

/** Per-user sliding window of refused actions. */
export class RefusalLimiter {
  private readonly refusals = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS,
  ) {}

  /**
   * Null when `user` may act; otherwise the seconds until they may act again (for `Retry-After`).
   */
  blocked(user: string): number | null {
    const now = this.clock.now().getTime();
    const recent = this.recent(user, now);
    if (recent.length < this.limits.limit) return null;
    const oldest = recent[recent.length - this.limits.limit]!;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - now) / 1000));
  }

  /** Records one refused action of `user`. */
  refused(user: string): void {
    const now = this.clock.now().getTime();
    const recent = this.recent(user, now);
    recent.push(now);
    this.refusals.delete(user);
    this.refusals.set(user, recent.slice(-this.limits.limit));
    while (this.refusals.size > this.limits.maxUsers) {
      const oldest = this.refusals.keys().next().value;
      if (oldest === undefined) break;
      this.refusals.delete(oldest);
    }
  }

  private recent(user: string, now: number): number[] {
    const times = (this.refusals.get(user) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (times.length === 0) this.refusals.delete(user);
    return times;
  }
}
