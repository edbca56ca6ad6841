import type { Actor, ClientMatch, DeliveryQueries } from '../delivery-views';
import {
  NOTIFICATION_STREAMS,
  type ConversationRef,
  type NotificationStream,
} from '../ports/notifications.port';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { BotActionLog } from './bot-action-log.port';
import type { ChannelRoutes } from './channel-routes.port';
import type { LiveCardRouter } from './live-card-router.port';

/** What `/subscribe` asks: a stream word and a client (typed, or picked from a choice card). */
export interface SubscribeRequest {
  actor: Actor;
  streamWord: string;
  /** Client name or id as typed; "" for every client. */
  clientText: string;
  /** The client picked on a choice card, or null. */
  clientId: number | null;
  /** Where the command was sent: the conversation the stream is routed to. */
  conversation: ConversationRef;
}

/** What subscribing did, or why not. */
export type SubscribeOutcome =
  | { status: 'refused'; reason: 'not-admin' }
  | { status: 'unknown-stream' }
  | { status: 'no-client'; clientText: string }
  | {
      status: 'choose-client';
      stream: NotificationStream;
      clientText: string;
      matches: ClientMatch[];
    }
  | {
      status: 'subscribed';
      stream: NotificationStream;
      client: { id: number; name: string } | null;
      conversation: ConversationRef;
    };

/** The ports `/subscribe` works through. */
export interface SubscribeChannelDeps {
  tenantId: string;
  clients: Pick<DeliveryQueries, 'findClients'>;
  routes: ChannelRoutes;
  actions: BotActionLog;
  /** Per stream, what posts its live unrouted cards to a newly routed channel (renewals). */
  liveCards: Partial<Record<NotificationStream, LiveCardRouter>>;
  outboxSignal: Signal;
  clock: Clock;
}

/** Routes a notification stream (for one client, or all) to a conversation; admins only. */
export class SubscribeChannel {
  constructor(private readonly deps: SubscribeChannelDeps) {}

  async run(request: SubscribeRequest): Promise<SubscribeOutcome> {
    const { actor, streamWord, clientText, clientId, conversation } = request;
    const { tenantId, clients } = this.deps;
    const stream = NOTIFICATION_STREAMS.find((candidate) => candidate === streamWord);
    if (!actor.roles.includes('admin')) {
      const target = `${stream ?? streamWord}${clientId === null ? '' : `:${clientId}`}`;
      await this.log(actor, target, 'refused', 'not-admin');
      return { status: 'refused', reason: 'not-admin' };
    }
    if (stream === undefined) return { status: 'unknown-stream' };

    let client: { id: number; name: string } | null = null;
    if (clientId !== null) {
      client = { id: clientId, name: `client ${clientId}` };
      const found = await clients.findClients(tenantId, String(clientId));
      const exact = found.find((match) => match.id === clientId);
      if (exact) client = { id: exact.id, name: exact.name };
    } else if (clientText !== '') {
      const matches = await clients.findClients(tenantId, clientText);
      const exact = matches.filter((match) => match.exact);
      const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
      if (!chosen) {
        return matches.length === 0
          ? { status: 'no-client', clientText }
          : { status: 'choose-client', stream, clientText, matches };
      }
      client = { id: chosen.id, name: chosen.name };
    }

    await this.deps.routes.upsert(
      { stream, clientId: client?.id ?? null, conversation },
      actor.aadObjectId,
      this.deps.clock.now(),
    );
    const live = this.deps.liveCards[stream];
    if (live) {
      const routed = await live.routeLiveCards(client?.id ?? null, conversation);
      if (routed > 0) this.deps.outboxSignal.notify();
    }
    await this.log(actor, `${stream}${client ? `:${client.id}` : ''}`, 'done', null, {
      conversationId: conversation.conversationId,
    });
    return { status: 'subscribed', stream, client, conversation };
  }

  private log(
    actor: Actor,
    targetId: string,
    outcome: 'done' | 'refused',
    reason: string | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    return this.deps.actions.record({
      at: this.deps.clock.now(),
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action: 'subscribe',
      targetKind: 'route',
      targetId,
      outcome,
      reason,
      details,
    });
  }
}
