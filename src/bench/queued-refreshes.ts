/**
 * The backlog of SPEC §8's "webhook → card with 500 card refreshes already queued in the outbox":
 * updates of cards already posted (what a connector outage or a busy approval round leaves behind),
 * spread over the channels that carry them. The bench tops the backlog up before each webhook, so
 * every sample meets the full queue rather than what the dispatcher left of it.
 */
import { conversationKey, type ConversationRef } from '../app/ports/notifications.port';
import { enqueue } from '../notifications/outbox';
import type { Db } from '../store/db';

/** Where the refreshes go and what they carry. */
export interface RefreshBacklog {
  tenantId: string;
  /** The conversations whose posted cards are refreshed, in turn. */
  conversations: readonly ConversationRef[];
  /** The card every refresh carries (a posted card's kind and payload). */
  card: { kind: string; payload: unknown };
}

/** Pending refreshes of the backlog's conversations. */
export async function pendingRefreshes(db: Db, backlog: RefreshBacklog): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox
      WHERE tenant_id = $1 AND status IN ('pending', 'sending') AND target_activity_id IS NOT NULL
        AND conversation_key = ANY($2::text[])`,
    [backlog.tenantId, backlog.conversations.map(conversationKey)],
  );
  return row?.n ?? 0;
}

/**
 * Queues refreshes until `target` are pending in the backlog's conversations; returns how many it
 * added. Each refresh updates its own posted activity, so none supersedes another.
 */
export async function topUpRefreshes(
  db: Db,
  backlog: RefreshBacklog,
  target: number,
  now: Date,
): Promise<number> {
  if (backlog.conversations.length === 0) throw new Error('a refresh backlog needs a conversation');
  const missing = target - (await pendingRefreshes(db, backlog));
  const [last] = await db.query<{ id: number | string | null }>(
    'SELECT max(id) AS id FROM outbox WHERE tenant_id = $1',
    [backlog.tenantId],
  );
  const base = Number(last?.id ?? 0);
  for (let i = 0; i < missing; i += 1) {
    const conversation = backlog.conversations[i % backlog.conversations.length]!;
    await enqueue(
      db,
      backlog.tenantId,
      {
        dedupeKey: `bench-refresh:${base}:${i}`,
        kind: backlog.card.kind,
        payload: backlog.card.payload,
        updateActivity: { conversation, activityId: `bench-card-${base}-${i}` },
      },
      now,
    );
  }
  return Math.max(0, missing);
}
