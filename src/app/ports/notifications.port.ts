import type { PersonalNotice } from '../../domain/notifications/personal-notices';

/**
 * The SDK-free vocabulary of proactive delivery: where a notification goes, what is sent, the outbox
 * use cases write to, and the connector the Teams adapter implements. Nothing here imports botbuilder.
 */

import type { Severity } from '../../domain/delivery/policy';

/** Notification streams an admin can route to a channel with `/subscribe`. */
export type NotificationStream = 'escalations' | 'gates' | 'renewals' | 'reports' | 'incidents';

/** Every stream, in the order help texts list them. */
export const NOTIFICATION_STREAMS: readonly NotificationStream[] = [
  'escalations',
  'gates',
  'renewals',
  'reports',
  'incidents',
];

/** Where a proactive message goes: enough of a Bot Framework conversation reference to post into it. */
export interface ConversationRef {
  /** The Bot Connector base URL for this conversation (from the activity that created the route). */
  serviceUrl: string;
  /** Conversation id; for a channel, the channel's top-level id (a new post, not a thread reply). */
  conversationId: string;
  /** Bot Framework channel id, `msteams` in Teams. */
  channelId: string;
  /** Entra tenant of the conversation, when known. */
  tenantId: string | null;
  /** The bot's id in that conversation (`28:…` in Teams), when known. */
  botId: string | null;
  /** `channel`, `groupChat` or `personal`. */
  conversationType: string;
  /** A readable name for logs and confirmations ("General"), when known. */
  label: string | null;
}

/** One Adaptive Card (or other) attachment. */
export interface OutboundAttachment {
  contentType: string;
  content: unknown;
}

/** A message activity as the connector receives it (a subset of the Bot Framework schema). */
export interface OutboundActivity {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: OutboundAttachment[];
  /** Mentions (`{type: 'mention', text: '<at>Name</at>', mentioned: {id, name}}`) named in `text`. */
  entities?: Array<Record<string, unknown>>;
  channelData?: Record<string, unknown>;
}

/** What the connector answered: the posted activity id, or a failure with what is needed to retry. */
export type ConnectorResult =
  | { ok: true; activityId: string }
  | {
      ok: false;
      /** HTTP status, or 0 when the request never got an answer (network error, timeout). */
      status: number;
      /** From `Retry-After`, in milliseconds, when the connector sent one. */
      retryAfterMs: number | null;
      message: string;
    };

/** Sends and updates activities in a conversation (implemented in `bot/` against the Bot Connector). */
export interface ConnectorPort {
  /** Posts a new activity into the conversation (`POST /v3/conversations/{id}/activities`). */
  send(conversation: ConversationRef, activity: OutboundActivity): Promise<ConnectorResult>;
  /** Replaces a posted activity (`PUT /v3/conversations/{id}/activities/{activityId}`). */
  update(
    conversation: ConversationRef,
    activityId: string,
    activity: OutboundActivity,
  ): Promise<ConnectorResult>;
}

/** Turns an outbox payload into the activity to send, or says why it cannot. */
export type RenderResult = { ok: true; activity: OutboundActivity } | { ok: false; reason: string };

/** Renders outbox payloads by kind (implemented in `bot/` with the card builders). */
export interface ActivityRenderer {
  render(kind: string, payload: unknown): RenderResult;
}

/** The key the rate limiter and the outbox use for one conversation. */
export function conversationKey(conversation: ConversationRef): string {
  return `${conversation.serviceUrl.replace(/\/+$/, '')}|${conversation.conversationId}`;
}

/**
 * Where a notification goes: the routed channel of a stream (first routed stream wins), a fixed
 * conversation, or the people a personal notice names (one 1:1 message and one activity-feed row
 * per person, each with its own dedupe key `<dedupeKey>@<object id>`).
 */
export type NotificationTarget =
  | { streams: readonly NotificationStream[]; clientId: number | null }
  | { conversation: ConversationRef }
  | { people: PersonalNotice };

/**
 * A decision to notify, written to the outbox in the deciding transaction. The dedupe key makes the
 * write idempotent: enqueueing the same key twice stores one row (re-evaluations do not re-post).
 */
export interface NotificationIntent {
  /** Unique per tenant, e.g. `escalation:42:opened` or `escalation:42:v3`. */
  dedupeKey: string;
  /** How the renderer turns `payload` into an activity (e.g. `escalation`, `weekly-report`). */
  kind: string;
  payload: unknown;
  /** New posts: where to. Ignored for updates, which go where the original went. */
  target?: NotificationTarget;
  /** A channel post: the person to @mention on the card (the item's owner, a HaloPSA agent). */
  mentionAgentId?: number | null;
  /** For an in-place update: the dedupe key of the post it replaces. */
  updateOf?: string;
  /** For an in-place update of an activity the outbox did not post (e.g. the card a person clicked). */
  updateActivity?: { conversation: ConversationRef; activityId: string };
  /**
   * The update shows a person's decision (approve, acknowledge, a concession's answer): the
   * dispatcher sends it with new posts, ahead of refreshes that only re-render an evaluation's or a
   * timer's change. New posts go first without it.
   */
  decision?: boolean;
  /**
   * How severe the item is (escalations). A channel's severity floor holds back a card below it
   * (and its updates) until an update reaches the floor; without a severity a card always posts.
   */
  severity?: Severity;
}

/** What enqueue did. */
export type EnqueueResult =
  | { status: 'queued'; id: number }
  | { status: 'duplicate' }
  | { status: 'unrouted'; id: number; reason: string }
  /** Stored, not posted: below the routed channel's severity floor (still visible in the tab). */
  | { status: 'below-floor'; id: number; floor: Severity }
  /** A personal notice whose audience is nobody (no role holder, no signed-in owner): nothing stored. */
  | { status: 'nobody'; reason: string };

/**
 * The outbox as a use case sees it, bound to the deciding transaction: a notification written here
 * commits or rolls back with the decision that caused it, and is sent later by the dispatcher.
 */
export interface Outbox {
  enqueue(intent: NotificationIntent): Promise<EnqueueResult>;
}
