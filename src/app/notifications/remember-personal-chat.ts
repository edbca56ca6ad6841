import type { Signal } from '../../shared/signal';
import type { ConversationRef } from '../ports/notifications.port';

/** Where the per-person 1:1 conversation is kept. */
export interface PersonalChatStore {
  /**
   * Keeps `conversation` as the person's chat unless the one on file is the same
   * (`conversationKey`); when it was kept, queues again the person's rows that waited `unrouted`
   * (no install). Returns how many were queued again. One round trip: it runs on every message.
   */
  keepConversation(aadObjectId: string, conversation: ConversationRef): Promise<number>;
}

/**
 * The bot met a person in a personal chat (they said hi, or installed the app): their 1:1
 * conversation is kept, and what waited for them because Teams refused the proactive install goes
 * out now.
 */
export class RememberPersonalChat {
  constructor(private readonly deps: { store: PersonalChatStore; outboxChanged: Signal }) {}

  async met(aadObjectId: string, conversation: ConversationRef): Promise<{ requeued: number }> {
    const requeued = await this.deps.store.keepConversation(aadObjectId, conversation);
    if (requeued > 0) this.deps.outboxChanged.notify();
    return { requeued };
  }
}
