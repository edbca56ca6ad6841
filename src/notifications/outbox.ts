import type { Db } from '../store/db';
import { ConversationRoutesRepository, parseJson } from './conversation-routes.repository';
import {
  conversationKey,
  type ConversationRef,
  type EnqueueResult,
  type NotificationIntent,
  type NotificationStream,
  type Outbox,
} from '../app/ports/notifications.port';
import type { Clock } from '../shared/clock';

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
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  activityId: string | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

/** The outbox port bound to a transaction `tx`: what use cases write notifications to. */
export function outboxOn(tx: Db, tenantId: string, clock: Clock): Outbox {
  return { enqueue: (intent) => enqueue(tx, tenantId, intent, clock.now()) };
}

/**
 * Writes a notification into the outbox using the caller's transaction `tx`, so it commits or rolls
 * back with the decision that caused it. Routing is resolved now (a later `/subscribe` does not move
 * already-decided notifications); with no route the row is kept as `unrouted` for the exceptions view.
 */
export async function enqueue(
  tx: Db,
  tenantId: string,
  intent: NotificationIntent,
  now: Date,
): Promise<EnqueueResult> {
  let conversation: ConversationRef | null = null;
  let stream: NotificationStream | null = null;
  let clientId: number | null = null;
  let unroutedReason: string | null = null;

  let targetActivityId: string | null = null;
  let updateOf: string | null = intent.updateOf ?? null;
  if (intent.updateActivity !== undefined) {
    conversation = intent.updateActivity.conversation;
    targetActivityId = intent.updateActivity.activityId;
    // Updates of one activity supersede each other in order, like updates of one outbox post.
    updateOf = `activity:${conversationKey(conversation)}:${targetActivityId}`;
  } else if (intent.updateOf !== undefined) {
    const original = await tx.query<{ conversation: unknown }>(
      'SELECT conversation FROM outbox WHERE tenant_id = $1 AND dedupe_key = $2',
      [tenantId, intent.updateOf],
    );
    const found = original[0];
    if (found && found.conversation !== null) {
      conversation = parseJson(found.conversation) as ConversationRef;
    } else {
      unroutedReason = `the post ${intent.updateOf} it updates was never routed`;
    }
  } else if (intent.target && 'conversation' in intent.target) {
    conversation = intent.target.conversation;
  } else if (intent.target) {
    clientId = intent.target.clientId;
    const route = await new ConversationRoutesRepository(tenantId).resolve(
      tx,
      intent.target.streams,
      clientId,
    );
    stream = route?.stream ?? intent.target.streams[0] ?? null;
    conversation = route?.conversation ?? null;
    if (!route) {
      unroutedReason = `no channel subscribed to ${intent.target.streams.join(' or ')}${
        clientId === null ? '' : ` for client ${clientId}`
      }`;
    }
  } else {
    unroutedReason = 'the intent has neither a target nor an original post';
  }

  const rows = await tx.query<{ id: number }>(
    `INSERT INTO outbox (tenant_id, dedupe_key, kind, stream, client_id, conversation, conversation_key,
                         update_of, target_activity_id, payload, status, next_attempt_at, last_error, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $13, $9, $10, $11, $12, $11)
     ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
     RETURNING id`,
    [
      tenantId,
      intent.dedupeKey,
      intent.kind,
      stream,
      clientId,
      conversation === null ? null : JSON.stringify(conversation),
      conversation === null ? null : conversationKey(conversation),
      updateOf,
      JSON.stringify(intent.payload ?? null),
      conversation === null ? 'unrouted' : 'pending',
      now.toISOString(),
      unroutedReason,
      targetActivityId,
    ],
  );
  const row = rows[0];
  if (!row) return { status: 'duplicate' };
  const id = Number(row.id);
  return unroutedReason === null
    ? { status: 'queued', id }
    : { status: 'unrouted', id, reason: unroutedReason };
}

const COLUMNS = `id, dedupe_key, kind, conversation, conversation_key, update_of, target_activity_id, payload, status, attempts,
                 activity_id, last_error, next_attempt_at, delivered_at`;

type RawRow = {
  id: number;
  dedupe_key: string;
  kind: string;
  conversation: unknown;
  conversation_key: string | null;
  update_of: string | null;
  target_activity_id: string | null;
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
    payload: parseJson(raw.payload),
    status: raw.status,
    attempts: Number(raw.attempts),
    activityId: raw.activity_id,
    lastError: raw.last_error,
    nextAttemptAt: new Date(raw.next_attempt_at),
    deliveredAt: raw.delivered_at === null ? null : new Date(raw.delivered_at),
  };
}

/** The outbox table's queries, per tenant. Every state change is guarded by the claim holder. */
export class OutboxRepository {
  constructor(private readonly tenantId: string) {}

  /**
   * Claims up to `limit` due rows for `holder` until `leaseUntil`: pending rows whose time has come,
   * and `sending` rows whose previous holder's lease ran out (it crashed mid-send). One statement with
   * `FOR UPDATE SKIP LOCKED`, so concurrent claimers on PostgreSQL never share a row (PGlite has one
   * connection, where the statement is trivially atomic).
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
      `UPDATE outbox SET status = 'sending', claimed_by = $2, claimed_until = $4, attempts = attempts + 1
        WHERE tenant_id = $1 AND id IN (
          SELECT id FROM outbox
           WHERE tenant_id = $1
             AND ((status = 'pending' AND next_attempt_at <= $3) OR (status = 'sending' AND claimed_until <= $3))
             AND NOT (conversation_key = ANY($6::text[]))
           ORDER BY next_attempt_at, id
           LIMIT $5
           FOR UPDATE SKIP LOCKED)
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
    return rows
      .map(toRow)
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
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

  /** Ends a claimed row without delivery: `failed` (gave up) or `superseded` (a newer update exists). */
  async finish(
    db: Db,
    id: number,
    holder: string,
    status: 'failed' | 'superseded',
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
  async list(db: Db, statuses?: readonly OutboxStatus[]): Promise<OutboxRow[]> {
    const rows = await db.query<RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1
          AND ($2::text[] IS NULL OR status = ANY($2::text[])) ORDER BY id`,
      [this.tenantId, statuses ? [...statuses] : null],
    );
    return rows.map(toRow);
  }
}
