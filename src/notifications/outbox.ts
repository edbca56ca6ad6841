import type { Db } from '../store/db';
import { ConversationRoutesRepository, parseJson } from '../store/conversation-routes.repository';
import {
  conversationKey,
  type ConversationRef,
  type EnqueueResult,
  type NotificationIntent,
  type NotificationStream,
  type Outbox,
} from '../app/ports/notifications.port';
import type { Clock } from '../shared/clock';
import { PersonalNotificationsRepository } from '../store/personal-notifications.repository';
import { enqueueForPeople } from './personal-fanout';

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
  if (intent.target && 'people' in intent.target) {
    return enqueueForPeople(tx, tenantId, intent, intent.target.people, now);
  }
  let payload = intent.payload ?? null;
  if (intent.mentionAgentId != null && typeof payload === 'object' && payload !== null) {
    const person = await new PersonalNotificationsRepository(tenantId).personOfAgent(
      tx,
      intent.mentionAgentId,
    );
    // The renderer turns this into `<at>Name</at>` and the card's mention entity.
    if (person !== null) payload = { ...payload, mention: person };
  }
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
      JSON.stringify(payload),
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
