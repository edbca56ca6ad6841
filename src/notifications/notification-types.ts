/**
 * The SDK-free vocabulary of proactive delivery: where a notification goes, what is sent, and the
 * port the Teams adapter implements to send it. Nothing here imports botbuilder.
 */

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

/** The wall clock, injected so tests control time. */
export interface Clock {
  now(): Date;
}

/** Waits `ms` milliseconds (or until `signal` aborts), injected so tests never really sleep. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A real sleep that resolves early, without error, when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The key the rate limiter and the outbox use for one conversation. */
export function conversationKey(conversation: ConversationRef): string {
  return `${conversation.serviceUrl.replace(/\/+$/, '')}|${conversation.conversationId}`;
}
