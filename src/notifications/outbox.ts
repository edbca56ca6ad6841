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
import { belowSeverityFloor, type Severity } from '../domain/delivery/policy';
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
 * A new card whose severity is below the routed channel's floor is stored held back (`superseded`,
 * never sent; the item stays in the tab) until an update of it reaches the floor.
 */
export async function enqueue(
  tx: Db,
  tenantId: string,
  requested: NotificationIntent,
  now: Date,
): Promise<EnqueueResult> {
  if (requested.target && 'people' in requested.target) {
    return enqueueForPeople(tx, tenantId, requested, requested.target.people, now);
  }
  const intent = await withMention(tx, tenantId, requested);
  let conversation: ConversationRef | null = null;
  let stream: NotificationStream | null = null;
  let clientId: number | null = null;
  let unroutedReason: string | null = null;

  let targetActivityId: string | null = null;
  let updateOf: string | null = intent.updateOf ?? null;
  let floor: Severity | null = null;
  if (intent.updateActivity !== undefined) {
    conversation = intent.updateActivity.conversation;
    targetActivityId = intent.updateActivity.activityId;
    // Updates of one activity supersede each other in order, like updates of one outbox post.
    updateOf = `activity:${conversationKey(conversation)}:${targetActivityId}`;
  } else if (intent.updateOf !== undefined) {
    const original = await tx.query<OriginalRow>(
      `SELECT id, conversation, status, stream, client_id, last_error FROM outbox
        WHERE tenant_id = $1 AND dedupe_key = $2`,
      [tenantId, intent.updateOf],
    );
    const found = original[0];
    if (found && isHeldBelowFloor(found)) {
      return updateHeldCard(tx, tenantId, intent, found, now);
    }
    if (found && found.conversation !== null) {
      conversation = parseJson(found.conversation) as ConversationRef;
    } else {
      unroutedReason = `the post ${intent.updateOf} it updates was never routed`;
    }
  } else if (intent.target && 'conversation' in intent.target) {
    conversation = intent.target.conversation;
  } else if (intent.target && 'streams' in intent.target) {
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
    } else if (
      intent.severity !== undefined &&
      belowSeverityFloor(intent.severity, route.severityFloor ?? null)
    ) {
      floor = route.severityFloor ?? null;
    }
  } else {
    unroutedReason = 'the intent has neither a target nor an original post';
  }
  if (floor !== null) {
    const id = await insertRow(tx, tenantId, intent, now, {
      stream,
      clientId,
      conversation,
      updateOf,
      targetActivityId,
      status: 'superseded',
      note: `${BELOW_FLOOR} (${floor})`,
    });
    return id === null ? { status: 'duplicate' } : { status: 'below-floor', id, floor };
  }

  const id = await insertRow(tx, tenantId, intent, now, {
    stream,
    clientId,
    conversation,
    updateOf,
    targetActivityId,
    status: conversation === null ? 'unrouted' : 'pending',
    note: unroutedReason,
  });
  if (id === null) return { status: 'duplicate' };
  return unroutedReason === null
    ? { status: 'queued', id }
    : { status: 'unrouted', id, reason: unroutedReason };
}

/** The intent with its payload's `mention` (the renderer's `<at>Name</at>` and mention entity). */
async function withMention(
  tx: Db,
  tenantId: string,
  intent: NotificationIntent,
): Promise<NotificationIntent> {
  const payload = intent.payload ?? null;
  if (intent.mentionAgentId == null || typeof payload !== 'object' || payload === null)
    return intent;
  const person = await new PersonalNotificationsRepository(tenantId).personOfAgent(
    tx,
    intent.mentionAgentId,
  );
  return person === null ? intent : { ...intent, payload: { ...payload, mention: person } };
}

/** The note on a card held back by a channel's severity floor (stored `superseded`, never sent). */
const BELOW_FLOOR = "below the channel's severity floor";

/** The card an update refers to, as `enqueue` reads it. */
type OriginalRow = {
  id: number | string;
  conversation: unknown;
  status: string;
  stream: NotificationStream | null;
  client_id: number | string | null;
  last_error: string | null;
};

function isHeldBelowFloor(row: OriginalRow): boolean {
  return row.status === 'superseded' && (row.last_error ?? '').startsWith(BELOW_FLOOR);
}

/**
 * An update of a card the severity floor held back: once the update's severity reaches the
 * channel's floor (as routed now), the card itself is posted with the update's content and later
 * updates edit it; below the floor the update is stored held back too. Updates without a severity
 * (a person's action on a copy of the card) never post a held card.
 */
async function updateHeldCard(
  tx: Db,
  tenantId: string,
  intent: NotificationIntent,
  card: OriginalRow,
  now: Date,
): Promise<EnqueueResult> {
  const clientId = card.client_id === null ? null : Number(card.client_id);
  const route =
    card.stream === null
      ? null
      : await new ConversationRoutesRepository(tenantId).resolve(tx, [card.stream], clientId);
  const floor = route?.severityFloor ?? null;
  const reaches = intent.severity !== undefined && !belowSeverityFloor(intent.severity, floor);
  const conversation = route?.conversation ?? (parseJson(card.conversation) as ConversationRef);
  const marker = await insertRow(tx, tenantId, intent, now, {
    stream: card.stream,
    clientId,
    conversation,
    updateOf: intent.updateOf ?? null,
    targetActivityId: null,
    status: 'superseded',
    note: reaches ? `posted as the card it updates` : `${BELOW_FLOOR} (${floor ?? 'none'})`,
  });
  if (marker === null) return { status: 'duplicate' };
  if (!reaches) return { status: 'below-floor', id: marker, floor: floor ?? 'low' };
  await tx.query(
    `UPDATE outbox SET status = 'pending', payload = $3, conversation = $4, conversation_key = $5,
            next_attempt_at = $6, last_error = NULL
      WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      Number(card.id),
      JSON.stringify(intent.payload ?? null),
      JSON.stringify(conversation),
      conversationKey(conversation),
      now.toISOString(),
    ],
  );
  return { status: 'queued', id: Number(card.id) };
}

/** Inserts one outbox row; null when the dedupe key was already stored. */
async function insertRow(
  tx: Db,
  tenantId: string,
  intent: NotificationIntent,
  now: Date,
  row: {
    stream: NotificationStream | null;
    clientId: number | null;
    conversation: ConversationRef | null;
    updateOf: string | null;
    targetActivityId: string | null;
    status: 'pending' | 'unrouted' | 'superseded';
    note: string | null;
  },
): Promise<number | null> {
  const rows = await tx.query<{ id: number }>(
    `INSERT INTO outbox (tenant_id, dedupe_key, kind, stream, client_id, conversation, conversation_key,
                         update_of, target_activity_id, payload, status, next_attempt_at, last_error, created_at,
                         decision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $13, $9, $10, $11, $12, $11, $14)
     ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
     RETURNING id`,
    [
      tenantId,
      intent.dedupeKey,
      intent.kind,
      row.stream,
      row.clientId,
      row.conversation === null ? null : JSON.stringify(row.conversation),
      row.conversation === null ? null : conversationKey(row.conversation),
      row.updateOf,
      JSON.stringify(intent.payload ?? null),
      row.status,
      now.toISOString(),
      row.note,
      row.targetActivityId,
      intent.decision === true,
    ],
  );
  const inserted = rows[0];
  return inserted ? Number(inserted.id) : null;
}
