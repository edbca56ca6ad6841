import type { Signal } from '../../shared/signal';
import { conversationKey, type ConversationRef } from '../ports/notifications.port';

/** Where the per-person 1:1 conversation is kept. */
export interface PersonalChatStore {
  /**
   * Keeps `conversation` as the person's chat unless the one on file is the same
   * (`conversationKey`); when it was kept, queues again the person's rows that waited `unrouted`
   * (no install). Returns how many were queued again. One round trip.
   */
  keepConversation(aadObjectId: string, conversation: ConversationRef): Promise<number>;
}

/** People whose kept chat this process remembers (a bound on memory, not a working set). */
const REMEMBERED_CHATS = 10_000;

/**
 * The bot met a person in a personal chat (they said hi, or installed the app): their 1:1
 * conversation is kept, and what waited for them because Teams refused the proactive install goes
 * out now.
 *
 * This runs on every personal message, so a chat this process has already kept is not asked about
 * again: once on file, a person's chat is never removed or marked refused (a refused install is
 * recorded only for someone with no chat on file), and Teams gives a person one 1:1 conversation
 * with the bot, so asking again could change nothing.
 */
export class RememberPersonalChat {
  private readonly kept = new Map<string, string>();

  constructor(private readonly deps: { store: PersonalChatStore; outboxChanged: Signal }) {}

  async met(aadObjectId: string, conversation: ConversationRef): Promise<{ requeued: number }> {
    const key = conversationKey(conversation);
    if (this.kept.get(aadObjectId) === key) return { requeued: 0 };
    const requeued = await this.deps.store.keepConversation(aadObjectId, conversation);
    this.kept.delete(aadObjectId);
    if (this.kept.size >= REMEMBERED_CHATS) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(aadObjectId, key);
    if (requeued > 0) this.deps.outboxChanged.notify();
    return { requeued };
  }
}
