/**
 * Client-side rolling-window request budget. Hosted HaloPSA answers 429 past about 300 requests in
 * any rolling 5 minutes; spending from a budget just below that keeps a sync from ever hitting the
 * limit in normal operation (429 handling with backoff stays as the safety net).
 */
import type { Clock, Sleep } from '../shared/clock';

export interface RequestBudgetOptions {
  /** Requests allowed in any rolling window (default 300). */
  requests?: number;
  /** Length of the rolling window in milliseconds (default 5 minutes). */
  windowMs?: number;
  clock: Clock;
  /** Injected so tests never really wait. */
  sleep: Sleep;
}

/** Default number of requests per window: hosted HaloPSA's documented 300. */
export const DEFAULT_BUDGET_REQUESTS = 300;
/** Default rolling window: 5 minutes. */
export const DEFAULT_BUDGET_WINDOW_MS = 5 * 60 * 1000;

/**
 * A rolling-window budget: at most `requests` acquisitions in any `windowMs`. Waiters are served in
 * arrival order, so a burst of concurrent callers cannot starve an earlier one.
 */
export class RequestBudget {
  readonly requests: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  /** Acquisition times still inside the window, oldest first. */
  private readonly spent: number[] = [];
  /** Tail of the FIFO queue of pending acquisitions. */
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RequestBudgetOptions) {
    this.requests = options.requests ?? DEFAULT_BUDGET_REQUESTS;
    this.windowMs = options.windowMs ?? DEFAULT_BUDGET_WINDOW_MS;
    if (!Number.isInteger(this.requests) || this.requests < 1) {
      throw new RangeError(`budget requests must be a positive integer, got ${this.requests}`);
    }
    if (!(this.windowMs > 0)) {
      throw new RangeError(`budget windowMs must be positive, got ${this.windowMs}`);
    }
    this.clock = options.clock;
    this.sleep = options.sleep;
  }

  /** Resolves once a request may be sent, recording it against the window. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    // A failing sleep must not wedge every later caller.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Requests that could be sent right now without waiting. */
  remaining(): number {
    this.prune(this.now());
    return this.requests - this.spent.length;
  }

  /** Milliseconds until the next slot frees (0 when one is free now). */
  waitMs(): number {
    const now = this.now();
    this.prune(now);
    if (this.spent.length < this.requests) return 0;
    const oldest = this.spent[0] ?? now;
    return Math.max(0, oldest + this.windowMs - now);
  }

  private async take(): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait === 0) {
        this.spent.push(this.now());
        return;
      }
      await this.sleep(wait);
    }
  }

  /** Epoch milliseconds. */
  private now(): number {
    return this.clock.now().getTime();
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.spent.length && (this.spent[drop] ?? Infinity) <= cutoff) drop++;
    if (drop > 0) this.spent.splice(0, drop);
  }
}
