/**
 * One HTTP exchange with HaloPSA: spends from the request budget (and settles the slot when the
 * answer arrives, so the budget counts it from then), times out (body included), retries with
 * backoff on 429, 5xx, timeouts and network failures, counts every attempt.
 */
import type { Sleep } from '../shared/clock';
import { parseRetryAfter } from '../shared/retry-after';
import { backoffDelayMs } from './backoff';
import { HaloRateLimitedError, HaloTimeoutError, HaloUnavailableError } from './halo-errors';
import type { BudgetSlot, RequestBudget } from './request-budget';

/** The logging surface the client needs; a pino logger fits. */
export interface HaloLogger {
  /** Routine events. */
  info(obj: Record<string, unknown>, msg?: string): void;
  /** Retries, fallbacks and odd responses. */
  warn(obj: Record<string, unknown>, msg?: string): void;
  /** Failures given up on. */
  error(obj: Record<string, unknown>, msg?: string): void;
  /** Every request. */
  debug(obj: Record<string, unknown>, msg?: string): void;
}

export const silentLogger: HaloLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** One HTTP exchange with HaloPSA, reported to `onRequest` (e.g. for metrics). */
export interface HaloRequestEvent {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** HTTP status, or 0 when no response arrived (timeout or network failure). */
  status: number;
  /** Time from sending to the full body (or the failure), by the injected clock. */
  durationMs: number;
}

export type Method = 'GET' | 'POST';

export interface HttpRequest {
  method: Method;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Whether a retry could apply the request twice (POST writes). */
  unsafe: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

type Outcome = HttpResponse | { failure: 'timeout' | 'network'; error: unknown };

/** Settings of a {@link HaloTransport}, resolved by the client. */
export interface HaloTransportOptions {
  budget: RequestBudget;
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff: { baseMs?: number; maxMs?: number; retryAfterCapMs?: number };
  /** Epoch milliseconds. */
  nowMs: () => number;
  sleep: Sleep;
  /** Uniform random in [0, 1) for jitter. */
  random: () => number;
  logger: HaloLogger;
  onRequest?: (event: HaloRequestEvent) => void;
}

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sends requests to HaloPSA; shared by the token source and the API calls of one client. */
export class HaloTransport {
  private requestCount = 0;
  private readonly statusCounts: Record<string, number> = {};

  constructor(private readonly options: HaloTransportOptions) {}

  /** HTTP requests sent (every attempt) and their count by status, `"timeout"` or `"network"`. */
  counters(): { requests: number; byStatus: Record<string, number> } {
    return { requests: this.requestCount, byStatus: { ...this.statusCounts } };
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const { budget, nowMs, maxRetries, logger } = this.options;
    const { method, url } = request;
    const path = url.pathname;
    for (let attempt = 0; ; attempt++) {
      const slot = await budget.acquire();
      const started = nowMs();
      const outcome = await this.exchange(request);
      const durationMs = nowMs() - started;
      await this.settle(slot, request);
      const statusKey = 'status' in outcome ? String(outcome.status) : outcome.failure;
      this.requestCount += 1;
      this.statusCounts[statusKey] = (this.statusCounts[statusKey] ?? 0) + 1;
      const status = 'status' in outcome ? outcome.status : 0;
      this.options.onRequest?.({ method, path, status, durationMs });
      logger.debug({ method, path, status: statusKey, durationMs, attempt }, 'HaloPSA request');

      const retryable = this.retryable(request, outcome);
      if (!retryable) {
        if ('status' in outcome) return outcome;
        throw this.failure(request, outcome, attempt + 1);
      }
      if (attempt >= maxRetries) {
        throw this.failure(request, outcome, attempt + 1);
      }
      const retryAfter =
        'status' in outcome ? parseRetryAfter(outcome.headers.get('retry-after'), nowMs()) : null;
      const delayMs = backoffDelayMs(
        attempt,
        { ...this.options.backoff, random: this.options.random },
        retryAfter,
      );
      logger.warn(
        { method, path, status: statusKey, attempt: attempt + 1, delayMs },
        'HaloPSA request failed; retrying',
      );
      await this.options.sleep(delayMs);
    }
  }

  /** A slot that cannot be settled still counts from its reservation, guarded: log and go on. */
  private async settle(slot: BudgetSlot, request: HttpRequest): Promise<void> {
    try {
      await slot.settle();
    } catch (error) {
      this.options.logger.warn(
        { err: error, method: request.method, path: request.url.pathname },
        'HaloPSA request budget: answered request not recorded',
      );
    }
  }

  private retryable(request: HttpRequest, outcome: Outcome): boolean {
    if ('status' in outcome) {
      if (outcome.status === 429 || outcome.status === 503) return true;
      return outcome.status >= 500 && !request.unsafe;
    }
    if (!request.unsafe) return true;
    // A connection that was never made cannot have applied a write.
    return outcome.failure === 'network' && NEVER_SENT_CODES.has(errorCode(outcome.error) ?? '');
  }

  private failure(request: HttpRequest, outcome: Outcome, attempts: number): Error {
    const context = { method: request.method, path: request.url.pathname, attempts };
    const where = `${request.method} ${request.url.pathname}`;
    if ('status' in outcome) {
      const withStatus = { ...context, status: outcome.status };
      if (outcome.status === 429) {
        return new HaloRateLimitedError(
          `HaloPSA rate limit persisted after ${attempts} attempts (${where})`,
          withStatus,
        );
      }
      return new HaloUnavailableError(
        `HaloPSA answered ${outcome.status} after ${attempts} attempts (${where})`,
        withStatus,
      );
    }
    if (outcome.failure === 'timeout') {
      return new HaloTimeoutError(
        `HaloPSA did not answer within ${this.options.timeoutMs} ms after ${attempts} attempts (${where})`,
        context,
      );
    }
    return new HaloUnavailableError(
      `HaloPSA could not be reached after ${attempts} attempts (${where}): ${errorCode(outcome.error) ?? 'network error'}`,
      { ...context, cause: outcome.error },
    );
  }

  private async exchange(request: HttpRequest): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      return { failure: timedOut ? 'timeout' : 'network', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
