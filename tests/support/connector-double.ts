import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../src/shared/clock';
import type { AddressInfo } from 'node:net';

/** One request the double received. */
export interface ConnectorRequest {
  method: 'POST' | 'PUT';
  /** `send` (new activity), `reply` (to replyToId) or `update` (PUT activityId). */
  operation: 'send' | 'reply' | 'update';
  conversationId: string;
  /** The replied-to or updated activity id. */
  activityId: string | null;
  authorization: string | null;
  body: Record<string, unknown>;
  /** When it arrived, on the injected clock. */
  at: Date;
  /** What the double answered. */
  status: number;
}

/** A failure to inject: answered instead of success for the next matching request. */
export interface InjectedFault {
  status: number;
  retryAfter?: string;
  /** Only for requests to this conversation (any when omitted). */
  conversationId?: string;
}

/** A 1:1 conversation the double created (`POST /v3/conversations`). */
export interface CreatedConversation {
  conversationId: string;
  memberId: string;
  botId: string;
  tenantId: string | null;
}

/**
 * A Bot Connector on 127.0.0.1: `POST /v3/conversations` (a 1:1 conversation with one member: the
 * same member gets the same conversation; a request that is not one — a group, no member, several —
 * is refused 400), `POST /v3/conversations/{id}/activities`,
 * `POST /v3/conversations/{id}/activities/{replyToId}` and `PUT /v3/conversations/{id}/activities/{activityId}`.
 * Records every request; answers injected faults (429 + Retry-After, 412, 5xx) first.
 */
export class ConnectorDouble {
  readonly requests: ConnectorRequest[] = [];
  /** Conversations created by `POST /v3/conversations`, by member id. */
  readonly conversations = new Map<string, CreatedConversation>();
  /** Every `POST /v3/conversations` answered (the status it got). */
  readonly conversationRequests: Array<{ body: Record<string, unknown>; status: number }> = [];
  private readonly faults: InjectedFault[] = [];
  private counter = 0;
  private server: Server | null = null;
  url = '';

  constructor(private readonly clock: Clock = systemClock) {}

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Answers the next matching request with this failure (queue several for several failures). */
  inject(fault: InjectedFault): void {
    this.faults.push(fault);
  }

  /** Successful activity requests into one conversation. */
  deliveredTo(conversationId: string): ConnectorRequest[] {
    return this.delivered().filter((request) => request.conversationId === conversationId);
  }

  /** Successful requests only. */
  delivered(): ConnectorRequest[] {
    return this.requests.filter((request) => request.status < 300);
  }

  /** The Adaptive Cards in successful requests, in order. */
  cards(): Record<string, unknown>[] {
    return this.delivered().flatMap((request) =>
      (
        (request.body.attachments as
          { contentType: string; content: Record<string, unknown> }[] | undefined) ?? []
      )
        .filter(
          (attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive',
        )
        .map((attachment) => attachment.content),
    );
  }

  /** Forgets what was received. */
  clear(): void {
    this.requests.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (
      req.method === 'POST' &&
      /^\/v3\/conversations\/?$/.test((req.url ?? '').split('?')[0] ?? '')
    ) {
      this.createConversation(Buffer.concat(chunks).toString('utf8'), res);
      return;
    }
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?\/?$/.exec(
      (req.url ?? '').split('?')[0] ?? '',
    );
    const method = req.method === 'PUT' ? 'PUT' : req.method === 'POST' ? 'POST' : null;
    if (!match || method === null) {
      res.writeHead(404);
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(match[1] ?? '');
    const activityId = match[2] ? decodeURIComponent(match[2]) : null;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    const faultIndex = this.faults.findIndex(
      (fault) => fault.conversationId === undefined || fault.conversationId === conversationId,
    );
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0] : undefined;
    const status = fault?.status ?? 200;
    this.requests.push({
      method,
      operation: method === 'PUT' ? 'update' : activityId === null ? 'send' : 'reply',
      conversationId,
      activityId,
      authorization: req.headers.authorization ?? null,
      body,
      at: this.clock.now(),
      status,
    });
    if (fault) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ error: { code: 'Injected', message: `injected ${fault.status}` } }));
      return;
    }
    this.counter += 1;
    const id = method === 'PUT' && activityId !== null ? activityId : `activity-${this.counter}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
  }

  private createConversation(text: string, res: ServerResponse): void {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text || '{}') as Record<string, unknown>;
    } catch {
      answer(400, { error: { code: 'BadSyntax', message: 'not JSON' } });
      return;
    }
    const members = body.members;
    const bot = body.bot as { id?: unknown } | undefined;
    const problem =
      body.isGroup !== false
        ? 'isGroup must be false for a 1:1 conversation'
        : !Array.isArray(members) || members.length !== 1
          ? 'a 1:1 conversation has exactly one member'
          : typeof (members[0] as { id?: unknown }).id !== 'string' ||
              (members[0] as { id: string }).id === ''
            ? 'the member needs an id'
            : typeof bot?.id !== 'string' || bot.id === ''
              ? 'bot.id is required'
              : null;
    if (problem !== null) {
      this.conversationRequests.push({ body, status: 400 });
      answer(400, { error: { code: 'BadArgument', message: problem } });
      return;
    }
    const memberId = (members as Array<{ id: string }>)[0]!.id;
    const existing = this.conversations.get(memberId);
    const created = existing ?? {
      conversationId: `a:1:${memberId}`,
      memberId,
      botId: bot!.id as string,
      tenantId: typeof body.tenantId === 'string' ? body.tenantId : null,
    };
    this.conversations.set(memberId, created);
    this.conversationRequests.push({ body, status: existing ? 200 : 201 });
    answer(existing ? 200 : 201, { id: created.conversationId });
  }
}
