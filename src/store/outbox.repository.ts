import type { Db } from './db';
import { parseJson } from './conversation-routes.repository';
import type { ConversationRef } from '../app/ports/notifications.port';

/** Statuses of an outbox row. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unrouted' | 'superseded';

/** An outbox row as the dispatcher works with it. */
export interface OutboxRow {
  id: number;
  dedupeKey: string;
  kind: string;
  conversation: ConversationRef | null;
  conversationKey: string | null;
  updateOf: string | null;
  /** Set for updates of an activity the outbox did not post itself. */
  targetActivityId: string | null;
  /** The person (Entra object id) a personal row is for; null for channel posts. */
  recipient: string | null;
  /** An update showing a person's decision: sent with new posts, ahead of refreshes. */
  decision: boolean;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  activityId: string | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

const COLUMNS = `id, dedupe_key, kind, conversation, conversation_key, update_of, target_activity_id, recipient, decision, payload, status,
                 attempts, activity_id, last_error, next_attempt_at, delivered_at`;

type RawRow = {
  id: number;
  dedupe_key: string;
  kind: string;
  conversation: unknown;
  conversation_key: string | null;
  update_of: string | null;
  target_activity_id: string | null;
  recipient: string | null;
  decision: boolean | null;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  activity_id: string | null;
  last_error: string | null;
  next_attempt_at: Date | string;
  delivered_at: Date | string | null;
};

function toRow(raw: RawRow): OutboxRow {
  return {
    id: Number(raw.id),
    dedupeKey: raw.dedupe_key,
    kind: raw.kind,
    conversation:
      raw.conversation === null ? null : (parseJson(raw.conversation) as ConversationRef),
    conversationKey: raw.conversation_key,
    updateOf: raw.update_of,
    targetActivityId: raw.target_activity_id,
    recipient: raw.recipient,
    decision: raw.decision === true,
    payload: parseJson(raw.payload),
    status: raw.status,
    attempts: Number(raw.attempts),
    activityId: raw.activity_id,
    lastError: raw.last_error,
    nextAttemptAt: new Date(raw.next_attempt_at),
    deliveredAt: raw.delivered_at === null ? null : new Date(raw.delivered_at),
  };
}

/**
 * New posts (alerts, requests) and updates showing a person's decision (0) before refreshes of posted
 * cards (1). The claim's SQL computes the same as `PRIORITY_SQL`.
 */
const priorityOf = (row: OutboxRow): number =>
  row.decision || (row.updateOf === null && row.targetActivityId === null) ? 0 : 1;

const PRIORITY_SQL = `CASE WHEN decision OR (update_of IS NULL AND target_activity_id IS NULL) THEN 0 ELSE 1 END`;

/**
 * The order claimed rows are sent in: new posts and decisions first, then refreshes; within each,
 * conversations take turns (round-robin: every conversation's first row, then every second, …), so
 * one conversation's backlog never starves another's; within one conversation and priority, oldest
 * first (the order the claim chose them in).
 */
export function inDeliveryOrder(rows: OutboxRow[]): OutboxRow[] {
  const byTime = (a: OutboxRow, b: OutboxRow) =>
    priorityOf(a) - priorityOf(b) ||
    a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
    a.id - b.id;
  const turns = new Map<string, number>();
  const turnOf = new Map<number, number>();
  for (const row of [...rows].sort(byTime)) {
    const key = `${priorityOf(row)}|${row.conversationKey ?? ''}`;
    const turn = (turns.get(key) ?? 0) + 1;
    turns.set(key, turn);
    turnOf.set(row.id, turn);
  }
  return [...rows].sort(
    (a, b) =>
      priorityOf(a) - priorityOf(b) ||
      turnOf.get(a.id)! - turnOf.get(b.id)! ||
      a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
      a.id - b.id,
  );
}

/** The outbox table's queries, per tenant. Every state change is guarded by the claim holder. */
export class OutboxRepository {
  constructor(private readonly tenantId: string) {}

  /**
   * Claims up to `limit` due rows for `holder` until `leaseUntil`: pending rows whose time has come,
   * and `sending` rows whose previous holder's lease ran out (it crashed mid-send). New posts (alerts,
   * requests) and updates showing a person's decision go before refreshes of cards already posted,
   * and within a priority conversations take turns (each row's turn is its rank in its conversation
   * and priority), so a pile of refreshes for one channel never holds back a new escalation for
   * another, nor another channel's refreshes. The
   * chosen rows are locked once with `FOR UPDATE SKIP LOCKED` and updated by a join (an `IN (… FOR
   * UPDATE)` subquery is re-run per row on fresh, unanalysed tables: a second per claim of 500 rows), so
   * concurrent claimers on PostgreSQL never share a row (PGlite has one connection).
   */
  async claim(
    db: Db,
    holder: string,
    now: Date,
    leaseUntil: Date,
    limit: number,
    excludeConversationKeys: readonly string[],
  ): Promise<OutboxRow[]> {
    const rows = await db.query<RawRow>(
      `WITH due AS (
         SELECT id, next_attempt_at, ${PRIORITY_SQL} AS priority,
                row_number() OVER (
                  PARTITION BY conversation_key, ${PRIORITY_SQL}
                  ORDER BY next_attempt_at, id) AS turn
           FROM outbox
          WHERE tenant_id = $1
            AND ((status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND claimed_until <= $3))
            AND NOT (conversation_key = ANY($6::text[]))
       ), chosen AS MATERIALIZED (
         SELECT id FROM due ORDER BY priority, turn, next_attempt_at, id LIMIT $5
       ), locked AS MATERIALIZED (
         SELECT o.id AS locked_id FROM outbox o JOIN chosen c ON c.id = o.id
          WHERE o.tenant_id = $1
          FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE outbox SET status = 'sending', claimed_by = $2, claimed_until = $4, attempts = attempts + 1
         FROM locked
        WHERE tenant_id = $1 AND id = locked.locked_id
        RETURNING ${COLUMNS}`,
      [
        this.tenantId,
        holder,
        now.toISOString(),
        leaseUntil.toISOString(),
        limit,
        [...excludeConversationKeys],
      ],
    );
    return inDeliveryOrder(rows.map(toRow));
  }

  /** Records a delivered row with the connector's activity id. */
  async markSent(
    db: Db,
    id: number,
    holder: string,
    activityId: string,
    now: Date,
  ): Promise<boolean> {
    const rows = await db.query(
      `UPDATE outbox SET status = 'sent', activity_id = $4, delivered_at = $5, claimed_by = NULL,
              claimed_until = NULL, last_error = NULL
        WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3 RETURNING id`,
      [this.tenantId, id, holder, activityId, now.toISOString()],
    );
    return rows.length > 0;
  }

  /** Puts a claimed row back to wait until `at`; `countAttempt` false when it was never tried. */
  async reschedule(
    db: Db,
    ids: readonly number[],
    holder: string,
    at: Date,
    error: string | null,
    countAttempt: boolean,
  ): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $4, claimed_by = NULL, claimed_until = NULL,
              last_error = COALESCE($5, last_error),
              attempts = CASE WHEN $6 THEN attempts ELSE GREATEST(attempts - 1, 0) END
        WHERE tenant_id = $1 AND id = ANY($2::bigint[]) AND claimed_by = $3`,
      [this.tenantId, [...ids], holder, at.toISOString(), error, countAttempt],
    );
  }

  /**
   * Ends a claimed row without delivery: `failed` (gave up), `superseded` (a newer update exists) or
   * `unrouted` (its person cannot be reached until they install the app).
   */
  async finish(
    db: Db,
    id: number,
    holder: string,
    status: 'failed' | 'superseded' | 'unrouted',
    error: string,
  ): Promise<void> {
    await db.query(
      `UPDATE outbox SET status = $4, last_error = $5, claimed_by = NULL, claimed_until = NULL
        WHERE tenant_id = $1 AND id = $2 AND claimed_by = $3`,
      [this.tenantId, id, holder, status, error],
    );
  }

  /** The row with this dedupe key, if any. */
  async byDedupeKey(db: Db, dedupeKey: string): Promise<OutboxRow | null> {
    const rows = await db.query<RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1 AND dedupe_key = $2`,
      [this.tenantId, dedupeKey],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** True when a newer update of the same original post exists (this one would overwrite it). */
  async hasNewerUpdate(db: Db, row: OutboxRow): Promise<boolean> {
    const rows = await db.query(
      `SELECT 1 FROM outbox WHERE tenant_id = $1 AND update_of = $2 AND id > $3
          AND status IN ('pending', 'sending', 'sent') LIMIT 1`,
      [this.tenantId, row.updateOf, row.id],
    );
    return rows.length > 0;
  }

  /** The earliest time a pending or leased row becomes due, ignoring the excluded conversations. */
  async nextDueAt(db: Db, excludeConversationKeys: readonly string[]): Promise<Date | null> {
    const rows = await db.query<{ at: Date | string | null }>(
      `SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE claimed_until END) AS at
         FROM outbox
        WHERE tenant_id = $1 AND status IN ('pending', 'sending')
          AND NOT (conversation_key = ANY($2::text[]))`,
      [this.tenantId, [...excludeConversationKeys]],
    );
    const at = rows[0]?.at ?? null;
    return at === null ? null : new Date(at);
  }

  /** Conversations with work waiting (pending or leased), for wake-up planning. */
  async waitingConversationKeys(db: Db): Promise<string[]> {
    const rows = await db.query<{ conversation_key: string }>(
      `SELECT DISTINCT conversation_key FROM outbox
        WHERE tenant_id = $1 AND status IN ('pending', 'sending') AND conversation_key IS NOT NULL`,
      [this.tenantId],
    );
    return rows.map((row) => row.conversation_key);
  }

  /** Deliveries since `since`, to seed the rate limiter when this instance becomes the dispatcher. */
  async deliveriesSince(db: Db, since: Date): Promise<{ conversationKey: string; at: Date }[]> {
    const rows = await db.query<{ conversation_key: string; delivered_at: Date | string }>(
      `SELECT conversation_key, delivered_at FROM outbox
        WHERE tenant_id = $1 AND delivered_at > $2 AND conversation_key IS NOT NULL
        ORDER BY delivered_at`,
      [this.tenantId, since.toISOString()],
    );
    return rows.map((row) => ({
      conversationKey: row.conversation_key,
      at: new Date(row.delivered_at),
    }));
  }

  /**
   * Takes or renews the tenant's dispatcher lease. When another live instance holds it, says until
   * when (the earliest moment to try again).
   */
  async acquireLease(
    db: Db,
    holder: string,
    now: Date,
    until: Date,
  ): Promise<{ held: true } | { held: false; heldUntil: Date }> {
    const rows = await db.query(
      `INSERT INTO outbox_dispatch_lease (tenant_id, holder, expires_at) VALUES ($1, $2, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET holder = $2, expires_at = $4
        WHERE outbox_dispatch_lease.holder = $2 OR outbox_dispatch_lease.expires_at <= $3
       RETURNING holder`,
      [this.tenantId, holder, now.toISOString(), until.toISOString()],
    );
    if (rows.length > 0) return { held: true };
    const current = await db.query<{ expires_at: Date | string }>(
      'SELECT expires_at FROM outbox_dispatch_lease WHERE tenant_id = $1',
      [this.tenantId],
    );
    return { held: false, heldUntil: new Date(current[0]?.expires_at ?? now) };
  }

  /** Gives up the lease (clean shutdown), so another instance can take over at once. */
  async releaseLease(db: Db, holder: string): Promise<void> {
    await db.query('DELETE FROM outbox_dispatch_lease WHERE tenant_id = $1 AND holder = $2', [
      this.tenantId,
      holder,
    ]);
  }

  /** Rows by status, oldest first (for the exceptions view and tests). */
  /** Rows that failed for good since `since` (readiness and metrics). */
  async countFailedSince(db: Db, since: Date): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND status = 'failed' AND created_at >= $2`,
      [this.tenantId, since.toISOString()],
    );
    return row?.n ?? 0;
  }

  async list(db: Db, statuses?: readonly OutboxStatus[]): Promise<OutboxRow[]> {
    const rows = await db.query<RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1
          AND ($2::text[] IS NULL OR status = ANY($2::text[])) ORDER BY id`,
      [this.tenantId, statuses ? [...statuses] : null],
    );
    return rows.map(toRow);
  }
}
