/**
 * Reaching one person rather than a channel: the bot's 1:1 conversation with them (installing the
 * app for them first where the tenant allows) and their Teams activity feed. Implemented in `bot/`
 * against Graph and the Bot Connector; the outbox dispatcher calls it for rows with a recipient.
 */
import type { ActivityType, TabPage } from '../../domain/notifications/personal-notices';
import type { ConnectorResult, ConversationRef } from './notifications.port';

/** Outbox kind of an activity-feed row (its payload is an {@link ActivityFeedPayload}). */
export const ACTIVITY_FEED_KIND = 'activity-feed';

/** Payload of an `activity-feed` outbox row. */
export interface ActivityFeedPayload {
  activityType: ActivityType;
  previewText: string;
  templateParameters: Record<string, string>;
  link: TabPage;
}

/** The 1:1 conversation with a person, or why there is none. */
export type PersonalConversationResult =
  | { ok: true; conversation: ConversationRef }
  /** The tenant refused the proactive install: the person must open the recorded say-hi link. */
  | { ok: false; kind: 'not-installed'; sayHiLink: string; message: string }
  | {
      ok: false;
      kind: 'error';
      status: number;
      retryAfterMs: number | null;
      message: string;
    };

/** Delivery to one person, by Entra object id. */
export interface PersonalDeliveryPort {
  /** The stored 1:1 conversation, else installs the bot for the person and creates it. */
  conversationWith(aadObjectId: string): Promise<PersonalConversationResult>;
  /** `POST /users/{id}/teamwork/sendActivityNotification`. */
  notifyActivityFeed(aadObjectId: string, payload: ActivityFeedPayload): Promise<ConnectorResult>;
}

/** What is stored per person about reaching them (the 1:1 conversation, a refused install). */
export interface PersonalConversationRecord {
  aadObjectId: string;
  conversation: ConversationRef | null;
  installState: 'installed' | 'refused';
  sayHiLink: string | null;
}

/** Storage of the per-person conversation (src/store implements it). */
export interface PersonalConversationStore {
  find(aadObjectId: string): Promise<PersonalConversationRecord | null>;
  saveConversation(aadObjectId: string, conversation: ConversationRef): Promise<void>;
  /** Records a refused install once, with the one-time link that lets the person install it. */
  recordRefused(aadObjectId: string, sayHiLink: string): Promise<void>;
}
