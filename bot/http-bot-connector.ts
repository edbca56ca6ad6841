import type {
  ServiceClientCredentials,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type {
  ConnectorPort,
  ConnectorResult,
  ConversationRef,
  OutboundActivity,
} from '../src/app/ports/notifications.port';
import { parseRetryAfter } from '../src/shared/retry-after';
import { CONNECTOR_SCOPE, PUBLIC_LOGIN_ENDPOINT } from './bot-auth';
import { systemClock, type Clock } from '../src/shared/clock';

/** What the proactive connector needs. */
export interface HttpBotConnectorOptions {
  /** The bot's app id (null in demo mode: requests are not signed). */
  appId: string | null;
  credentialsFactory: ServiceClientCredentialsFactory;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  clock?: Clock;
}

/**
 * The outbox's connector: plain HTTPS to the conversation's Bot Connector (`serviceUrl`), signed with
 * the bot's credentials. Plain HTTP rather than the SDK's ConnectorClient because the SDK's pipeline
 * retries 429s itself with real sleeps; the outbox must see every status and `Retry-After` to pace
 * the conversation.
 */
export class HttpBotConnector implements ConnectorPort {
  private credentials: Promise<ServiceClientCredentials> | null = null;

  constructor(private readonly options: HttpBotConnectorOptions) {}

  /** `POST /v3/conversations/{id}/activities`. */
  send(conversation: ConversationRef, activity: OutboundActivity): Promise<ConnectorResult> {
    return this.call(
      'POST',
      conversation,
      `/v3/conversations/${encodeURIComponent(conversation.conversationId)}/activities`,
      activity,
    );
  }

  /** `PUT /v3/conversations/{id}/activities/{activityId}`. */
  update(
    conversation: ConversationRef,
    activityId: string,
    activity: OutboundActivity,
  ): Promise<ConnectorResult> {
    return this.call(
      'PUT',
      conversation,
      `/v3/conversations/${encodeURIComponent(conversation.conversationId)}/activities/${encodeURIComponent(activityId)}`,
      { ...activity, id: activityId },
      activityId,
    );
  }

  /**
   * `POST {serviceUrl}/v3/conversations`: the bot's 1:1 conversation with one person (the connector
   * answers the existing one when it exists). Needs the bot installed for the person.
   */
  async createPersonalConversation(
    serviceUrl: string,
    person: { aadObjectId: string; tenantId: string | null; botId: string },
  ): Promise<{ ok: true; conversationId: string } | Extract<ConnectorResult, { ok: false }>> {
    const body = {
      isGroup: false,
      bot: { id: person.botId },
      members: [{ id: person.aadObjectId }],
      tenantId: person.tenantId ?? undefined,
      channelData: person.tenantId === null ? undefined : { tenant: { id: person.tenantId } },
    };
    const answer = await this.request(
      'POST',
      `${serviceUrl.replace(/\/+$/, '')}/v3/conversations`,
      body,
    );
    if (!answer.ok) return answer;
    let id: string | undefined;
    try {
      id = (JSON.parse(answer.text) as { id?: string }).id;
    } catch {
      id = undefined;
    }
    return typeof id === 'string' && id !== ''
      ? { ok: true, conversationId: id }
      : {
          ok: false,
          status: 502,
          retryAfterMs: null,
          message: 'the connector answered no conversation id',
        };
  }

  private async call(
    method: 'POST' | 'PUT',
    conversation: ConversationRef,
    path: string,
    activity: OutboundActivity & { id?: string },
    fallbackId?: string,
  ): Promise<ConnectorResult> {
    const url = `${conversation.serviceUrl.replace(/\/+$/, '')}${path}`;
    const body = {
      ...activity,
      conversation: { id: conversation.conversationId },
      from: conversation.botId === null ? undefined : { id: conversation.botId },
      channelId: conversation.channelId,
      serviceUrl: conversation.serviceUrl,
    };
    const answer = await this.request(method, url, body);
    if (!answer.ok) return answer;
    const text = answer.text;
    let id: string | undefined;
    try {
      id = (JSON.parse(text) as { id?: string }).id;
    } catch {
      id = undefined;
    }
    return { ok: true, activityId: id ?? fallbackId ?? '' };
  }

  /** One signed request; a failure carries the status and `Retry-After` the outbox paces by. */
  private async request(
    method: 'POST' | 'PUT',
    url: string,
    body: unknown,
  ): Promise<{ ok: true; text: string } | Extract<ConnectorResult, { ok: false }>> {
    let response: Response;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const authorization = await this.authorization();
      if (authorization !== null) headers.authorization = authorization;
      response = await fetch(url, {
        method,
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      return {
        ok: false,
        status: 0,
        retryAfterMs: null,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      return {
        ok: false,
        status: response.status,
        retryAfterMs: parseRetryAfter(
          response.headers.get('retry-after'),
          (this.options.clock ?? systemClock).now().getTime(),
        ),
        message: text.slice(0, 300) || response.statusText,
      };
    }
    return { ok: true, text };
  }

  private async authorization(): Promise<string | null> {
    if (this.options.appId === null) return null;
    this.credentials ??= this.options.credentialsFactory.createCredentials(
      this.options.appId,
      CONNECTOR_SCOPE,
      PUBLIC_LOGIN_ENDPOINT,
      true,
    );
    const captured: Record<string, string> = {};
    const request = {
      headers: { set: (name: string, value: string) => (captured[name.toLowerCase()] = value) },
    };
    await (
      await this.credentials
    ).signRequest(request as unknown as Parameters<ServiceClientCredentials['signRequest']>[0]);
    return captured.authorization ?? null;
  }
}
