import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorFactory,
  type BotFrameworkAuthentication,
  type ConnectorClient,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import restify, { type Request, type Response } from 'restify';
import { ConnectorClients, ControlTowerAdapter, withKeptUserTokenClients } from './bot-adapter';
import { createBotAuthentication, type BotAuthOptions } from './bot-auth';
import { Application, TurnState } from './teams-ai';

/** The SDK's factory as seen from outside: a new client on every call, counted. */
class CountingFactory extends ConnectorFactory {
  created: string[] = [];
  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    this.created.push(`${serviceUrl} ${audience}`);
    if (serviceUrl.includes('broken')) throw new Error('no credentials');
    // A stand-in: only which client a turn gets matters here.
    return { baseUri: serviceUrl } as unknown as ConnectorClient;
  }
}

function request(appId: string, factory: ConnectorFactory): AuthenticateRequestResult {
  return {
    audience: 'https://api.botframework.com',
    callerId: '',
    claimsIdentity: new ClaimsIdentity(
      [{ type: AuthenticationConstants.AudienceClaim, value: appId }],
      true,
    ),
    connectorFactory: factory,
  };
}

describe('the connector clients replies go through', () => {
  test('one client per app id, service URL and audience, built once across turns', async () => {
    const clients = new ConnectorClients();
    const sdk = new CountingFactory();
    const turn = (appId: string, serviceUrl: string, audience = 'aud') =>
      clients.factory(request(appId, sdk))!.create(serviceUrl, audience);
    const first = await turn('bot', 'https://smba.example/emea/');
    expect(await turn('bot', 'https://smba.example/emea/')).toBe(first);
    expect(await turn('bot', 'https://smba.example/amer/')).not.toBe(first);
    expect(await turn('bot', 'https://smba.example/emea/', 'other')).not.toBe(first);
    expect(await turn('another-bot', 'https://smba.example/emea/')).not.toBe(first);
    expect(sdk.created).toHaveLength(4);
  });

  test('a client that could not be built is tried again on the next turn', async () => {
    const clients = new ConnectorClients();
    const sdk = new CountingFactory();
    const turn = () => clients.factory(request('bot', sdk))!.create('https://broken.example/');
    await expect(turn()).rejects.toThrow('no credentials');
    await expect(turn()).rejects.toThrow('no credentials');
    expect(sdk.created).toHaveLength(2);
  });

  test('hostile service URLs cannot grow it without bound', async () => {
    const clients = new ConnectorClients();
    const sdk = new CountingFactory();
    for (let i = 0; i < 200; i += 1) {
      await clients.factory(request('bot', sdk))!.create(`https://smba.example/${i}/`);
    }
    expect(clients.size).toBeLessThanOrEqual(64);
  });
});

describe('the user-token clients turns are given', () => {
  /** The SDK's authentication as seen from outside: a new user-token client on every call, counted. */
  const counting = () => {
    const created: string[] = [];
    const authentication = {
      createUserTokenClient: async (claims: ClaimsIdentity) => {
        const appId = claims.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
        created.push(appId);
        if (appId === 'broken') throw new Error('no credentials');
        return { appId } as unknown as UserTokenClient;
      },
      getOriginatingAudience: () => 'https://api.botframework.com',
    } as unknown as BotFrameworkAuthentication;
    return { created, kept: withKeptUserTokenClients(authentication) };
  };
  const claims = (appId: string) =>
    new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

  test('one per bot app id, built once across turns; everything else is the SDK’s own', async () => {
    const { created, kept } = counting();
    const first = await kept.createUserTokenClient(claims('bot'));
    expect(await kept.createUserTokenClient(claims('bot'))).toBe(first);
    expect(await kept.createUserTokenClient(claims('another-bot'))).not.toBe(first);
    expect(created).toEqual(['bot', 'another-bot']);
    expect(kept.getOriginatingAudience()).toBe('https://api.botframework.com');
  });

  test('one that could not be built is tried again on the next turn', async () => {
    const { created, kept } = counting();
    await expect(kept.createUserTokenClient(claims('broken'))).rejects.toThrow('no credentials');
    await expect(kept.createUserTokenClient(claims('broken'))).rejects.toThrow('no credentials');
    expect(created).toHaveLength(2);
  });
});

describe('the answer to an invoke', () => {
  test('is the card as JSON, with its length in bytes, non-ASCII text included', async () => {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const auth: BotAuthOptions = {
      mode: 'demo',
      appId: null,
      password: null,
      managedIdentity: false,
      tenantId: null,
    };
    const adapter = new ControlTowerAdapter(createBotAuthentication(auth).authentication, quiet);
    const app = new Application<TurnState>({ startTypingTimer: false, longRunningMessages: false });
    const card = {
      type: 'AdaptiveCard' as const,
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'HIGH · escalation • 40 % (amber ≥ 5 %) 👍' }],
    };
    app.adaptiveCards.actionExecute('show', async () => card);
    server.post('/api/messages', async (req: Request, res: Response) => {
      await adapter.handle(req, res, (context) => app.run(context).then(() => undefined));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const post = (body: Record<string, unknown>) =>
        fetch(`http://127.0.0.1:${server.address().port}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'a1',
            timestamp: new Date().toISOString(),
            channelId: 'msteams',
            serviceUrl: 'http://127.0.0.1:9',
            from: { id: '29:someone', name: 'Someone' },
            recipient: { id: '28:bot' },
            conversation: { id: 'a:1', conversationType: 'personal' },
            ...body,
          }),
        });
      const answer = await post({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'show', data: {} }, trigger: 'manual' },
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(Number(answer.headers.get('content-length'))).toBe(bytes.length);
      expect(JSON.parse(bytes.toString('utf8'))).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: card,
      });
      // A turn that is not an invoke has nothing to answer with but its status.
      const update = await post({ type: 'conversationUpdate' });
      expect(update.status).toBe(200);
      expect(await update.text()).toBe('');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
