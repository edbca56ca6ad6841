import type { Signal } from '../../shared/signal';
import { conversationKey, type ConversationRef } from '../ports/notifications.port';
import type { PersonalConversationStore } from '../ports/personal-delivery.port';

/** The per-person conversation store, plus the rows that waited for the person. */
export interface PersonalChatStore extends PersonalConversationStore {
  /** Queues again the person's rows that waited `unrouted` (no install); returns how many. */
  requeueFor(aadObjectId: string): Promise<number>;
}

/**
 * The bot met a person in a personal chat (they said hi, or installed the app): their 1:1
 * conversation is kept, and what waited for them because Teams refused the proactive install goes
 * out now.
 */
export class RememberPersonalChat {
  constructor(private readonly deps: { store: PersonalChatStore; outboxChanged: Signal }) {}

  async met(aadObjectId: string, conversation: ConversationRef): Promise<{ requeued: number }> {
    const known = await this.deps.store.find(aadObjectId);
    if (
      known?.conversation &&
      conversationKey(known.conversation) === conversationKey(conversation)
    ) {
      return { requeued: 0 };
    }
    await this.deps.store.saveConversation(aadObjectId, conversation);
    const requeued = await this.deps.store.requeueFor(aadObjectId);
    if (requeued > 0) this.deps.outboxChanged.notify();
    return { requeued };
  }
}
