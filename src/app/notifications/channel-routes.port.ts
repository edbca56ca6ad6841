import type { Severity } from '../../domain/delivery/policy';
import type { ConversationRef, NotificationStream } from '../ports/notifications.port';

/** One routing rule: a stream (for one client, or for all when `clientId` is null) → a conversation. */
export interface ConversationRoute {
  stream: NotificationStream;
  clientId: number | null;
  conversation: ConversationRef;
  /**
   * Cards with a severity below this are not posted to the channel (null: all are). Omitted on
   * `upsert`, a re-subscribed route keeps the floor it had.
   */
  severityFloor?: Severity | null;
}

/** Where each notification stream is posted (src/store implements it). */
export interface ChannelRoutes {
  /**
   * Routes the stream to the conversation, replacing any rule for the same stream and client; open
   * escalations stored unrouted move to a newly routed escalations or incidents channel.
   */
  upsert(route: ConversationRoute, createdBy: string | null, now: Date): Promise<void>;
}
