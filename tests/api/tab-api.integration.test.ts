/**
 * The tab API of the demo app end to end over real HTTP: demo sign-in, the portfolio, a red project's
 * detail, the report, KPIs, exceptions, admin settings, and tenant isolation.
 */
import { Writable } from 'node:stream';
import type {
  ApiErrorBody,
  ClientsDto,
  DemoUsersDto,
  ExceptionsPageDto,
  KpisDto,
  MeDto,
  PilotSettingsDto,
  PolicySettingsDto,
  ProjectDetailDto,
  ProjectListItemDto,
  ProjectsPageDto,
  RolesSettingsDto,
  RoutingSettingsDto,
  WeeklyReportDto,
  DeliveryGovernanceDto,
} from '../../src/api/dto';
import { loadConfig } from '../../src/config';
import { startApp, type RunningApp } from '../../src/main';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const NOW = new Date('2026-11-23T12:00:00Z');

describe('the tab API of the demo app', () => {
  let app: RunningApp;
  let users: DemoUsersDto['items'];
  let admin: string;
  let pm: string;
  /** A PMO lead: reads every project, the KPIs and the exceptions (a pm reads their own projects). */
  let lead: string;

  beforeAll(async () => {
    app = await startApp(loadConfig({ PORT: '0', HALO_SIM_PORT: '0', LOG_LEVEL: 'warn' }), {
      database: { memory: true },
      schedule: false,
      logDestination: quiet,
      clock: { now: () => NOW },
      demo: { seed: 11, asOf: '2026-11-23' },
    });
    const response = await fetch(`${app.url}/api/v1/demo/users`);
    users = ((await response.json()) as DemoUsersDto).items;
    admin = users.find((u) => u.roles.includes('admin'))!.signInEmail;
    pm = users.find((u) => u.roles.length === 1 && u.roles[0] === 'pm')!.signInEmail;
    lead = users.find((u) => u.roles.includes('pmo_lead'))!.signInEmail;
    // Start-up syncs and evaluates the demo portfolio: slow on a loaded machine.
  }, 240_000);
  afterAll(async () => {
    await app.close();
  });

  const call = async (
    path: string,
    user: string | null,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(user ? { 'X-Demo-User': user } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json')
      ? (JSON.parse(text) as unknown)
      : null;
    return { status: response.status, json, text, headers: response.headers };
  };
  const code = (json: unknown) => (json as ApiErrorBody).error.code;

  test('lists the demo users with their roles, and signs one in with X-Demo-User', async () => {
    expect(users.length).toBeGreaterThanOrEqual(6);
    expect(users.every((u) => u.roles.length > 0 && u.signInEmail.includes('@'))).toBe(true);
    const me = await call('/me', pm);
    expect(me.status).toBe(200);
    expect(me.json as MeDto).toMatchObject({ tenantId: 'demo', roles: ['pm'], mode: 'demo' });
  });

  test('without a sign-in, or as an unknown user, every route is 401 with a clear code', async () => {
    const none = await call('/projects', null);
    expect(none.status).toBe(401);
    expect(code(none.json)).toBe('unauthenticated');
    const stranger = await call('/projects', 'nobody@example.com');
    expect(stranger.status).toBe(401);
    expect(code(stranger.json)).toBe('unknown-demo-user');
  });

  test('/projects pages through every open demo project, worst first, each with its RAG', async () => {
    const open = await app.db.query<{ id: number; rag: string }>(
      `SELECT p.id, coalesce(h.rag, 'unknown') AS rag FROM halo_projects p
         LEFT JOIN project_health_latest h ON h.tenant_id = p.tenant_id AND h.project_id = p.id
        WHERE p.tenant_id = 'demo' AND coalesce(h.status <> 'closed', p.date_closed IS NULL)`,
    );
    expect(open.length).toBeGreaterThan(5);
    const seen: ProjectListItemDto[] = [];
    let first: ProjectsPageDto | null = null;
    for (let page = 1; page <= 100; page += 1) {
      const r = await call(`/projects?page=${page}&pageSize=4`, lead);
      expect(r.status).toBe(200);
      const body = r.json as ProjectsPageDto;
      first ??= body;
      expect(body.pageSize).toBe(4);
      expect(body.page).toBe(page);
      if (body.items.length === 0) break;
      seen.push(...body.items);
    }
    expect(first!.total).toBe(open.length);
    expect(seen.map((p) => p.id).sort((a, b) => a - b)).toEqual(
      open.map((p) => Number(p.id)).sort((a, b) => a - b),
    );
    const ragOf = new Map(open.map((p) => [Number(p.id), p.rag]));
    for (const item of seen) {
      expect(item.health.rag).toBe(ragOf.get(item.id));
      expect(item.name.length).toBeGreaterThan(0);
      expect(item.client.name.length).toBeGreaterThan(0);
    }
    // Worst first: red before amber before unknown before green.
    const order = { red: 0, amber: 1, unknown: 2, green: 3 };
    const ranks = seen.map((p) => order[p.health.rag]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const counts = first!.counts;
    expect(counts.red + counts.amber + counts.green + counts.unknown).toBe(open.length);
    expect(counts.red).toBeGreaterThan(0);
  });

  test('/projects filters by RAG, client and text, and refuses a bad filter with 400', async () => {
    const red = (await call('/projects?rag=red&pageSize=200', pm)).json as ProjectsPageDto;
    expect(red.items.length).toBe(red.counts.red);
    expect(red.items.every((p) => p.health.rag === 'red')).toBe(true);
    const someone = red.items[0]!;
    const byClient = (await call(`/projects?clientId=${someone.client.id}&pageSize=200`, pm))
      .json as ProjectsPageDto;
    expect(byClient.items.length).toBeGreaterThan(0);
    expect(byClient.items.every((p) => p.client.id === someone.client.id)).toBe(true);
    const byText = (await call(`/projects?q=${encodeURIComponent(someone.name)}`, pm))
      .json as ProjectsPageDto;
    expect(byText.items.map((p) => p.id)).toContain(someone.id);
    const bad = await call('/projects?rag=purple&pageSize=0', pm);
    expect(bad.status).toBe(400);
    expect(code(bad.json)).toMatch(/invalid-(query|request)/);
    const tooBig = await call('/projects?pageSize=100000', pm);
    expect(tooBig.status).toBe(400);
  });

  test('/projects/:id of a red project returns its drivers, a non-empty trend, EVM and milestones', async () => {
    const red = (await call('/projects?rag=red', pm)).json as ProjectsPageDto;
    const project = red.items[0]!;
    expect(project.health.drivers.length).toBeGreaterThan(0);
    const r = await call(`/projects/${project.id}`, pm);
    expect(r.status).toBe(200);
    const detail = r.json as ProjectDetailDto;
    expect(detail.health.rag).toBe('red');
    expect(detail.health.drivers.length).toBeGreaterThan(0);
    const worst = detail.health.drivers[0]!;
    expect(worst.contribution).toBeGreaterThan(0);
    expect(worst.threshold.red).toBeGreaterThanOrEqual(worst.threshold.amber);
    expect(worst.display.threshold).toContain('red');
    expect(detail.trend.length).toBeGreaterThan(0);
    expect(detail.trend.at(-1)!.date).toBe(detail.asOf);
    expect(detail.evm.hours).not.toBeNull();
    expect(detail.milestones.length).toBeGreaterThan(0);
    expect(detail.client.name).toBe(project.client.name);
  });

  test('/projects/:id is 404 for an unknown project and 400 for a malformed id', async () => {
    expect((await call('/projects/987654321', pm)).status).toBe(404);
    const bad = await call('/projects/abc', pm);
    expect(bad.status).toBe(400);
    expect(code(bad.json)).toBe('invalid-request');
  });

  test('/clients lists the clients for the channel tab configuration', async () => {
    const body = (await call('/clients', pm)).json as ClientsDto;
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.some((c) => c.activeProjects > 0 && c.worstRag !== 'unknown')).toBe(true);
  });

  test('/report/weekly answers JSON, and CSV with ?format=csv', async () => {
    const json = (await call('/report/weekly', pm)).json as WeeklyReportDto;
    expect(json.weekOf).toBe('2026-11-23');
    const csv = await call('/report/weekly?format=csv', pm);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const raw = Buffer.from(
      await (
        await fetch(`${app.url}/api/v1/report/weekly?format=csv`, {
          headers: { 'X-Demo-User': pm },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for Excel
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'week_of,project_id,project,client,rag,score,causes,mitigation_owner,recovery_date,change_since_last_week',
    );
    expect(lines.length).toBe(json.lines.length + 1);
  });

  test('/kpis gives weekly KPIs with the week-1 baseline and week-4/8 movement', async () => {
    const body = (await call('/kpis?weeks=9', lead)).json as KpisDto;
    expect(body.weeks).toHaveLength(9);
    expect(body.movement.map((m) => m.kpi)).toEqual([
      'onTimeMilestoneRate',
      'budgetVariance',
      'grossMarginAccuracy',
    ]);
    expect(body.weeks.some((w) => w.milestonesDue > 0)).toBe(true);
  });

  test('/delivery/governance gives the judgement record to the PMO side and refuses a PM', async () => {
    expect((await call('/delivery/governance', pm)).status).toBe(403);
    const res = await call('/delivery/governance', admin);
    expect(res.status).toBe(200);
    const body = res.json as DeliveryGovernanceDto;
    expect(body.asOf).toBe('2026-11-23');
    // Every line lands in exactly one outcome, and the totals are those lines counted.
    const count = (o: string) => body.lines.filter((l) => l.outcome === o).length;
    expect(body.confirmed).toBe(count('confirmed'));
    expect(body.neverEscalated).toBe(count('never-escalated'));
    expect(body.escalatedProjects).toBe(
      body.confirmed + body.notARealIssue + body.unconfirmed + body.escalatedLate,
    );
    expect(body.troubledProjects).toBe(body.confirmed + body.escalatedLate + body.neverEscalated);
    expect(body.troubledProjects).toBeGreaterThan(0);
  });

  test('/exceptions pages data-quality exceptions and failed deliveries', async () => {
    await app.db.query(
      `INSERT INTO data_quality_exceptions (tenant_id, resource, record_id, field, problem, first_seen, last_seen)
       VALUES ('demo', 'projects', '4242', 'start_date', 'not a date', $1, $1)`,
      [NOW.toISOString()],
    );
    await app.db.query(
      `INSERT INTO outbox (tenant_id, dedupe_key, kind, stream, payload, status, attempts, next_attempt_at, last_error, created_at)
       VALUES ('demo', 'test:failed', 'weekly-report', 'reports', '{}', 'failed', 8, $1, 'connector 403', $1)`,
      [NOW.toISOString()],
    );
    const body = (await call('/exceptions?type=data-quality&pageSize=200', lead))
      .json as ExceptionsPageDto;
    expect(body.items).toContainEqual(
      expect.objectContaining({ type: 'data-quality', recordId: '4242', field: 'start_date' }),
    );
    expect(body.items.every((i) => i.type === 'data-quality')).toBe(true);
    expect(body.total).toBe(body.counts.dataQuality);
    const all = (await call('/exceptions?pageSize=1', lead)).json as ExceptionsPageDto;
    expect(all.total).toBe(all.counts.dataQuality + all.counts.failedDeliveries);
    expect(all.items).toHaveLength(1);
    const failed = (await call('/exceptions?type=failed-delivery', lead)).json as ExceptionsPageDto;
    expect(failed.items).toContainEqual(
      expect.objectContaining({
        type: 'failed-delivery',
        kind: 'weekly-report',
        attempts: 8,
        lastError: 'connector 403',
      }),
    );
  });

  test('a pm reads only the projects they manage; KPIs, exceptions and contracts are not theirs', async () => {
    const [agent] = await app.db.query<{ id: number | string }>(
      `SELECT id FROM halo_agents WHERE tenant_id = 'demo' AND lower(email) = lower($1)`,
      [pm],
    );
    const agentId = Number(agent!.id);
    const page = (await call('/projects?pageSize=200&status=all', pm)).json as ProjectsPageDto;
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((p) => p.pm?.id === agentId)).toBe(true);
    const [theirs] = await app.db.query<{ id: number | string }>(
      `SELECT id FROM halo_projects WHERE tenant_id = 'demo' AND agent_id = $1 ORDER BY id LIMIT 1`,
      [agentId],
    );
    const [other] = await app.db.query<{ id: number | string }>(
      `SELECT id FROM halo_projects WHERE tenant_id = 'demo' AND agent_id <> $1 ORDER BY id LIMIT 1`,
      [agentId],
    );
    expect((await call(`/projects/${theirs!.id}`, pm)).status).toBe(200);
    const refused = await call(`/projects/${other!.id}`, pm);
    expect(refused.status).toBe(403);
    expect(code(refused.json)).toBe('forbidden');
    const report = (await call('/report/weekly', pm)).json as WeeklyReportDto;
    const mine = new Set(page.items.map((p) => p.id));
    expect(report.lines.every((l) => mine.has(l.projectId))).toBe(true);
    for (const path of ['/kpis', '/exceptions', '/renewals', '/renewals/kpis']) {
      expect([path, (await call(path, pm)).status]).toEqual([path, 403]);
    }
    // The lead reads the project the pm may not.
    expect((await call(`/projects/${other!.id}`, lead)).status).toBe(200);
  });

  test("every demo persona's tab pages answer: what their roles show, a 403 saying who to ask for the rest", async () => {
    const pages = [
      '/me',
      '/projects',
      '/clients',
      '/kpis',
      '/report/weekly',
      '/exceptions',
      '/gates',
      '/renewals',
      '/renewals/kpis',
      '/renewals/governance',
      '/settings/roles',
    ];
    const seen: Record<string, string[]> = {};
    for (const user of users) {
      for (const page of pages) {
        const r = await call(page, user.signInEmail);
        expect([user.name, page, [200, 403].includes(r.status)]).toEqual([user.name, page, true]);
        if (r.status === 200) (seen[user.name] ??= []).push(page);
        else expect((r.json as ApiErrorBody).error.message).toMatch(/admin/i);
      }
    }
    // Each persona lands somewhere: delivery roles on the portfolio, account roles on renewals.
    for (const user of users) {
      const landing = user.roles.some((r) =>
        ['account_manager', 'cs_lead', 'msp_owner'].includes(r),
      )
        ? '/renewals'
        : '/projects';
      expect([user.name, seen[user.name]]).toEqual([user.name, expect.arrayContaining([landing])]);
    }
  });

  test('settings are admin only: a pm is refused, an admin reads every section', async () => {
    for (const section of ['policy', 'routing', 'roles', 'pilot']) {
      const refused = await call(`/settings/${section}`, pm);
      expect(refused.status).toBe(403);
      expect(code(refused.json)).toBe('forbidden');
      expect((await call(`/settings/${section}`, admin)).status).toBe(200);
    }
    const put = await call('/settings/pilot', pm, { method: 'PUT', body: {} });
    expect(put.status).toBe(403);
  });

  test('an admin saves a valid policy as the next version; an invalid one is refused listing its problems', async () => {
    const current = (await call('/settings/policy', admin)).json as PolicySettingsDto;
    const invalid = structuredClone(current.config);
    invalid.default.burn = { amber: 0.5, red: 0.2, backToGreen: 0 };
    const refused = await call('/settings/policy', admin, {
      method: 'PUT',
      body: { config: invalid, baseVersion: current.version },
    });
    expect(refused.status).toBe(400);
    expect(code(refused.json)).toBe('invalid-policy');
    expect((refused.json as ApiErrorBody).error.details).toContain(
      'default: burn: amber must not exceed red',
    );
    const next = structuredClone(current.config);
    next.default.persistenceDays = 4;
    const saved = await call('/settings/policy', admin, {
      method: 'PUT',
      body: { config: next, baseVersion: current.version },
    });
    expect(saved.status).toBe(200);
    const body = saved.json as PolicySettingsDto;
    expect(body.version).toBe((current.version ?? 0) + 1);
    expect(body.config.default.persistenceDays).toBe(4);
    expect(body.updatedBy).toBe(admin);
    const stale = await call('/settings/policy', admin, {
      method: 'PUT',
      body: { config: next, baseVersion: current.version },
    });
    expect(stale.status).toBe(409);
    const garbage = await call('/settings/policy', admin, { method: 'PUT', body: { config: 7 } });
    expect(garbage.status).toBe(400);
    expect(code(garbage.json)).toBe('invalid-request');
  });

  test('pilot settings save as versions and a stale edit is refused', async () => {
    const before = (await call('/settings/pilot', admin)).json as PilotSettingsDto;
    const update = {
      scopeEnabled: true,
      clientIds: [3, 1, 3],
      projectIds: [],
      shadowMode: true,
      automations: { ...before.automations, weeklyReport: false },
      baseVersion: before.version,
    };
    const saved = await call('/settings/pilot', admin, { method: 'PUT', body: update });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({
      scopeEnabled: true,
      clientIds: [1, 3],
      shadowMode: true,
      automations: { weeklyReport: false, escalations: true },
      version: before.version + 1,
    });
    const stale = await call('/settings/pilot', admin, { method: 'PUT', body: update });
    expect(stale.status).toBe(409);
    expect(code(stale.json)).toBe('version-conflict');
    const wrong = await call('/settings/pilot', admin, {
      method: 'PUT',
      body: { ...update, shadowMode: 'yes', baseVersion: undefined },
    });
    expect(wrong.status).toBe(400);
    expect((wrong.json as ApiErrorBody).error.details).toEqual([
      'shadowMode: Expected boolean, received string',
    ]);
  });

  test('roles: the list is replaced, and removing the last admin is refused', async () => {
    const roles = (await call('/settings/roles', admin)).json as RolesSettingsDto;
    expect(roles.items.length).toBeGreaterThan(0);
    const noAdmin = roles.items
      .filter((r) => r.role !== 'admin')
      .map(({ aadObjectId, email, role }) => ({ aadObjectId, email, role }));
    const refused = await call('/settings/roles', admin, {
      method: 'PUT',
      body: { items: noAdmin },
    });
    expect(refused.status).toBe(400);
    expect(code(refused.json)).toBe('last-admin');
    const extra = { aadObjectId: null, email: 'new.lead@example.com', role: 'pmo_lead' };
    const all = roles.items.map(({ aadObjectId, email, role }) => ({ aadObjectId, email, role }));
    const saved = await call('/settings/roles', admin, {
      method: 'PUT',
      body: { items: [...all, extra] },
    });
    expect(saved.status).toBe(200);
    expect((saved.json as RolesSettingsDto).items).toHaveLength(roles.items.length + 1);
    expect((await call('/me', pm)).json).toMatchObject({ roles: ['pm'] });
  });

  test('routing: an admin lists the routes and removes one', async () => {
    await app.db.query(
      `INSERT INTO conversation_routes (tenant_id, stream, client_id, conversation, created_by, created_at)
       VALUES ('demo', 'reports', NULL, $1, 'test', $2)`,
      [JSON.stringify({ conversationId: '19:abc@thread.tacv2', label: 'PMO' }), NOW.toISOString()],
    );
    const listed = (await call('/settings/routing', admin)).json as RoutingSettingsDto;
    const route = listed.items.find((r) => r.conversationId === '19:abc@thread.tacv2')!;
    expect(route).toMatchObject({ stream: 'reports', client: null, conversationName: 'PMO' });
    const after = await call('/settings/routing', admin, {
      method: 'PUT',
      body: { remove: [route.id] },
    });
    expect(after.status).toBe(200);
    expect((after.json as RoutingSettingsDto).items.map((r) => r.id)).not.toContain(route.id);
  });

  test("a tenant never sees another tenant's rows", async () => {
    const otherId = 880_001;
    await app.db.query(
      `INSERT INTO halo_clients (tenant_id, id, name, raw, hash, synced_at) VALUES ('other', 77, 'Other MSP client', '{}', 'h', now())`,
    );
    await app.db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, raw, hash, synced_at)
       VALUES ('other', $1, 77, 'Other tenant secret project', '{}', 'h', now())`,
      [otherId],
    );
    await app.db.query(
      `INSERT INTO health_snapshots (tenant_id, project_id, snapshot_date, score, rag, confidence, risk_tags, assessment, changes, created_at)
       VALUES ('other', $1, '2026-11-23', 10, 'red', 1, '{}', '{"assessment": {"status": "active", "drivers": []}}', '[]', now())`,
      [otherId],
    );
    await app.db.query(
      `INSERT INTO role_assignments (tenant_id, email, role) VALUES ('other', 'spy@other.example', 'admin')`,
    );
    const all = (await call('/projects?status=all&pageSize=200&q=secret', admin))
      .json as ProjectsPageDto;
    expect(all.items).toHaveLength(0);
    const everything = (await call('/projects?status=all&pageSize=200', admin))
      .json as ProjectsPageDto;
    expect(everything.items.map((p) => p.id)).not.toContain(otherId);
    expect((await call(`/projects/${otherId}`, admin)).status).toBe(404);
    const clients = (await call('/clients', admin)).json as ClientsDto;
    expect(clients.items.map((c) => c.name)).not.toContain('Other MSP client');
    const roles = (await call('/settings/roles', admin)).json as RolesSettingsDto;
    expect(roles.items.map((r) => r.email)).not.toContain('spy@other.example');
  });

  test('a body that is not JSON is a 400, never a crash', async () => {
    const response = await fetch(`${app.url}/api/v1/settings/pilot`, {
      method: 'PUT',
      headers: { 'X-Demo-User': admin, 'content-type': 'application/json' },
      body: '{"scopeEnabled": tru',
    });
    expect(response.status).toBe(400);
    const empty = await call('/settings/roles', admin, { method: 'PUT' });
    expect(empty.status).toBe(400);
    expect(code(empty.json)).toBe('invalid-request');
  });

  test('an unknown route under /api/v1 is a JSON 404', async () => {
    const r = await call('/no-such-thing', pm);
    expect(r.status).toBe(404);
    expect(code(r.json)).toBe('not-found');
  });
});
