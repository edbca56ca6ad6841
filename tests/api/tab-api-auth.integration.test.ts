/**
 * The tab API in production mode over real HTTP: Teams SSO tokens signed by a local JWKS double are
 * checked for signature, issuer, audience, expiry and tenant; roles come from the role directory.
 */
import { TabLinks } from '../../bot/tab-links';
import restify, { type Server } from 'restify';
import type { ApiErrorBody, MeDto } from '../../src/api/dto';
import { mountApi } from '../../src/api/mount-api';
import { createDeliveryModule } from '../../src/modules/delivery.module';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { createLogger } from '../../src/observability/logger';
import { ChangeSignal } from '../../src/shared/signal';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { JwksDouble, type TokenClaims } from '../support/jwks-double';
import { Writable } from 'node:stream';

const TENANT = 'msp-a';
const ENTRA_TID = '11111111-2222-3333-4444-555555555555';
const OTHER_TID = '99999999-8888-7777-6666-555555555555';
const CLIENT_ID = 'tab-client-id';
const APP_ID_URI = `api://tower.example.com/${CLIENT_ID}`;
const PM_OID = 'aaaaaaaa-0000-0000-0000-000000000001';
const ADMIN_OID = 'aaaaaaaa-0000-0000-0000-000000000002';
const quiet = new Writable({ write: (_c, _e, done) => done() });

describe.each(testDatabases())('tab API sign-in in production mode ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let jwks: JwksDouble;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    handle = await database.open();
    jwks = await new JwksDouble().start();
    const { db } = handle;
    const roles = new SqlRoleDirectory(db, TENANT);
    await roles.grant([
      { aadObjectId: PM_OID, email: 'pm@msp.example', role: 'pm' },
      { aadObjectId: ADMIN_OID, email: 'admin@msp.example', role: 'admin' },
    ]);
    const now = () => new Date();
    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    const logger = createLogger('silent', {}, quiet);
    const delivery = createDeliveryModule({
      db,
      tenantId: TENANT,
      mode: 'production',
      clock: { now },
      logger,
      roles,
      sso: {
        clientId: CLIENT_ID,
        appIdUri: APP_ID_URI,
        allowedTenantIds: [ENTRA_TID],
        openIdMetadataUrl: jwks.metadataUrl,
      },
      outbox: new ChangeSignal(),
      schedules: { evaluate: '0 6 * * *', weeklyReport: '0 7 * * 1' },
      links: new TabLinks({
        teamsAppId: null,
        entityId: 'portfolio',
        webBaseUrl: 'http://localhost',
      }),
      liveCards: {},
    });
    mountApi(server, { routes: delivery.routes, auth: delivery.auth, logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/api/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await jwks.stop();
    await handle.dispose();
  });

  const token = (overrides: TokenClaims = {}) =>
    jwks.token(CLIENT_ID, 'unused', {
      iss: `https://login.microsoftonline.com/${ENTRA_TID}/v2.0`,
      tid: ENTRA_TID,
      oid: PM_OID,
      name: 'Pat Manager',
      preferred_username: 'pm@msp.example',
      ...overrides,
    });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const code = (body: unknown) => (body as ApiErrorBody).error.code;

  test('a valid Teams SSO token signs the user in with the roles of their object id', async () => {
    const { status, body } = await get('/me', bearer(token()));
    expect(status).toBe(200);
    expect(body).toEqual<MeDto>({
      tenantId: TENANT,
      user: { aadObjectId: PM_OID, email: 'pm@msp.example', name: 'Pat Manager' },
      roles: ['pm'],
      mode: 'production',
    });
  });

  test('the v1 issuer form and the Application ID URI audience are accepted too', async () => {
    const { status } = await get(
      '/me',
      bearer(token({ iss: `https://sts.windows.net/${ENTRA_TID}/`, aud: APP_ID_URI })),
    );
    expect(status).toBe(200);
  });

  test('a missing token is 401 unauthenticated', async () => {
    const { status, body } = await get('/me');
    expect(status).toBe(401);
    expect(code(body)).toBe('unauthenticated');
  });

  test('an expired token is 401 token-expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const { status, body } = await get(
      '/me',
      bearer(token({ iat: past - 3600, nbf: past - 3600, exp: past })),
    );
    expect(status).toBe(401);
    expect(code(body)).toBe('token-expired');
  });

  test('a token not yet valid (beyond the clock skew) is 401', async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    const { status, body } = await get('/me', bearer(token({ nbf: future, exp: future + 3600 })));
    expect(status).toBe(401);
    expect(code(body)).toBe('invalid-token');
  });

  test('a token for another audience is 401', async () => {
    const { status, body } = await get('/me', bearer(token({ aud: 'some-other-app' })));
    expect(status).toBe(401);
    expect(code(body)).toBe('invalid-token');
  });

  test.each([
    ['another tenant than its tid', `https://login.microsoftonline.com/${OTHER_TID}/v2.0`],
    ['the Bot Framework', 'https://api.botframework.com'],
    ['a look-alike host', `https://login.microsoftonline.com.evil.example/${ENTRA_TID}/v2.0`],
  ])('a token whose issuer is %s is 401', async (_name, iss) => {
    const { status, body } = await get('/me', bearer(token({ iss })));
    expect(status).toBe(401);
    expect(code(body)).toBe('invalid-token');
  });

  test('a token signed by a key outside the JWKS, or unsigned, is 401', async () => {
    for (const t of [jwks.forgedToken(CLIENT_ID, 'unused'), jwks.unsignedToken(CLIENT_ID, 'x')]) {
      const { status, body } = await get('/me', bearer(t));
      expect(status).toBe(401);
      expect(code(body)).toBe('invalid-token');
    }
    const [header, payload] = token().split('.');
    const tampered = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    expect((await get('/me', bearer(tampered))).status).toBe(401);
  });

  test('a valid token from a tenant outside the allow-list is 403', async () => {
    const { status, body } = await get(
      '/me',
      bearer(token({ tid: OTHER_TID, iss: `https://login.microsoftonline.com/${OTHER_TID}/v2.0` })),
    );
    expect(status).toBe(403);
    expect(code(body)).toBe('tenant-not-allowed');
  });

  test('a malformed Authorization header is 401, never a crash', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer a.b', 'Bearer ....']) {
      const { status } = await get('/me', { authorization: header });
      expect(status).toBe(401);
    }
  });

  test('a pm cannot read settings (403 naming the role needed); an admin can', async () => {
    const refused = await get('/settings/policy', bearer(token()));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: {
        code: 'forbidden',
        message: 'This needs one of these roles: admin.',
        details: { requiredRoles: ['admin'] },
      },
    });
    const admin = await get('/settings/policy', bearer(token({ oid: ADMIN_OID })));
    expect(admin.status).toBe(200);
    expect((admin.body as { config: { default: unknown } }).config.default).toBeDefined();
  });

  test('a signed-in user without any role is known but gets no settings', async () => {
    const stranger = token({ oid: 'cccccccc-0000-0000-0000-000000000009', name: 'New Hire' });
    const me = await get('/me', bearer(stranger));
    expect(me.status).toBe(200);
    expect((me.body as MeDto).roles).toEqual([]);
    expect((await get('/settings/roles', bearer(stranger))).status).toBe(403);
  });

  test('demo sign-in is refused in production mode and the demo user list does not exist', async () => {
    const demo = await get('/me', { 'x-demo-user': 'pm@msp.example' });
    expect(demo.status).toBe(401);
    expect(code(demo.body)).toBe('demo-sign-in-refused');
    // Even alongside a valid token: the header is never honoured in production.
    const both = await get('/me', { 'x-demo-user': 'admin@msp.example', ...bearer(token()) });
    expect(both.status).toBe(401);
    const users = await get('/demo/users');
    expect(users.status).toBe(404);
  });
});
