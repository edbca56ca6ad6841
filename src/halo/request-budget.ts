/**
 * Client-side rolling-window request budget. Hosted HaloPSA answers 429 past about 300 requests in
 * any rolling 5 minutes; spending from a budget just below that keeps a sync from ever hitting the
 * limit in normal operation (429 handling with backoff stays as the safety net).
 *
 * What was spent is kept in a {@link RequestLog} (the database in production, memory for replay and
 * the CLIs) and re-read before every reservation: a restarted process, or a second instance, counts
 * the requests HaloPSA still holds in its window instead of starting from an empty budget.
 *
 * The window edge: HaloPSA counts a request when it arrives, the budget reserves its slot before
 * sending it. So a request counts from the later of its reservation and its answer (the transport
 * settles the slot when the answer or the failure arrives: HaloPSA received it before that), and a
 * slot is reused only `guardMs` (default 1 s) after that time plus the window, which absorbs clock
 * drift between us and HaloPSA. A slot never settled counts from its reservation, with the guard.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Sleep } from '../shared/clock';
import { InMemoryRequestLog } from './in-memory-request-log';
import type { RequestLog } from './request-log.port';

export interface RequestBudgetOptions {
  /** Requests allowed in any rolling window (default 300). */
  requests?: number;
  /** Length of the rolling window in milliseconds (default 5 minutes). */
  windowMs?: number;
  /** Milliseconds a slot stays spent beyond the window (default 1 s): see the file header. */
  guardMs?: number;
  /** Where spent requests are kept (default: this process's memory). */
  log?: RequestLog;
  clock: Clock;
  /** Injected so tests never really wait. */
  sleep: Sleep;
}

/** A reserved request; `settle` once its answer (or failure) has arrived. */
export interface BudgetSlot {
  /** Counts the request from now on (when later than its reservation) and records that. */
  settle(): Promise<void>;
}

/** Default number of requests per window: hosted HaloPSA's documented 300. */
export const DEFAULT_BUDGET_REQUESTS = 300;
/** Default rolling window: 5 minutes. */
export const DEFAULT_BUDGET_WINDOW_MS = 5 * 60 * 1000;
/** Default guard on slot reuse beyond the window: 1 second. */
export const DEFAULT_BUDGET_GUARD_MS = 1000;

/**
 * A rolling-window budget: at most `requests` requests counted in any `windowMs` (plus the guard).
 * Waiters are served in arrival order, so a burst of concurrent callers cannot starve an earlier one.
 */
export class RequestBudget {
  readonly requests: number;
  readonly windowMs: number;
  readonly guardMs: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly log: RequestLog;
  /** The spent requests last read from the log plus this process's own since: id → counted-from. */
  private spent = new Map<string, number>();
  /** Tail of the FIFO queue of pending acquisitions. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RequestBudgetOptions) {
    this.requests = options.requests ?? DEFAULT_BUDGET_REQUESTS;
    this.windowMs = options.windowMs ?? DEFAULT_BUDGET_WINDOW_MS;
    this.guardMs = options.guardMs ?? DEFAULT_BUDGET_GUARD_MS;
    if (!Number.isInteger(this.requests) || this.requests < 1) {
      throw new RangeError(`budget requests must be a positive integer, got ${this.requests}`);
    }
    if (!(this.windowMs > 0)) {
      throw new RangeError(`budget windowMs must be positive, got ${this.windowMs}`);
    }
    if (!(this.guardMs >= 0)) {
      throw new RangeError(`budget guardMs must not be negative, got ${this.guardMs}`);
    }
    this.clock = options.clock;
    this.sleep = options.sleep;
    this.log = options.log ?? new InMemoryRequestLog();
  }

  /**
   * Reads what was spent from the log (what a previous process or another instance sent), so
   * `remaining()` and `waitMs()` are right before the first request. `acquire` re-reads it anyway.
   */
  async load(): Promise<void> {
    const now = this.now();
    const logged = await this.log.since(now - this.windowMs - this.guardMs);
    const merged = new Map<string, number>();
    for (const { id, atMs } of logged) {
      // A settle not yet written back must not be undone by the older logged time.
      merged.set(id, Math.max(atMs, this.spent.get(id) ?? atMs));
    }
    this.spent = merged;
    this.prune(now);
  }

  /** Resolves once a request may be sent, with its slot recorded against the window. */
  acquire(): Promise<BudgetSlot> {
    const turn = this.queue.then(() => this.take());
    // A failing sleep or log must not wedge every later caller.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Requests that could be sent right now without waiting. */
  remaining(): number {
    this.prune(this.now());
    return Math.max(0, this.requests - this.spent.size);
  }

  /** Milliseconds until the next slot frees (0 when one is free now). */
  waitMs(): number {
    const now = this.now();
    this.prune(now);
    if (this.spent.size < this.requests) return 0;
    // Another instance may have overspent: the slot frees when enough have left the window.
    const times = [...this.spent.values()].sort((a, b) => a - b);
    const freeing = times[this.spent.size - this.requests] ?? now;
    return Math.max(0, this.freeAt(freeing) - now);
  }

  private async take(): Promise<BudgetSlot> {
    for (;;) {
      await this.load();
      const wait = this.waitMs();
      if (wait === 0) {
        const now = this.now();
        const request = { id: randomUUID(), atMs: now };
        await this.log.record(request, now - this.windowMs - this.guardMs);
        this.spent.set(request.id, request.atMs);
        return { settle: () => this.settle(request.id, request.atMs) };
      }
      await this.sleep(wait);
    }
  }

  private async settle(id: string, reservedMs: number): Promise<void> {
    const now = this.now();
    const atMs = Math.max(reservedMs, now, this.spent.get(id) ?? reservedMs);
    this.spent.set(id, atMs);
    // Pruning once per request (at its reservation) is enough.
    await this.log.record({ id, atMs });
  }

  /** When a request counted from `atMs` stops counting. */
  private freeAt(atMs: number): number {
    return atMs + this.windowMs + this.guardMs;
  }

  /** Epoch milliseconds. */
  private now(): number {
    return this.clock.now().getTime();
  }

  private prune(now: number): void {
    for (const [id, atMs] of this.spent) if (this.freeAt(atMs) <= now) this.spent.delete(id);
  }
}
