/**
 * Processes the stored HaloPSA webhook deliveries (issue 16): each delivery id once, even with several
 * instances (rows are claimed with `FOR UPDATE SKIP LOCKED`); deliveries for the same object collapse
 * into one re-read; a burst of many objects becomes one incremental sync (which reads everything
 * changed since the last one) instead of a re-read each; re-reads and those catch-ups spend at most a
 * share of the HaloPSA request budget, so the scheduled sync always progresses; a failed re-read is
 * retried with backoff; whatever was stored and not processed is picked up again after a restart.
 */
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import type { HaloSync, SyncReport } from './halo-sync';

type ChangedKind = 'project' | 'task' | 'ticket';

/** What the worker needs from the composition root. */
export interface WebhookWorkerDeps {
  db: Db;
  tenantId: string;
  /** This process (claims carry it). */
  instanceId: string;
  sync: Pick<HaloSync, 'resyncTicket'>;
  /** One incremental sync (a burst of many objects is caught up this way); its report. */
  catchUp: () => Promise<Pick<SyncReport, 'listings'>>;
  /** The HaloPSA request budget shared with the sync: `total` requests per rolling `windowMs`. */
  budget: { remaining(): number; total: number; windowMs: number; waitMs(): number };
  clock: Clock;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** After a re-read changed the mirror: the delivery engine re-evaluates from here. */
  onTicketChanged: (ticketId: number, kind: ChangedKind) => Promise<void>;
  /** After a catch-up sync: everything is re-evaluated. */
  onCaughtUp: () => Promise<void>;
  /** More distinct objects than this in one claim → one incremental sync instead (default 20). */
  collapseAbove?: number;
  /** Share of the budget webhook re-reads may use (default 0.5): the rest is the sync's. */
  budgetShare?: number;
  /** Attempts before a delivery is given up (default 8). */
  maxAttempts?: number;
}

type Claimed = {
  delivery_id: string;
  object_id: string | number;
  attempts: number;
};

/** The outcome of one cycle, for the polling loop: more to do now, later (when), or nothing. */
export type WebhookCycle = 'again' | Date | null;

export class WebhookWorker {
  private readonly collapseAbove: number;
  private readonly budgetShare: number;
  private readonly maxAttempts: number;
  /**
   * Catch-ups spend from the worker's share too: after one that cost n requests, the next waits
   * until n more fit in the share's rate (n ÷ (share × total) of a window). Until then a burst's
   * deliveries, and any that arrive meanwhile, wait for that one catch-up instead of being re-read.
   */
  private nextCatchUpAt: number | null = null;
  private catchUpPending = false;

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.collapseAbove = deps.collapseAbove ?? 20;
    this.budgetShare = deps.budgetShare ?? 0.5;
    this.maxAttempts = deps.maxAttempts ?? 8;
  }

  /** Processes everything due now (tests and shutdown); returns how many deliveries were processed. */
  async drain(): Promise<number> {
    let processed = 0;
    for (;;) {
      const step = await this.step();
      processed += step.processed;
      if (step.outcome !== 'again') return processed;
    }
  }

  /** Deliveries stored and not yet processed, and the oldest one's age in seconds. */
  async backlog(): Promise<{ count: number; oldestAgeSeconds: number | null }> {
    const [row] = await this.deps.db.query<{ n: number; oldest: string | Date | null }>(
      `SELECT count(*)::int AS n, min(received_at) AS oldest FROM webhook_deliveries
        WHERE tenant_id = $1 AND processed_at IS NULL`,
      [this.deps.tenantId],
    );
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
    return {
      count: row?.n ?? 0,
      oldestAgeSeconds:
        oldest === null ? null : Math.round((this.deps.clock.now().getTime() - oldest) / 1000),
    };
  }

  /** One cycle: claim what is due, process it, say when to come back. */
  async cycle(): Promise<WebhookCycle> {
    return (await this.step()).outcome;
  }

  /** One cycle, and how many deliveries it marked processed (retried ones are not). */
  private async step(): Promise<{ outcome: WebhookCycle; processed: number }> {
    const now = this.deps.clock.now();
    const claimed = await this.claim(now);
    if (claimed.length === 0) return { outcome: await this.nextDue(), processed: 0 };
    const catchUpAt = this.nextCatchUpAt;
    const catchUpWaits = catchUpAt !== null && now.getTime() < catchUpAt;
    // A catch-up is due soon and covers these too: re-reading them would spend the budget twice.
    if (this.catchUpPending && catchUpWaits) return this.waitForCatchUp(claimed, catchUpAt);
    this.catchUpPending = false;
    const byObject = new Map<number, Claimed[]>();
    for (const row of claimed) {
      const id = Number(row.object_id);
      byObject.set(id, [...(byObject.get(id) ?? []), row]);
    }
    if (byObject.size > this.collapseAbove) {
      if (catchUpWaits) return this.waitForCatchUp(claimed, catchUpAt);
      await this.catchUp(claimed);
      return { outcome: 'again', processed: claimed.length };
    }
    let processed = 0;
    const reserve = Math.ceil(this.deps.budget.total * (1 - this.budgetShare));
    for (const [objectId, rows] of [...byObject]) {
      if (this.deps.budget.remaining() <= reserve) {
        // The rest of the budget is the scheduled sync's: hand the claims back and wait.
        const at = new Date(now.getTime() + Math.max(1000, this.deps.budget.waitMs()));
        await this.release([...byObject.values()].flat(), at);
        return { outcome: at, processed };
      }
      processed += await this.reread(objectId, rows);
      byObject.delete(objectId);
    }
    return { outcome: 'again', processed };
  }

  /** Hands `claimed` back until the next catch-up may run; what arrives meanwhile waits for it too. */
  private async waitForCatchUp(
    claimed: Claimed[],
    at: number,
  ): Promise<{ outcome: WebhookCycle; processed: number }> {
    this.catchUpPending = true;
    await this.release(claimed, new Date(at));
    return { outcome: new Date(at), processed: 0 };
  }

  private async claim(now: Date): Promise<Claimed[]> {
    const rows = await this.deps.db.query<Claimed & { received_at: string | Date }>(
      // Locked once and updated by a join (an `IN (… FOR UPDATE)` subquery is re-run per row).
      `WITH locked AS MATERIALIZED (
         SELECT delivery_id AS locked_id FROM webhook_deliveries
          WHERE tenant_id = $1 AND processed_at IS NULL
            AND (next_attempt_at IS NULL OR next_attempt_at <= $3)
            AND (claimed_until IS NULL OR claimed_until <= $3)
          ORDER BY received_at, delivery_id
          LIMIT 500
          FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries SET claimed_by = $2, claimed_until = $4
         FROM locked
        WHERE tenant_id = $1 AND delivery_id = locked.locked_id
        RETURNING delivery_id, object_id, attempts, received_at`,
      [
        this.deps.tenantId,
        this.deps.instanceId,
        now.toISOString(),
        new Date(now.getTime() + 10 * 60_000).toISOString(),
      ],
    );
    // In the order they arrived (the join does not keep the claim's order).
    const at = (r: { received_at: string | Date }) => new Date(r.received_at).getTime();
    return rows.sort((a, b) => at(a) - at(b) || (a.delivery_id < b.delivery_id ? -1 : 1));
  }

  /** Re-reads one object for its deliveries; returns how many of them were marked processed. */
  private async reread(objectId: number, rows: Claimed[]): Promise<number> {
    const ids = rows.map((r) => r.delivery_id);
    try {
      const kind = await this.deps.sync.resyncTicket(objectId);
      await this.markProcessed(ids, null);
      if (kind !== 'invalid' && kind !== 'deleted') await this.deps.onTicketChanged(objectId, kind);
      this.deps.logger.info(
        { tenantId: this.deps.tenantId, objectId, deliveries: ids.length, kind },
        'halo webhook processed',
      );
      return ids.length;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
      const givenUp = attempts >= this.maxAttempts;
      if (givenUp) {
        await this.markProcessed(ids, `gave up after ${attempts} attempts: ${message}`);
      } else {
        const delay = Math.min(600_000, 5_000 * 2 ** (attempts - 1));
        await this.deps.db.query(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, error = $3, claimed_by = NULL,
                  claimed_until = NULL, next_attempt_at = $4
            WHERE tenant_id = $1 AND delivery_id = ANY($2::text[])`,
          [
            this.deps.tenantId,
            ids,
            message.slice(0, 500),
            new Date(this.deps.clock.now().getTime() + delay).toISOString(),
          ],
        );
      }
      this.deps.logger.warn(
        { tenantId: this.deps.tenantId, objectId, attempts, err: message },
        'halo webhook re-read failed',
      );
      return givenUp ? ids.length : 0;
    }
  }

  /** A burst: one incremental sync covers every object changed since the last one. */
  private async catchUp(claimed: Claimed[]): Promise<void> {
    const ids = claimed.map((r) => r.delivery_id);
    try {
      const report = await this.deps.catchUp();
      const { total, windowMs } = this.deps.budget;
      const spent = Object.values(report.listings).reduce(
        (sum, l) => sum + l.pages + l.detailReads,
        0,
      );
      this.nextCatchUpAt =
        this.deps.clock.now().getTime() +
        Math.ceil((spent * windowMs) / (this.budgetShare * total));
      await this.markProcessed(ids, null);
      await this.deps.onCaughtUp();
      this.deps.logger.info(
        { tenantId: this.deps.tenantId, deliveries: ids.length },
        'halo webhook burst caught up by an incremental sync',
      );
    } catch (error) {
      await this.release(claimed, new Date(this.deps.clock.now().getTime() + 30_000));
      throw error;
    }
  }

  private async markProcessed(ids: string[], error: string | null): Promise<void> {
    await this.deps.db.query(
      `UPDATE webhook_deliveries SET processed_at = $3, error = $4, claimed_by = NULL, claimed_until = NULL
        WHERE tenant_id = $1 AND delivery_id = ANY($2::text[])`,
      [this.deps.tenantId, ids, this.deps.clock.now().toISOString(), error],
    );
  }

  private async release(rows: Claimed[], at: Date): Promise<void> {
    await this.deps.db.query(
      `UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL, next_attempt_at = $3
        WHERE tenant_id = $1 AND delivery_id = ANY($2::text[]) AND processed_at IS NULL`,
      [this.deps.tenantId, rows.map((r) => r.delivery_id), at.toISOString()],
    );
  }

  /** When the earliest unprocessed delivery may be claimed: retry time and claim, whichever is later. */
  private async nextDue(): Promise<Date | null> {
    const [row] = await this.deps.db.query<{ at: string | Date | null }>(
      // greatest() skips NULLs: a delivery never tried nor claimed is due when it arrived.
      `SELECT min(coalesce(greatest(next_attempt_at, claimed_until), received_at)) AS at
         FROM webhook_deliveries WHERE tenant_id = $1 AND processed_at IS NULL`,
      [this.deps.tenantId],
    );
    return row?.at ? new Date(row.at) : null;
  }
}
