/**
 * A channel newly subscribed to the renewals stream receives what is still live: the stage and
 * concession cards queued while nothing was routed.
 */
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { ConversationRef } from '../ports/notifications.port';
import type { LiveRenewalCards } from './live-renewal-cards.port';

/** Route the live, unrouted renewal cards (of a client, or every client) to a conversation. */
export class RouteLiveRenewalCards {
  constructor(
    private readonly deps: { cards: LiveRenewalCards; clock: Clock; outboxChanged: Signal },
  ) {}

  /** How many cards were routed. */
  async run(clientId: number | null, conversation: ConversationRef): Promise<number> {
    const routed = await this.deps.cards.routeUnrouted(
      clientId,
      conversation,
      this.deps.clock.now(),
    );
    if (routed > 0) this.deps.outboxChanged.notify();
    return routed;
  }
}
