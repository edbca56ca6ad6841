import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import {
  AuthenticationConstants,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Request, Response } from 'restify';
import { jsonOf } from '../src/shared/deep-freeze';

/** Logging the bot needs (pino's shape). */
export interface BotLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Thrown for a request that is not a Bot Framework activity. */
export class BadActivityError extends Error {
  readonly code = 'BOT_BAD_ACTIVITY';
  readonly kind = 'user';
}

/**
 * The CloudAdapter with our own HTTP edge: every authentication failure (including forged signatures
 * and wrong algorithms, which the SDK reports as plain errors) answers 401, internal failures answer 500
 * without details, and everything is logged through our logger instead of `console.error`.
 */
export class ControlTowerAdapter extends CloudAdapter {
  private readonly clients = new ConnectorClients();

  constructor(
    authentication: BotFrameworkAuthentication,
    private readonly logger: BotLogger,
  ) {
    super(withKeptUserTokenClients(authentication));
  }

  /** Handles one `POST /api/messages`. */
  async handle(
    req: Request,
    res: Response,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let activity: Activity;
    try {
      activity = readActivity(req.body);
    } catch (error) {
      res.send(400, { error: error instanceof Error ? error.message : 'bad request' });
      return;
    }
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';

    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(
        activity,
        authHeader,
      );
    } catch (error) {
      this.logger.warn(
        {
          reason: error instanceof Error ? error.message : String(error),
          activityType: activity.type,
        },
        'bot request refused: authentication failed',
      );
      res.send(401, { error: 'unauthorized' });
      return;
    }

    try {
      const invokeResponse = await this.processActivity(
        { ...authenticated, connectorFactory: this.clients.factory(authenticated) },
        activity,
        logic,
      );
      if (invokeResponse) sendJson(res, invokeResponse.status, invokeResponse.body);
      else res.send(200);
    } catch (error) {
      this.logger.error({ err: error, activityType: activity.type }, 'bot turn failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  }
}

/** Connector clients kept (a service URL per Teams region and cloud: a handful, bounded anyway). */
const MAX_CONNECTOR_CLIENTS = 64;

/**
 * The connector clients replies go through, built once per (bot app id, service URL, audience)
 * and reused: the SDK's factory builds a client, its credentials and its HTTP pipeline on every
 * turn. The app id comes from the request's validated claims, so a client only ever serves the
 * identity it was built for.
 */
export class ConnectorClients {
  private readonly built = new KeptClients<ConnectorClient>();

  /** How many clients are kept. */
  get size(): number {
    return this.built.size;
  }

  factory(authenticated: AuthenticateRequestResult): ConnectorFactory | undefined {
    const inner = authenticated.connectorFactory;
    if (!inner) return undefined;
    const appId = botAppIdOf(authenticated.claimsIdentity);
    const built = this.built;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return built.get(JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
          inner.create(serviceUrl, audience),
        );
      }
    })();
  }
}

/**
 * SDK clients kept by key, at most MAX_CONNECTOR_CLIENTS (the oldest goes first); a client that
 * could not be built is not kept, so the next turn tries again.
 */
class KeptClients<T> {
  private readonly built = new Map<string, Promise<T>>();

  get size(): number {
    return this.built.size;
  }

  get(key: string, build: () => Promise<T>): Promise<T> {
    let client = this.built.get(key);
    if (!client) {
      if (this.built.size >= MAX_CONNECTOR_CLIENTS) {
        this.built.delete(this.built.keys().next().value!);
      }
      client = build();
      this.built.set(key, client);
      client.catch(() => this.built.delete(key));
    }
    return client;
  }
}

/**
 * The bot a request's validated claims name, as the SDK names it: the token's audience (the
 * emulator's: its app id claim).
 */
function botAppIdOf(claims: ClaimsIdentity | undefined): string | null {
  return (
    claims?.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claims?.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    null
  );
}

/**
 * `authentication` with the user-token client (sign-in prompts) built once per bot app id and
 * reused: the SDK builds one, with its credentials and HTTP pipeline, on every turn, whether or not
 * the turn signs anyone in. Bounded like the connector clients; a failed build is not kept.
 */
export function withKeptUserTokenClients(
  authentication: BotFrameworkAuthentication,
): BotFrameworkAuthentication {
  const built = new KeptClients<UserTokenClient>();
  const create = (claims: ClaimsIdentity): Promise<UserTokenClient> =>
    built.get(JSON.stringify(botAppIdOf(claims)), () =>
      authentication.createUserTokenClient(claims),
    );
  return new Proxy(authentication, {
    get: (target, property, receiver) =>
      property === 'createUserTokenClient' ? create : Reflect.get(target, property, receiver),
  });
}

function readActivity(body: unknown): Activity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadActivityError('the body must be a JSON activity');
  }
  const activity = body as Partial<Activity>;
  if (typeof activity.type !== 'string' || activity.type === '') {
    throw new BadActivityError('the activity has no type');
  }
  if (typeof activity.serviceUrl !== 'string' || activity.conversation?.id === undefined) {
    throw new BadActivityError('the activity has no serviceUrl or conversation');
  }
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  if (typeof activity.localTimestamp === 'string')
    activity.localTimestamp = new Date(activity.localTimestamp);
  return activity as Activity;
}

/**
 * An invoke's answer (a card, often kilobytes) as JSON, serialised once into the bytes written: not
 * through restify's content negotiation and formatter, which serialise it to a string, measure it,
 * and have the socket copy it again.
 */
function sendJson(res: Response, status: number, body: unknown): void {
  if (body === undefined) {
    res.send(status);
    return;
  }
  // A card answer is mostly a shared, frozen card: its JSON is kept with it (`jsonOf`).
  const bytes = Buffer.from(jsonOf(body));
  res.sendRaw(status, bytes, {
    'Content-Type': 'application/json',
    'Content-Length': String(bytes.length),
  });
}
