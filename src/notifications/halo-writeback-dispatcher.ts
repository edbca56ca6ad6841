import type { GateWritebackIntent } from '../app/gates/gate-writebacks.port';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../store/db';
import { PollingLoop } from '../jobs/polling-loop';
import { realSleep, systemClock, type Clock, type Sleep } from '../shared/clock';

/** The HaloPSA writes the write-back needs (HaloClient implements them; tests use the simulator). */
export interface HaloWriter {
  /** `POST /api/{path}` with a JSON array body; resolves with HaloPSA's answer. */
  post(path: string, records: object[]): Promise<unknown>;
  /** The notes of a ticket or project (`GET /api/Actions?ticket_id=`). */
  actionsOf(ticketId: number): Promise<{ id?: unknown; note?: unknown }[]>;
}

/** Logging the dispatcher needs (pino's shape). */
export interface WritebackLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Test seams at the points where a crash matters. */
export interface WritebackHooks {
  /** After HaloPSA accepted the write, before it is recorded as done. */
  afterPost?: (row: WritebackRow) => Promise<void>;
}

/** A queued HaloPSA write. */
export interface WritebackRow extends GateWritebackIntent {
  id: number;
  status: 'pending' | 'sending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
  haloId: string | null;
}

/** Everything the write-back dispatcher needs. */
export interface HaloWritebackDeps {
  db: Db;
  tenantId: string;
  instanceId: string;
  writer: HaloWriter;
  audit: AuditLog;
  logger: WritebackLogger;
  clock?: Clock;
  sleep?: Sleep;
  /** How long a claim lasts (default 60 s): a crashed sender's rows are re-claimed after it. */
  leaseMs?: number;
  /** Attempts before a row is given up as `failed` (default 8). */
  maxAttempts?: number;
  /** Longest wait between polls in the background loop (default 5 s). */
  pollMs?: number;
  /**
   * How long the loop waits for pokes to stop before it wakes (default 20 ms): the work a burst of
   * clicks queues is done after their answers, in one cycle (`PollingLoop`'s `pokeQuietMs`).
   */
  pokeQuietMs?: number;
  hooks?: WritebackHooks;
}

type Raw = {
  id: number | string;
  dedupe_key: string;
  kind: 'note' | 'milestone-complete';
  subject_type: string;
  subject_id: string;
  ticket_id: number | string;
  payload: unknown;
  marker: string;
  status: WritebackRow['status'];
  attempts: number;
  last_error: string | null;
  halo_id: string | null;
};

const COLUMNS = `id, dedupe_key, kind, subject_type, subject_id, ticket_id, payload, marker, status, attempts,
  last_error, halo_id`;

function toRow(raw: Raw): WritebackRow {
  return {
    id: Number(raw.id),
    dedupeKey: raw.dedupe_key,
    kind: raw.kind,
    subjectType: raw.subject_type,
    subjectId: raw.subject_id,
    ticketId: Number(raw.ticket_id),
    payload: (typeof raw.payload === 'string' ? JSON.parse(raw.payload) : raw.payload) as Record<
      string,
      unknown
    >,
    marker: raw.marker,
    status: raw.status,
    attempts: Number(raw.attempts),
    lastError: raw.last_error,
    haloId: raw.halo_id,
  };
}

/**
 * Performs queued HaloPSA writes (decisions as private notes, approved gates' milestones marked
 * complete on the project) after the deciding transaction
 * committed. Each row is claimed under a lease, posted, and marked done with an audit entry in one
 * transaction. Exactly once: a HaloPSA POST is not idempotent, so a row that was claimed before
 * (its sender may have died after HaloPSA applied the write) first looks for its marker among the
 * ticket's notes and is marked done without posting again when it is there. Failures are retried
 * with backoff; the decision itself is never touched.
 */
export class HaloWritebackDispatcher {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly loop: PollingLoop;

  constructor(private readonly deps: HaloWritebackDeps) {
    this.clock = deps.clock ?? systemClock;
    this.sleep = deps.sleep ?? realSleep;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.maxAttempts = deps.maxAttempts ?? 8;
    this.loop = new PollingLoop({
      cycle: async () => {
        const report = await this.runOnce();
        if (report.done + report.retried + report.failed > 0) return 'again';
        return this.nextDueAt();
      },
      pollMs: deps.pollMs ?? 5_000,
      pokeQuietMs: deps.pokeQuietMs ?? 20,
      onError: (error) =>
        deps.logger.error({ tenantId: deps.tenantId, err: error }, 'write-back cycle failed'),
      clock: this.clock,
      sleep: this.sleep,
    });
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Stops the loop after the current cycle. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One cycle: claims due rows and performs them; returns how many were done, retried, failed. */
  async runOnce(): Promise<{ done: number; retried: number; failed: number }> {
    const report = { done: 0, retried: 0, failed: 0 };
    for (const row of await this.claim()) {
      const outcome = await this.perform(row);
      report[outcome] += 1;
    }
    return report;
  }

  /** Runs cycles until nothing is due, advancing the injected sleep to retry times. */
  async drain(maxCycles = 100): Promise<{ done: number; retried: number; failed: number }> {
    const total = { done: 0, retried: 0, failed: 0 };
    for (let cycle = 0; cycle < maxCycles; cycle++) {
      const report = await this.runOnce();
      total.done += report.done;
      total.retried += report.retried;
      total.failed += report.failed;
      const next = await this.nextDueAt();
      if (next === null) return total;
      const wait = next.getTime() - this.clock.now().getTime();
      if (wait > 0) await this.sleep(wait);
    }
    return total;
  }

  /** Every queued write of the tenant (for tests and the exceptions view). */
  async list(): Promise<WritebackRow[]> {
    const rows = await this.deps.db.query<Raw>(
      `SELECT ${COLUMNS} FROM halo_writebacks WHERE tenant_id = $1 ORDER BY id`,
      [this.deps.tenantId],
    );
    return rows.map(toRow);
  }

  private async claim(): Promise<WritebackRow[]> {
    const now = this.clock.now();
    const rows = await this.deps.db.query<Raw>(
      `UPDATE halo_writebacks SET status = 'sending', claimed_by = $2, claimed_until = $4, attempts = attempts + 1
        WHERE tenant_id = $1 AND id IN (
          SELECT id FROM halo_writebacks
           WHERE tenant_id = $1
             AND ((status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND claimed_until <= $3))
           ORDER BY next_attempt_at, id LIMIT 20 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [
        this.deps.tenantId,
        this.deps.instanceId,
        now.toISOString(),
        new Date(now.getTime() + this.leaseMs).toISOString(),
      ],
    );
    return rows.map(toRow).sort((a, b) => a.id - b.id);
  }

  private async perform(row: WritebackRow): Promise<'done' | 'retried' | 'failed'> {
    const { db, tenantId, instanceId, logger, writer } = this.deps;
    const log = { tenantId, writebackId: row.id, dedupeKey: row.dedupeKey, attempts: row.attempts };
    try {
      let haloId: string | null = null;
      // A milestone completion is an update by id: posting it again is harmless, so only notes
      // (each POST creates one) look for an earlier attempt that reached HaloPSA.
      if (row.kind === 'note' && row.attempts > 1) {
        // A previous attempt may have reached HaloPSA before its sender died or timed out.
        const existing = (await writer.actionsOf(row.ticketId)).find(
          (action) => typeof action.note === 'string' && action.note.includes(row.marker),
        );
        if (existing) haloId = String(existing.id ?? '');
      }
      const already = haloId !== null;
      if (!already) {
        const answer = await writer.post(
          row.kind === 'milestone-complete' ? 'Projects' : 'Actions',
          [row.payload],
        );
        const created = (Array.isArray(answer) ? answer[0] : answer) as { id?: unknown } | null;
        haloId = created?.id === undefined ? '' : String(created.id);
        await this.deps.hooks?.afterPost?.(row);
      }
      await db.transaction(async (tx) => {
        const updated = await tx.query(
          `UPDATE halo_writebacks SET status = 'done', done_at = $4, halo_id = $5, claimed_by = NULL,
                  claimed_until = NULL, last_error = NULL
            WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3 RETURNING id`,
          [tenantId, row.id, instanceId, this.clock.now().toISOString(), haloId],
        );
        if (updated.length === 0) return;
        await this.deps.audit.append(tx, {
          subjectType: row.subjectType,
          subjectId: row.subjectId,
          action: `${row.subjectType}.writeback.done`,
          actor: null,
          detail: { kind: row.kind, ticketId: row.ticketId, haloActionId: haloId, found: already },
        });
      });
      return 'done';
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      if (row.attempts >= this.maxAttempts) {
        logger.error({ ...log, err: error }, 'HaloPSA write-back failed for good');
        await db.transaction(async (tx) => {
          await tx.query(
            `UPDATE halo_writebacks SET status = 'failed', last_error = $4, claimed_by = NULL, claimed_until = NULL
              WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3`,
            [tenantId, row.id, instanceId, message],
          );
          await this.deps.audit.append(tx, {
            subjectType: row.subjectType,
            subjectId: row.subjectId,
            action: `${row.subjectType}.writeback.failed`,
            actor: null,
            detail: {
              kind: row.kind,
              ticketId: row.ticketId,
              error: message,
              attempts: row.attempts,
            },
          });
        });
        return 'failed';
      }
      const delayMs = Math.min(3_600_000, 2_000 * 2 ** (row.attempts - 1));
      logger.warn({ ...log, err: error, delayMs }, 'HaloPSA write-back will be retried');
      await db.query(
        `UPDATE halo_writebacks SET status = 'pending', next_attempt_at = $4, last_error = $5, claimed_by = NULL,
                claimed_until = NULL
          WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3`,
        [
          tenantId,
          row.id,
          instanceId,
          new Date(this.clock.now().getTime() + delayMs).toISOString(),
          message,
        ],
      );
      return 'retried';
    }
  }

  private async nextDueAt(): Promise<Date | null> {
    const rows = await this.deps.db.query<{ at: Date | string | null }>(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE claimed_until END) AS at
         FROM halo_writebacks WHERE tenant_id = $1 AND status IN ('pending', 'sending')`,
      [this.deps.tenantId],
    );
    const at = rows[0]?.at ?? null;
    return at === null ? null : new Date(at);
  }
}

/** Adapts a HaloPSA client (`post`, `listAll`) to the write-back's port. */
export function haloWriterOf(client: {
  post(path: string, records: object[]): Promise<unknown>;
  listAll(
    resource: 'actions',
    params: Record<string, string | number | boolean>,
  ): Promise<unknown[]>;
}): HaloWriter {
  return {
    post: (path, records) => client.post(path, records),
    actionsOf: async (ticketId) =>
      (await client.listAll('actions', { ticket_id: ticketId })) as {
        id?: unknown;
        note?: unknown;
      }[],
  };
}
