import type { ConnectorResult } from '../app/ports/notifications.port';
import type {
  ActivityFeedPayload,
  PersonalConversationResult,
  PersonalConversationStore,
  PersonalDeliveryPort,
} from '../app/ports/personal-delivery.port';

/**
 * Personal delivery without Graph (demo mode, the Agents Playground): a person is reached in the
 * personal chat the bot met them in; nobody can be installed for, so until they say hi their rows
 * wait (`unrouted`, queued again when they do). There is no activity feed to post to: each entry is
 * logged instead, and counts as delivered.
 */
export class ChatOnlyPersonalDelivery implements PersonalDeliveryPort {
  constructor(
    private readonly deps: {
      store: PersonalConversationStore;
      logger: { info(obj: object, msg?: string): void };
    },
  ) {}

  async conversationWith(aadObjectId: string): Promise<PersonalConversationResult> {
    const known = await this.deps.store.find(aadObjectId);
    if (known?.conversation) return { ok: true, conversation: known.conversation };
    return {
      ok: false,
      kind: 'not-installed',
      sayHiLink: 'the Agents Playground (npm run playground)',
      message:
        'no personal chat with this person yet (demo mode cannot install the app): they say hi to the bot once and this is sent',
    };
  }

  async notifyActivityFeed(
    aadObjectId: string,
    payload: ActivityFeedPayload,
  ): Promise<ConnectorResult> {
    this.deps.logger.info(
      { aadObjectId, activityType: payload.activityType, previewText: payload.previewText },
      'activity feed entry (demo mode has no Teams activity feed: logged only)',
    );
    return { ok: true, activityId: `logged:${payload.activityType}` };
  }
}
