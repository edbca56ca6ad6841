import type { ConnectorResult, ConversationRef } from '../src/app/ports/notifications.port';
import type {
  ActivityFeedPayload,
  PersonalConversationResult,
  PersonalConversationStore,
  PersonalDeliveryPort,
} from '../src/app/ports/personal-delivery.port';
import { templatePlaceholders, ACTIVITY_TYPES } from '../src/domain/notifications/personal-notices';
import type { HttpBotConnector } from './http-bot-connector';
import type { TabLinks } from './tab-links';
import type { GraphAnswer, TeamsGraphClient } from './teams-graph-client';

/** What reaching people in Teams needs. */
export interface TeamsPersonalDeliveryOptions {
  connector: Pick<HttpBotConnector, 'createPersonalConversation'>;
  graph: Pick<TeamsGraphClient, 'installForUser' | 'sendActivityNotification'>;
  store: PersonalConversationStore;
  links: TabLinks;
  /** The Bot Connector that creates 1:1 conversations (the tenant's region, e.g. smba.trafficmanager.net/teams). */
  serviceUrl: string;
  /** The bot's Teams id (`28:<bot app id>`). */
  botId: string;
  /** The Entra tenant the people belong to. */
  entraTenantId: string | null;
  /** The app's id in the tenant's Teams app catalog (for `teamsApp@odata.bind`). */
  catalogAppId: string;
  /** The manifest's app id: the say-hi link opens the app so the person installs it. */
  teamsAppId: string;
}

/**
 * Delivery to one person in Teams: the stored 1:1 conversation, else a proactive install through
 * Graph then a new conversation through the Bot Connector (kept per person). When the tenant does
 * not allow the install, the refusal and a one-time "say hi to Control Tower" link are recorded for
 * the person, and their rows wait until they open it.
 */
export class TeamsPersonalDelivery implements PersonalDeliveryPort {
  constructor(private readonly options: TeamsPersonalDeliveryOptions) {}

  /** The link that opens Control Tower in Teams so the person can add it and say hi. */
  sayHiLink(): string {
    return `https://teams.microsoft.com/l/app/${encodeURIComponent(this.options.teamsAppId)}?source=control-tower-say-hi`;
  }

  async conversationWith(aadObjectId: string): Promise<PersonalConversationResult> {
    const stored = await this.options.store.find(aadObjectId);
    if (stored?.conversation) return { ok: true, conversation: stored.conversation };
    if (stored?.installState === 'refused') return this.notInstalled(stored.sayHiLink);

    const installed = await this.options.graph.installForUser(
      aadObjectId,
      this.options.catalogAppId,
    );
    if (!installed.ok) {
      if (installed.status === 403 || installed.status === 401) {
        const link = this.sayHiLink();
        await this.options.store.recordRefused(aadObjectId, link);
        return this.notInstalled(link);
      }
      return errorOf(installed);
    }
    const created = await this.options.connector.createPersonalConversation(
      this.options.serviceUrl,
      { aadObjectId, tenantId: this.options.entraTenantId, botId: this.options.botId },
    );
    if (!created.ok) return { kind: 'error', ...created };
    const conversation: ConversationRef = {
      serviceUrl: this.options.serviceUrl,
      conversationId: created.conversationId,
      channelId: 'msteams',
      tenantId: this.options.entraTenantId,
      botId: this.options.botId,
      conversationType: 'personal',
      label: null,
    };
    await this.options.store.saveConversation(aadObjectId, conversation);
    return { ok: true, conversation };
  }

  async notifyActivityFeed(
    aadObjectId: string,
    payload: ActivityFeedPayload,
  ): Promise<ConnectorResult> {
    const type = ACTIVITY_TYPES[payload.activityType];
    const answer = await this.options.graph.sendActivityNotification(aadObjectId, {
      topic: {
        source: 'text',
        value: 'Control Tower',
        webUrl: this.options.links.page(payload.link),
      },
      activityType: payload.activityType,
      previewText: { content: payload.previewText },
      templateParameters: templatePlaceholders(type.templateText).map((name) => ({
        name,
        value: payload.templateParameters[name] ?? '',
      })),
    });
    if (answer.ok) return { ok: true, activityId: `feed:${payload.activityType}` };
    return {
      ok: false,
      status: answer.status,
      retryAfterMs: answer.retryAfterMs,
      message: answer.message,
    };
  }

  private notInstalled(link: string | null): PersonalConversationResult {
    const sayHiLink = link ?? this.sayHiLink();
    return {
      ok: false,
      kind: 'not-installed',
      sayHiLink,
      message: `Control Tower is not installed for this person and the tenant refused the proactive install: they must open ${sayHiLink}`,
    };
  }
}

function errorOf(answer: Extract<GraphAnswer, { ok: false }>): PersonalConversationResult {
  return {
    ok: false,
    kind: 'error',
    status: answer.status,
    retryAfterMs: answer.retryAfterMs,
    message: `${answer.code}: ${answer.message}`,
  };
}
