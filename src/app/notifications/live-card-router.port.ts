import type { ConversationRef } from '../ports/notifications.port';

/**
 * Posts the live cards of a stream decided while nothing was routed (stored unrouted) to a newly
 * subscribed channel; answers how many were queued. The renewals feature implements it.
 */
export interface LiveCardRouter {
  routeLiveCards(clientId: number | null, conversation: ConversationRef): Promise<number>;
}
