/**
 * The request log of a process without a database (replay, CLIs, tests): the budget then holds
 * across nothing but its own lifetime.
 */
import type { LoggedRequest, RequestLog } from './request-log.port';

export class InMemoryRequestLog implements RequestLog {
  private readonly requests = new Map<string, number>();

  async since(sinceMs: number): Promise<LoggedRequest[]> {
    return [...this.requests]
      .filter(([, atMs]) => atMs >= sinceMs)
      .map(([id, atMs]) => ({ id, atMs }));
  }

  async record(request: LoggedRequest, forgetBeforeMs?: number): Promise<void> {
    this.requests.set(
      request.id,
      Math.max(request.atMs, this.requests.get(request.id) ?? -Infinity),
    );
    if (forgetBeforeMs === undefined) return;
    for (const [id, atMs] of this.requests) if (atMs < forgetBeforeMs) this.requests.delete(id);
  }
}
