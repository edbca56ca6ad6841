import type { ConversationRef } from '../ports/notifications.port';

/** The renewal cards waiting in the outbox with no channel to go to. */
export interface LiveRenewalCards {
  /**
   * Routes to `conversation` the unrouted cards (of `clientId`, or every client) that are still live:
   * stage cards of open stages on contracts not yet ended, concession cards still pending. Returns
   * how many were routed.
   */
  routeUnrouted(clientId: number | null, conversation: ConversationRef, now: Date): Promise<number>;
}
