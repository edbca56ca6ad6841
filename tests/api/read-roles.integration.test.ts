/**
 * Reads need a role (SPEC §1), in production mode over real HTTP with signed Teams SSO tokens: every
 * route of the delivery, gates, renewals and settings families refuses a signed-in person with no
 * role; a pm reads the projects they manage, an account manager their clients' projects and
 * contracts, a PMO lead every project, account roles the commercial figures.
 */
import { Writable } from 'node:stream';
import restify, { type Server } from 'restify';
import { TabLinks } from '../../bot/tab-links';
import type { ApiRoute } from '../../src/api/api-types';
import type { ApiErrorBody, ClientsDto, ProjectsPageDto } from '../../src/api/dto';
import { mountApi } from '../../src/api/mount-api';
import { TabAuthenticator } from '../../src/api/tab-auth';
import { ApiError } from '../../src/api/api-types';
import { createDeliveryModule } from '../../src/modules/delivery.module';
import { createGatesModule } from '../../src/modules/gates.module';
import { createRenewalsModule } from '../../src/modules/renewals.module';
import { createLogger } from '../../src/observability/logger';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { JwksDouble, type TokenClaims } from '../support/jwks-double';

const TENANT = 'msp-roles';
const ENTRA_TID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'tab-client-id';
const OID = {
  pm: 'aaaaaaaa-0000-0000-0000-000000000001',
  am: 'aaaaaaaa-0000-0000-0000-000000000002',
  lead: 'aaaaaaaa-0000-0000-0000-000000000003',
  cs: 'aaaaaaaa-0000-0000-0000-000000000004',
  admin: 'aaaaaaaa-0000-0000-0000-000000000005',
  guest: 'aaaaaaaa-0000-0000-0000-000000000009',
} as const;
type Who = keyof typeof OID;
const quiet = new Writable({ write: (_c, _e, done) => done() });

/**
 * Two clients: Contoso (77, account manager agent 8) with projects 4100 and 4200 managed by agent 5
 * (the pm), Fabrikam (78, no account manager) with project 4300 managed by agent 7; a contract each.
 */
async function seedWorld(db: Db): Promise<void> {
  const at = '2026-01-01T00:00:00Z';
  await db.query(
    `INSERT INTO halo_clients (tenant_id, id, name, account_manager_id, raw, hash, synced_at)
     VALUES ($1, 77, 'Contoso', 8, '{}', 'h', $2), ($1, 78, 'Fabrikam', NULL, '{}', 'h', $2)`,
    [TENANT, at],
  );
  await db.query(
    `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
     VALUES ($1, 5, 'Pat Manager', 'pm@msp.example', '{}', 'h', $2),
            ($1, 7, 'Other Manager', 'other@msp.example', '{}', 'h', $2),
            ($1, 8, 'Alex Account', 'am@msp.example', '{}', 'h', $2)`,
    [TENANT, at],
  );
  for (const [id, client, agent] of [
    [4100, 77, 5],
    [4200, 77, 5],
    [4300, 78, 7],
  ] as const) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, $5, '{}', 'h', $6)`,
      [TENANT, id, client, `Project ${id}`, agent, at],
    );
    await db.query(
      `INSERT INTO halo_milestones (tenant_id, id, project_id, name, sequence, raw, synced_at)
       VALUES ($1, $2, $3, 'Gate: UAT sign-off', 1, '{}', $4)`,
      [TENANT, id * 10 + 1, id, at],
    );
  }
  await db.query(
    `INSERT INTO halo_contracts (tenant_id, id, client_id, ref, end_date, raw, hash, synced_at)
     VALUES ($1, 900, 77, 'C-900', '2026-03-01', '{}', 'h', $2),
            ($1, 901, 78, 'C-901', '2026-03-01', '{}', 'h', $2)`,
    [TENANT, at],
  );
  await new SqlRoleDirectory(db, TENANT).grant([
    { aadObjectId: OID.pm, email: 'pm@msp.example', role: 'pm' },
    { aadObjectId: OID.am, email: 'am@msp.example', role: 'account_manager' },
    { aadObjectId: OID.lead, email: 'lead@msp.example', role: 'pmo_lead' },
    { aadObjectId: OID.cs, email: 'cs@msp.example', role: 'cs_lead' },
    { aadObjectId: OID.admin, email: 'admin@msp.example', role: 'admin' },
  ]);
}

describe.each(testDatabases())('reads need a role, on every tab API route ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let jwks: JwksDouble;
  let server: Server;
  let url: string;
  let routes: ApiRoute[];

  beforeAll(async () => {
    handle = await database.open();
    jwks = await new JwksDouble().start();
    const { db } = handle;
    await seedWorld(db);
    const roles = new SqlRoleDirectory(db, TENANT);
    const clock = { now: () => new Date('2026-02-01T09:00:00Z') };
    const logger = createLogger('silent', {}, quiet);
    const links = new TabLinks({ teamsAppId: null, entityId: 'portfolio', webBaseUrl: 'http://x' });
    const outbox = new ChangeSignal();
    const delivery = createDeliveryModule({
      db,
      tenantId: TENANT,
      mode: 'production',
      clock: { now: () => new Date() },
      logger,
      roles,
      sso: {
        clientId: CLIENT_ID,
        appIdUri: null,
        allowedTenantIds: [ENTRA_TID],
        openIdMetadataUrl: jwks.metadataUrl,
      },
      outbox,
      schedules: { evaluate: '0 6 * * *', weeklyReport: '0 7 * * 1' },
      links,
      liveCards: {},
    });
    const gates = createGatesModule({
      config: {
        tenantId: TENANT,
        mode: 'production',
        database: { url: null, dataDir: '.data', entraClientId: null },
        sharepointSiteId: null,
        evidence: {
          driveId: null,
          graphUrl: 'https://graph.microsoft.com',
          graph: {
            tenantId: null,
            clientId: null,
            clientSecret: null,
            managedIdentityClientId: null,
          },
        },
        gates: {
          slaCron: '*/30 * * * *',
          twoApproversFromBudget: null,
          reminderAfterHours: 24,
          escalateAfterHours: 48,
        },
      },
      db,
      clock,
      outboxChanged: outbox,
      writebackQueued: new ChangeSignal(),
      roles,
      links,
      logger,
      evidence: null,
    });
    const renewals = createRenewalsModule({
      db,
      tenantId: TENANT,
      clock,
      outboxChanged: outbox,
      roles,
      links,
      logger,
      evaluateCron: '0 6 * * *',
    });
    routes = [...delivery.routes, ...gates.routes, ...renewals.routes];
    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    mountApi(server, { routes, auth: delivery.auth, logger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/api/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await jwks.stop();
    await handle.dispose();
  });

  const token = (who: Who, overrides: TokenClaims = {}) =>
    jwks.token(CLIENT_ID, 'unused', {
      iss: `https://login.microsoftonline.com/${ENTRA_TID}/v2.0`,
      tid: ENTRA_TID,
      oid: OID[who],
      name: who,
      ...overrides,
    });
  const call = async (who: Who, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token(who)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const get = (who: Who, path: string) => call(who, 'GET', path);
  const code = (body: unknown) => (body as ApiErrorBody).error.code;

  test('a signed-in guest with no role is refused every route but /me, with "ask your admin"', async () => {
    const me = await get('guest', '/me');
    expect(me.status).toBe(200);
    const verbs = { get: 'GET', post: 'POST', put: 'PUT', del: 'DELETE' } as const;
    const refused: string[] = [];
    for (const route of routes.filter((r) => r.path !== '/me')) {
      const path = route.path.replace(/:[A-Za-z]+/g, (p) => (p === ':gateId' ? 'g-1' : '4100'));
      const { status, body } = await call(
        'guest',
        verbs[route.method],
        path,
        route.method === 'get' ? undefined : {},
      );
      expect([route.method, route.path, status, code(body)]).toEqual([
        route.method,
        route.path,
        403,
        'no-role',
      ]);
      expect((body as ApiErrorBody).error.message).toContain('admin');
      refused.push(`${route.method} ${route.path}`);
    }
    // Every family was covered: delivery, gates, renewals and settings.
    for (const path of [
      'get /projects',
      'get /projects/:id',
      'get /clients',
      'get /kpis',
      'get /report/weekly',
      'get /exceptions',
      'get /gates',
      'get /gates/:gateId',
      'get /projects/:projectId/gate-form',
      'get /renewals',
      'get /renewals/kpis',
      'get /renewals/governance',
      'get /contracts/:contractId',
      'get /concessions/:concessionId',
      'get /settings/policy',
    ]) {
      expect(refused).toContain(path);
    }
  });

  test('projects: a pm reads the ones they manage, an account manager their clients', async () => {
    const pm = (await get('pm', '/projects?status=all')).body as ProjectsPageDto;
    expect(pm.items.map((p) => p.id).sort()).toEqual([4100, 4200]);
    expect((await get('pm', '/projects/4300')).status).toBe(403);
    expect(code((await get('pm', '/projects/4300')).body)).toBe('forbidden');
    expect((await get('pm', '/projects/4100')).status).not.toBe(403);
    const clients = (await get('pm', '/clients')).body as ClientsDto;
    expect(clients.items.map((c) => c.id)).toEqual([77]);

    const am = (await get('am', '/projects?status=all')).body as ProjectsPageDto;
    expect(am.items.map((p) => p.id).sort()).toEqual([4100, 4200]);
    expect((await get('am', '/projects/4300')).status).toBe(403);

    const lead = (await get('lead', '/projects?status=all')).body as ProjectsPageDto;
    expect(lead.items.map((p) => p.id).sort()).toEqual([4100, 4200, 4300]);
    expect((await get('lead', '/projects/4300')).status).not.toBe(403);
  });

  test('gates: the gate form and a gate are read by those who read the project', async () => {
    expect((await get('pm', '/projects/4100/gate-form')).status).toBe(200);
    expect((await get('pm', '/projects/4300/gate-form')).status).toBe(403);
    expect((await get('lead', '/projects/4300/gate-form')).status).toBe(200);
    expect((await get('pm', '/gates')).status).toBe(200);
  });

  test('contracts and commercial figures: account roles only, an account manager their clients', async () => {
    for (const path of ['/renewals', '/renewals/kpis', '/concessions/1']) {
      expect([path, (await get('pm', path)).status]).toEqual([path, 403]);
      expect([path, (await get('lead', path)).status]).toEqual([path, 403]);
    }
    expect((await get('lead', '/contracts/900')).status).toBe(403);
    // A PM reads the contract page of a client whose project they manage, read-only and without
    // commercial figures; not another client's.
    const pmPage = await get('pm', '/contracts/900');
    expect(pmPage.status).toBe(200);
    expect(pmPage.body).toMatchObject({
      view: 'redacted',
      uplift: [],
      concessions: [],
      actions: {
        logCheckpoint: false,
        editStakeholders: false,
        completeTasks: false,
        requestConcession: false,
        answerUplift: false,
        reassignOwner: false,
        decideConcessionIds: [],
      },
    });
    expect((await get('pm', '/contracts/901')).status).toBe(403);
    expect((await get('am', '/contracts/900')).body).toMatchObject({ view: 'full' });
    expect((await get('am', '/contracts/901')).status).toBe(403);
    expect((await get('am', '/contracts/900')).status).not.toBe(403);
    expect((await get('am', '/renewals')).status).toBe(200);
    expect((await get('am', '/renewals/kpis')).status).toBe(403);
    expect((await get('cs', '/contracts/901')).status).not.toBe(403);
    expect((await get('cs', '/renewals/kpis')).status).toBe(200);
  });

  test('KPIs, exceptions, governance and settings: the roles SPEC §1 names', async () => {
    expect((await get('pm', '/kpis')).status).toBe(403);
    expect((await get('lead', '/kpis')).status).toBe(200);
    expect((await get('pm', '/exceptions')).status).toBe(403);
    expect((await get('lead', '/exceptions')).status).toBe(200);
    expect((await get('admin', '/exceptions')).status).toBe(200);
    expect((await get('lead', '/renewals/governance')).status).toBe(403);
    expect((await get('cs', '/renewals/governance')).status).toBe(200);
    expect((await get('lead', '/settings/roles')).status).toBe(403);
    expect((await get('admin', '/settings/roles')).status).toBe(200);
  });

  test('the weekly report: a pm reads the lines of their projects only', async () => {
    const report = await get('pm', '/report/weekly');
    expect(report.status).toBe(200);
    const lines = (report.body as { lines: { projectId: number }[] }).lines;
    expect(lines.every((l) => [4100, 4200].includes(l.projectId))).toBe(true);
    expect((await get('guest', '/report/weekly?format=csv')).status).toBe(403);
  });
});

describe('tab sign-in refuses an unsigned token before any network call', () => {
  test('alg none, HS256 and garbage are 401 even when the OpenID metadata is unreachable', async () => {
    const auth = new TabAuthenticator({
      mode: 'production',
      tenantId: TENANT,
      roles: { resolve: () => Promise.reject(new Error('not reached')), grant: async () => {} },
      sso: {
        clientId: CLIENT_ID,
        appIdUri: null,
        allowedTenantIds: [ENTRA_TID],
        // Nothing listens here: a metadata fetch would fail and answer 503.
        openIdMetadataUrl: 'http://127.0.0.1:9/.well-known/openid-configuration',
      },
      clock: { now: () => new Date() },
    });
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = b64({ tid: ENTRA_TID, oid: OID.admin, aud: CLIENT_ID, exp: 4102444800 });
    for (const forged of [
      `${b64({ alg: 'none', typ: 'JWT' })}.${claims}.`,
      `${b64({ alg: 'HS256', typ: 'JWT' })}.${claims}.${b64({ sig: 1 })}`,
      'not-a-jwt',
    ]) {
      const outcome = await auth
        .authenticate({ authorization: `Bearer ${forged}` })
        .catch((e) => e);
      expect(outcome).toBeInstanceOf(ApiError);
      expect((outcome as ApiError).status).toBe(401);
      expect((outcome as ApiError).code).toBe('invalid-token');
    }
  });
});
