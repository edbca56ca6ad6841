/**
 * The Power BI feed (`/odata`) over real HTTP, on PGlite and PostgreSQL: two tenants' rows in one
 * database, an OData client that follows `@odata.nextLink` to the end of every entity set, the CSDL
 * parsed as XML, the query options, the reporting key (Basic password) and Entra bearer tokens.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import restify, { type Server } from 'restify';
import { SaxesParser } from 'saxes';
import { TabLinks } from '../../bot/tab-links';
import type { IssuedReportingKeyDto, ReportingKeyDto } from '../../src/api/dto';
import { mountApi } from '../../src/api/mount-api';
import { ENTITY_SETS } from '../../src/domain/reporting/odata-model';
import { createDeliveryModule } from '../../src/modules/delivery.module';
import { createReportingModule } from '../../src/modules/reporting.module';
import { createLogger } from '../../src/observability/logger';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { SqlReportingKeys } from '../../src/store/reporting-keys.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { JwksDouble } from '../support/jwks-double';

const TENANT = 'msp-a';
const OTHER = 'msp-b';
const ENTRA_TID = '11111111-2222-3333-4444-555555555555';
const CLIENT_ID = 'tab-client-id';
const ADMIN_OID = 'aaaaaaaa-0000-0000-0000-000000000001';
const DIRECTOR_OID = 'aaaaaaaa-0000-0000-0000-000000000002';
const PM_OID = 'aaaaaaaa-0000-0000-0000-000000000003';
const PAGE_SIZE = 7;
const NOW = new Date('2026-11-23T12:00:00Z');
const quiet = new Writable({ write: (_c, _e, done) => done() });

/** The table behind each entity set (what the counts are checked against). */
const TABLES: Record<string, string> = {
  Projects: 'halo_projects',
  HealthSnapshots: 'health_snapshots',
  Escalations: 'escalations',
  Gates: 'gates',
  Contracts: 'halo_contracts',
  RenewalSnapshots: 'renewal_snapshots',
  KpiSnapshots: 'renewal_kpi_snapshots',
  DeliveryKpiSnapshots: 'delivery_kpi_snapshots',
};

/**
 * Seeds one tenant: `n` projects and contracts (ids from `idBase`), two health and renewal snapshots
 * each, an escalation for every second project, a gate for every third, KPI snapshots on 3 days.
 * Text fields carry `marker`, so another tenant's row is recognisable in any answer.
 */
async function seed(db: Db, tenant: string, n: number, idBase: number, marker: string) {
  const at = NOW.toISOString();
  await db.query(
    `INSERT INTO halo_clients (tenant_id, id, name, raw, hash, synced_at)
     SELECT $1, $2 + i, $3 || ' client ' || i, '{}'::jsonb, 'h', $4 FROM generate_series(0, 2) i`,
    [tenant, idBase, marker, at],
  );
  await db.query(
    `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, start_date, date_closed,
       money_budget, time_budget, on_hold, raw, hash, synced_at)
     SELECT $1, $2 + i, $2 + i % 3, $3 || ' project ' || i || CASE WHEN i = 1 THEN ' O''Brien' ELSE '' END,
       7, timestamptz '2026-01-01T00:00:00Z' + i * interval '10 days',
       CASE WHEN i % 5 = 0 THEN timestamptz '2026-10-01T00:00:00Z' END,
       i * 1000.5, i * 10, i % 4 = 0, '{}'::jsonb, 'h', $4
     FROM generate_series(1, $5::int) i`,
    [tenant, idBase, marker, at, n],
  );
  await db.query(
    `INSERT INTO health_snapshots (tenant_id, project_id, snapshot_date, score, rag, confidence,
       risk_tags, assessment, changes, created_at)
     SELECT $1, $2 + i, d::date, 50 + i, CASE WHEN i % 3 = 0 THEN 'red' ELSE 'green' END, 0.8,
       ARRAY['budget', 'schedule'], '{}'::jsonb, '[]'::jsonb, $3
     FROM generate_series(1, $4::int) i, unnest(ARRAY['2026-11-01', '2026-11-08']) d`,
    [tenant, idBase, at, n],
  );
  await db.query(
    `INSERT INTO escalations (tenant_id, id, project_id, client_id, cause, status, severity, state,
       opened_at, updated_at)
     SELECT $1, $3 || '-esc-' || i, $2 + i, ($2 + i % 3)::text, 'budget', 'open', 'high', '{}'::jsonb, $4, $4
     FROM generate_series(2, $5::int, 2) i`,
    [tenant, idBase, marker, at, n],
  );
  await db.query(
    `INSERT INTO gates (tenant_id, id, project_id, milestone_id, milestone_name, status, pack_version,
       pack_hash, required_approvals, requested_by, requested_at, updated_at)
     SELECT $1, $3 || '-gate-' || i, $2 + i, i, $3 || ' milestone ' || i, 'pending', 1, 'x', 1,
       '{}'::jsonb, $4, $4
     FROM generate_series(3, $5::int, 3) i`,
    [tenant, idBase, marker, at, n],
  );
  await db.query(
    `INSERT INTO halo_contracts (tenant_id, id, client_id, ref, end_date, period_charge, active,
       raw, hash, synced_at)
     SELECT $1, $2 + i, $2 + i % 3, $3 || '-C' || i, timestamptz '2027-01-01T00:00:00Z', 100 * i, true,
       '{}'::jsonb, 'h', $4
     FROM generate_series(1, $5::int) i`,
    [tenant, idBase, marker, at, n],
  );
  await db.query(
    `INSERT INTO renewal_snapshots (tenant_id, contract_id, snapshot_date, client_id, score, band,
       confidence, flagged, end_date, stage, assessment, changes, created_at)
     SELECT $1, $2 + i, d::date, $2 + i % 3, 60, 'watch', 0.7, i % 2 = 0, date '2027-01-01', '60',
       '{}'::jsonb, '[]'::jsonb, $3
     FROM generate_series(1, $4::int) i, unnest(ARRAY['2026-11-01', '2026-11-08']) d`,
    [tenant, idBase, at, n],
  );
  await db.query(
    `INSERT INTO renewal_kpi_snapshots (tenant_id, captured_on, kpis, detail)
     SELECT $1, date '2026-11-01' + i, jsonb_build_object('grr', 0.9 + i / 100.0,
       'upliftConversion', 0.2, 'avgConcessionDepthPct', null), '{}'::jsonb
     FROM generate_series(0, 2) i`,
    [tenant],
  );
  await db.query(
    `INSERT INTO delivery_kpi_snapshots (tenant_id, captured_on, kpis, detail)
     SELECT $1, date '2026-11-01' + i, jsonb_build_object('onTimeMilestoneRate', 0.8,
       'budgetVariance', 0.1 + i / 100.0, 'grossMarginAccuracy', null), '{}'::jsonb
     FROM generate_series(0, 1) i`,
    [tenant],
  );
}

type FeedBody = {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: Array<Record<string, unknown>>;
};
type ErrorBody = { error: { code: string; message: string } };

describe.each(testDatabases())('the Power BI feed ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let jwks: JwksDouble;
  let server: Server;
  let base: string;
  let key: string;

  beforeAll(async () => {
    handle = await database.open();
    jwks = await new JwksDouble().start();
    const { db } = handle;
    const roles = new SqlRoleDirectory(db, TENANT);
    await roles.grant([
      { aadObjectId: ADMIN_OID, email: 'admin@msp.example', role: 'admin' },
      { aadObjectId: DIRECTOR_OID, email: 'dd@msp.example', role: 'delivery_director' },
      { aadObjectId: PM_OID, email: 'pm@msp.example', role: 'pm' },
    ]);
    await seed(db, TENANT, 23, 1000, 'Alpha');
    await seed(db, OTHER, 9, 90000, 'Bravo');
    // Tokens of the JWKS double are signed on the wall clock, so sign-in checks run on it too.
    const clock = { now: () => new Date() };
    const logger = createLogger('silent', {}, quiet);
    const delivery = createDeliveryModule({
      ...{ db, tenantId: TENANT, mode: 'production', clock, logger, roles },
      sso: {
        clientId: CLIENT_ID,
        appIdUri: null,
        allowedTenantIds: [ENTRA_TID],
        openIdMetadataUrl: jwks.metadataUrl,
      },
      outbox: new ChangeSignal(),
      schedules: { evaluate: '0 6 * * *', weeklyReport: '0 7 * * 1' },
      links: new TabLinks({ teamsAppId: null, entityId: 'portfolio', webBaseUrl: 'http://x' }),
      liveCards: {},
    });
    const reporting = createReportingModule({
      ...{ db, tenantId: TENANT, clock, auth: delivery.auth, logger, pageSize: PAGE_SIZE },
      entraTenantId: ENTRA_TID,
    });
    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    mountApi(server, { routes: reporting.routes, auth: delivery.auth, logger });
    reporting.mountFeed(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
    const issued = await rotateKey(token(ADMIN_OID));
    expect(issued.status).toBe(201);
    key = issued.body.key;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await jwks.stop();
    await handle.dispose();
  });

  const token = (oid: string) =>
    jwks.token(CLIENT_ID, 'unused', {
      iss: `https://login.microsoftonline.com/${ENTRA_TID}/v2.0`,
      tid: ENTRA_TID,
      oid,
      name: oid,
    });
  const basic = (password: string, user = 'powerbi') => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });
  const rotateKey = async (bearerToken: string) => {
    const response = await fetch(`${base}/api/v1/settings/reporting-key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearerToken}` },
    });
    return { status: response.status, body: (await response.json()) as IssuedReportingKeyDto };
  };
  const get = async <T = FeedBody>(
    pathOrUrl: string,
    headers: Record<string, string> = basic(key),
  ) => {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
    const response = await fetch(url, { headers });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as T,
    };
  };
  /** An OData client: follows @odata.nextLink to the end, as Power BI does. */
  const readAll = async (path: string) => {
    const rows: Array<Record<string, unknown>> = [];
    let next: string | undefined = path;
    let pages = 0;
    let first: FeedBody | null = null;
    while (next !== undefined) {
      const page: { status: number; body: FeedBody } = await get(next);
      expect(page.status).toBe(200);
      first ??= page.body;
      rows.push(...page.body.value);
      pages += 1;
      expect(pages).toBeLessThan(100);
      next = page.body['@odata.nextLink'];
    }
    return { rows, pages, first: first! };
  };
  const count = async (sql: string, params: unknown[] = [TENANT]) =>
    Number((await handle.db.query<{ n: string }>(sql, params))[0]!.n);

  test('an OData client reads every entity set to the end; the counts equal the database', async () => {
    for (const set of ENTITY_SETS) {
      const { rows, pages, first } = await readAll(`/odata/${set.name}?$count=true`);
      const expected = await count(
        `SELECT count(*) AS n FROM ${TABLES[set.name]} WHERE tenant_id = $1`,
      );
      expect({ set: set.name, rows: rows.length }).toEqual({ set: set.name, rows: expected });
      expect(first['@odata.count']).toBe(expected);
      expect(first['@odata.context']).toBe(`${base}/odata/$metadata#${set.name}`);
      expect(pages).toBe(Math.max(1, Math.ceil(expected / PAGE_SIZE)));
      // Keys are unique across pages: paging neither repeats nor skips a row.
      const keys = new Set(rows.map((r) => set.key.map((k) => String(r[k])).join('|')));
      expect(keys.size).toBe(expected);
      expect(Object.keys(rows[0]!)).toEqual(set.properties.map((p) => p.name));
    }
    const projects = (await readAll('/odata/Projects')).rows;
    expect(projects[0]).toMatchObject({
      Id: 1001,
      ClientId: 1001,
      ClientName: 'Alpha client 1',
      StartDate: '2026-01-11T00:00:00.000Z',
      MoneyBudget: 1000.5,
      OnHold: false,
      DateClosed: null,
    });
    const health = (await readAll('/odata/HealthSnapshots')).rows;
    expect(health[0]).toMatchObject({
      ProjectId: 1001,
      SnapshotDate: '2026-11-01',
      RiskTags: 'budget,schedule',
    });
    const kpis = (await readAll('/odata/KpiSnapshots')).rows;
    expect(kpis[0]).toEqual({
      CapturedOn: '2026-11-01',
      GrossRetentionRate: 0.9,
      UpliftConversionRate: 0.2,
      AverageConcessionDepthPct: null,
    });
    const delivery = (await readAll('/odata/DeliveryKpiSnapshots')).rows;
    expect(delivery).toEqual([
      {
        CapturedOn: '2026-11-01',
        OnTimeMilestoneRate: 0.8,
        BudgetVariance: 0.1,
        GrossMarginAccuracy: null,
      },
      {
        CapturedOn: '2026-11-02',
        OnTimeMilestoneRate: 0.8,
        BudgetVariance: 0.11,
        GrossMarginAccuracy: null,
      },
    ]);
  });

  test("another tenant's rows never appear, whatever the filter", async () => {
    for (const set of ENTITY_SETS) {
      const { rows } = await readAll(`/odata/${set.name}`);
      expect(JSON.stringify(rows)).not.toContain('Bravo');
    }
    const other = await get('/odata/Projects?$filter=Id ge 90000');
    expect(other.body.value).toEqual([]);
    const byName = await get("/odata/Projects?$filter=ClientName eq 'Bravo client 1'");
    expect(byName.body.value).toEqual([]);
  });

  test('$metadata is CSDL XML naming every entity set and type with its key and typed properties', async () => {
    const response = await get<null>('/odata/$metadata');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/xml');
    expect(response.headers.get('odata-version')).toBe('4.0');
    const parser = new SaxesParser({ xmlns: true });
    const types = new Map<string, { keys: string[]; properties: Record<string, string> }>();
    const sets = new Map<string, string>();
    let current: { keys: string[]; properties: Record<string, string> } | null = null;
    let version = '';
    parser.on('opentag', (tag) => {
      const attr = (name: string) => String(tag.attributes[name]?.value ?? '');
      if (tag.local === 'Edmx') version = attr('Version');
      if (tag.local === 'EntityType') {
        current = { keys: [], properties: {} };
        types.set(attr('Name'), current);
      }
      if (tag.local === 'PropertyRef') current?.keys.push(attr('Name'));
      if (tag.local === 'Property' && current) current.properties[attr('Name')] = attr('Type');
      if (tag.local === 'EntitySet') sets.set(attr('Name'), attr('EntityType'));
    });
    parser.write(response.text).close();
    expect(version).toBe('4.0');
    expect([...sets.keys()]).toEqual([
      'Projects',
      'HealthSnapshots',
      'Escalations',
      'Gates',
      'Contracts',
      'RenewalSnapshots',
      'KpiSnapshots',
      'DeliveryKpiSnapshots',
    ]);
    for (const set of ENTITY_SETS) {
      expect(sets.get(set.name)).toBe(`ControlTower.${set.entityType}`);
      const type = types.get(set.entityType)!;
      expect(type.keys).toEqual(set.key);
      expect(type.keys.length).toBeGreaterThan(0);
      for (const k of type.keys) expect(type.properties[k]).toBeDefined();
    }
    expect(types.get('Project')!.properties).toMatchObject({
      Id: 'Edm.Int64',
      StartDate: 'Edm.DateTimeOffset',
      MoneyBudget: 'Edm.Double',
      OnHold: 'Edm.Boolean',
    });
    expect(types.get('HealthSnapshot')!.properties.SnapshotDate).toBe('Edm.Date');
  });

  test('the service document lists every entity set', async () => {
    const response = await get<{
      '@odata.context': string;
      value: Array<{ name: string; kind: string; url: string }>;
    }>('/odata');
    expect(response.status).toBe(200);
    expect(response.body['@odata.context']).toBe(`${base}/odata/$metadata`);
    expect(response.body.value.map((s) => s.name)).toEqual(ENTITY_SETS.map((s) => s.name));
    expect(response.body.value.every((s) => s.kind === 'EntitySet' && s.url === s.name)).toBe(true);
    // Typed with a trailing slash, as people paste it into Power BI, the root answers the same.
    const slashed = await get('/odata/');
    expect({ status: slashed.status, body: slashed.body }).toEqual({
      status: 200,
      body: response.body,
    });
  });

  test('$select returns only the named properties and names them in the context', async () => {
    const { rows, first } = await readAll('/odata/Projects?$select=Summary,Id');
    expect(rows).toHaveLength(23);
    expect(first['@odata.context']).toBe(`${base}/odata/$metadata#Projects(Id,Summary)`);
    expect(rows.every((r) => Object.keys(r).join() === 'Id,Summary')).toBe(true);
  });

  test('$filter compares properties with typed literals, joined by and', async () => {
    const cases: Array<[string, string, string]> = [
      [
        'Projects',
        'MoneyBudget ge 5000 and (OnHold eq false)',
        'SELECT count(*) AS n FROM halo_projects WHERE tenant_id = $1 AND money_budget >= 5000 AND NOT on_hold',
      ],
      [
        'Projects',
        'DateClosed eq null',
        'SELECT count(*) AS n FROM halo_projects WHERE tenant_id = $1 AND date_closed IS NULL',
      ],
      [
        'Projects',
        'DateClosed ne null and StartDate lt 2026-06-01T00:00:00Z',
        "SELECT count(*) AS n FROM halo_projects WHERE tenant_id = $1 AND date_closed IS NOT NULL AND start_date < '2026-06-01T00:00:00Z'",
      ],
      [
        'HealthSnapshots',
        "SnapshotDate eq 2026-11-08 and Rag ne 'red'",
        "SELECT count(*) AS n FROM health_snapshots WHERE tenant_id = $1 AND snapshot_date = '2026-11-08' AND rag <> 'red'",
      ],
      [
        'RenewalSnapshots',
        'Flagged eq true and ContractId le 1010',
        'SELECT count(*) AS n FROM renewal_snapshots WHERE tenant_id = $1 AND flagged AND contract_id <= 1010',
      ],
    ];
    for (const [set, filter, sql] of cases) {
      const { rows } = await readAll(`/odata/${set}?$filter=${encodeURIComponent(filter)}`);
      const expected = await count(sql);
      expect({ filter, rows: rows.length }).toEqual({ filter, rows: expected });
      expect(expected).toBeGreaterThan(0);
    }
    const quoted = await get(
      `/odata/Projects?$filter=${encodeURIComponent("Summary eq 'Alpha project 1 O''Brien'")}`,
    );
    expect(quoted.body.value.map((r) => r.Id)).toEqual([1001]);
  });

  test('$top and $skip cut the ordered rows, and paging stops at $top', async () => {
    const { rows, pages } = await readAll(
      '/odata/Projects?$orderby=MoneyBudget desc&$skip=2&$top=10&$select=Id',
    );
    expect(rows.map((r) => r.Id)).toEqual([
      1021, 1020, 1019, 1018, 1017, 1016, 1015, 1014, 1013, 1012,
    ]);
    expect(pages).toBe(2);
    const empty = await get('/odata/Projects?$top=0');
    expect(empty.body.value).toEqual([]);
    expect(empty.body['@odata.nextLink']).toBeUndefined();
    const past = await get('/odata/Projects?$skip=1000');
    expect(past.body.value).toEqual([]);
  });

  test('a missing or wrong reporting key is a 401 with WWW-Authenticate', async () => {
    for (const headers of [
      {},
      basic('ctrk_wrong'),
      basic(''),
      { authorization: 'Basic !!!' },
      { authorization: 'Digest x' },
    ]) {
      const response = await get<ErrorBody>('/odata/Projects', headers as Record<string, string>);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Basic realm=');
      expect(response.body.error.code).toBe('Unauthorized');
    }
    // The other tenant's key opens nothing here.
    const otherKey = (await new SqlReportingKeys(handle.db, { now: () => NOW }).issue(OTHER, 'x'))
      .key;
    expect((await get('/odata/Projects', basic(otherKey))).status).toBe(401);
    expect((await get('/odata/$metadata', basic('nope'))).status).toBe(401);
  });

  test('rotating the key invalidates the old one, is admin-only and audited', async () => {
    const old = key;
    expect((await get('/odata/Gates', basic(old))).status).toBe(200);
    const refused = await rotateKey(token(PM_OID));
    expect(refused.status).toBe(403);
    const rotated = await rotateKey(token(ADMIN_OID));
    expect(rotated.status).toBe(200);
    key = rotated.body.key;
    expect(key).not.toBe(old);
    expect(rotated.body.hint).toBe(key.slice(-4));
    expect((await get('/odata/Gates', basic(old))).status).toBe(401);
    expect((await get('/odata/Gates', basic(key))).status).toBe(200);
    const described = await fetch(`${base}/api/v1/settings/reporting-key`, {
      headers: { authorization: `Bearer ${token(ADMIN_OID)}` },
    });
    const view = (await described.json()) as ReportingKeyDto;
    expect(view).toMatchObject({ configured: true, hint: key.slice(-4), feedPath: '/odata' });
    expect(JSON.stringify(view)).not.toContain(key);
    const stored = await handle.db.query<{ key_hash: string }>(
      'SELECT key_hash FROM reporting_keys WHERE tenant_id = $1',
      [TENANT],
    );
    expect(stored[0]!.key_hash).not.toContain(key);
    const audit = await handle.db.query<{ action: string; detail: unknown }>(
      "SELECT action, detail FROM audit_log WHERE tenant_id = $1 AND subject_type = 'reporting-key' ORDER BY seq",
      [TENANT],
    );
    expect(audit.map((a) => a.action)).toEqual(['reporting-key.created', 'reporting-key.rotated']);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  test('an Entra token of a reporting role reads the feed; other roles and bad tokens do not', async () => {
    const director = await get('/odata/Projects?$top=1', {
      authorization: `Bearer ${token(DIRECTOR_OID)}`,
    });
    expect(director.status).toBe(200);
    expect(director.body.value).toHaveLength(1);
    const pm = await get<ErrorBody>('/odata/Projects', {
      authorization: `Bearer ${token(PM_OID)}`,
    });
    expect(pm.status).toBe(403);
    const forged = await get<ErrorBody>('/odata/Projects', { authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain(
      `Bearer realm="https://login.microsoftonline.com/${ENTRA_TID}", authorization_uri="https://login.microsoftonline.com/${ENTRA_TID}/oauth2/authorize"`,
    );
  });

  test('hostile or unsupported query options are a 400 with an OData error body', async () => {
    const hostile = [
      '$filter=Id eq 1 or Id eq 2',
      "$filter=Summary eq 'unterminated",
      '$filter=Nope eq 1',
      "$filter=Id eq '1'",
      '$filter=Id eq 1; DROP TABLE halo_projects',
      "$filter=Summary eq 'x' --",
      '$filter=Id eq 99999999999999999999',
      "$filter=contains(Summary,'a')",
      `$filter=${'('.repeat(50)}Id eq 1${')'.repeat(50)}`,
      '$filter=StartDate gt 2026-02-30T00:00:00Z',
      '$filter=Id gt null',
      '$filter=',
      '$filter=Id eq 1&$filter=Id eq 2',
      '$expand=Gates',
      '$top=-1',
      '$top=abc',
      '$skip=1e3',
      '$select=Id,,Summary',
      '$select=Id;drop',
      '$orderby=Id sideways',
      '$count=yes',
      '$format=xml',
      '$skiptoken=x',
    ];
    for (const query of hostile) {
      const encoded = query
        .split('&')
        .map((pair) => {
          const [name, ...value] = pair.split('=');
          return `${name}=${encodeURIComponent(value.join('='))}`;
        })
        .join('&');
      const response = await get<ErrorBody>(`/odata/Projects?${encoded}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.body.error.code).toBe('BadRequest');
      expect(response.body.error.message.length).toBeGreaterThan(5);
    }
    expect((await get<ErrorBody>('/odata/Nothing')).status).toBe(404);
    expect((await get<ErrorBody>('/odata/Projects(1)/Gates')).status).toBe(404);
    expect(await count('SELECT count(*) AS n FROM halo_projects WHERE tenant_id = $1')).toBe(23);
  });

  test('no $filter text ever answers a 5xx', async () => {
    const alphabet = fc.constantFrom(
      ...[
        'Id',
        'Summary',
        'StartDate',
        'eq',
        'and',
        'or',
        ' ',
        "'",
        '(',
        ')',
        '1',
        '-',
        '.',
        'e',
        'null',
        'true',
        '2026-01-01',
        'T00:00:00Z',
        ';',
        '%',
        '\\',
        'é',
      ],
    );
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 12 }), async (parts) => {
        const response = await get(
          `/odata/Projects?$top=2&$filter=${encodeURIComponent(parts.join(''))}`,
        );
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 120 },
    );
  });
});
