import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorFactory,
  type BotFrameworkAuthentication,
  type ConnectorClient,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import { ConnectorClients, withKeptUserTokenClients } from './bot-adapter';

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
