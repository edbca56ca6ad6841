import { UnsignedCredentialsFactory, type BotAuthOptions } from '../../bot/bot-auth';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { JwksDouble, CHANNEL_ISSUER } from '../support/jwks-double';
import { messageActivity, post, startBotHarness, type BotHarness } from './bot-harness';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const [pglite] = testDatabases();

describe('inbound Bot Framework authentication (production mode)', () => {
  let handle: TestDatabaseHandle;
  let jwks: JwksDouble;
  let bot: BotHarness;

  // The SDK's JWT extractor reports every rejected token with console.error: keep the run quiet.
  let consoleError: jest.SpyInstance;
  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    handle = await pglite!.open();
    jwks = await new JwksDouble().start();
    const auth: BotAuthOptions = {
      mode: 'production',
      appId: APP_ID,
      password: 'not-used',
      managedIdentity: false,
      tenantId: 'entra-tenant',
      endpoints: {
        ToBotFromChannelOpenIdMetadataUrl: jwks.metadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: jwks.metadataUrl,
        ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
        ToChannelFromBotLoginUrl: `${jwks.url}/login`,
        ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
        OAuthUrl: `${jwks.url}/oauth`,
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      },
      credentialsFactory: new UnsignedCredentialsFactory(APP_ID),
    };
    bot = await startBotHarness(handle.db, auth);
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await bot.close();
    await jwks.stop();
    await handle.dispose();
  });

  test('a validly signed channel token → 200 and a reply at the connector', async () => {
    bot.connector.clear();
    const activity = messageActivity(bot.connector.url, '/health');
    const response = await post(bot.botUrl, activity, jwks.token(APP_ID, bot.connector.url));
    expect(response.status).toBe(200);
    expect(bot.connector.delivered()).toHaveLength(1);
  });

  const now = () => Math.floor(Date.now() / 1000);
  test.each<[string, (serviceUrl: string) => string | undefined]>([
    ['no token', () => undefined],
    ['a forged signature', (url) => jwks.forgedToken(APP_ID, url)],
    ['an unsigned token (alg none)', (url) => jwks.unsignedToken(APP_ID, url)],
    [
      'an expired token',
      (url) => jwks.token(APP_ID, url, { exp: now() - 600, nbf: now() - 4000, iat: now() - 4000 }),
    ],
    ['the wrong audience', (url) => jwks.token('someone-else', url)],
    ['the wrong serviceurl claim', () => jwks.token(APP_ID, 'https://evil.example.com/')],
    ['the wrong issuer', (url) => jwks.token(APP_ID, url, { iss: 'https://sts.example.com' })],
    ['garbage', () => 'not.a.jwt'],
  ])('%s → 401 and nothing is sent', async (_name, makeToken) => {
    bot.connector.clear();
    const response = await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/health'),
      makeToken(bot.connector.url),
    );
    expect(response.status).toBe(401);
    expect(bot.connector.requests).toHaveLength(0);
  });
});
