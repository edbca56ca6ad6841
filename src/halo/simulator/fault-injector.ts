/** Injectable HTTP faults (per test, removable) and HaloPSA's optional rolling-window rate limit. */
import type { Clock } from '../../shared/clock';

export type FaultKind =
  'rate-limit' | 'rate-limit-retry-after' | 'server-error' | 'unavailable' | 'slow' | 'hang';

/** One fault rule: applies to matching requests, `times` times (default: until cleared). */
export interface FaultRule {
  method?: string;
  /** Tested against the request path (without query). */
  path?: RegExp;
  kind: FaultKind;
  times?: number;
  /** For 'rate-limit-retry-after' (default 1). */
  retryAfterSeconds?: number;
  /** For 'slow' (default 1000). */
  delayMs?: number;
}

/** The fault rules of a running simulator. */
export class FaultInjector {
  private rules: Array<FaultRule & { left: number }> = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  get size(): number {
    return this.rules.length;
  }

  /** The first rule matching a request (consuming one of its uses), if any. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.path || r.path.test(path)),
    );
    if (!rule) return undefined;
    rule.left--;
    if (rule.left <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}

/** Settings of the built-in rate limiter (hosted HaloPSA: 300 requests per rolling 5 minutes). */
export interface RateLimitSettings {
  requests: number;
  windowMs: number;
}

/** HaloPSA's rate-limit message. */
export const RATE_LIMIT_MESSAGE = 'Rate Limit Reached - 300 Requests per rolling 5 minute window';

/** A rolling-window request counter on the injected clock. */
export class RollingRateLimiter {
  private stamps: number[] = [];

  constructor(
    readonly settings: RateLimitSettings,
    private readonly clock: Clock,
  ) {}

  /** Records a request; false when it exceeds the limit (the request is then not counted). */
  admit(): boolean {
    const t = this.clock.now().getTime();
    const from = t - this.settings.windowMs;
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= from) this.stamps.shift();
    if (this.stamps.length >= this.settings.requests) return false;
    this.stamps.push(t);
    return true;
  }
}
