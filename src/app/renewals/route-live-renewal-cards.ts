/**
 * A channel newly subscribed to the renewals stream receives what is still live: the stage and
 * concession cards queued while nothing was routed.
 */
import type { Clock } from '../../shared/clock';
import type { LiveCardRouter } from '../notifications/live-card-router.port';
import type { ConversationRef } from '../ports/notifications.port';
import type { LiveRenewalCards } from './live-renewal-cards.port';

/** Route the live, unrouted renewal cards (of a client, or every client) to a conversation. */
export class RouteLiveRenewalCards implements LiveCardRouter {
  constructor(private readonly deps: { cards: LiveRenewalCards; clock: Clock }) {}

  /** How many cards were routed (the subscriber signals the outbox when any were). */
  async routeLiveCards(clientId: number | null, conversation: ConversationRef): Promise<number> {
    return this.deps.cards.routeUnrouted(clientId, conversation, this.deps.clock.now());
  }
}
