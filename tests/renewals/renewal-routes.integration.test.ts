import { ApiError, type ApiActor, type ApiRoute } from '../../src/api/api-types';
import type { Role } from '../../src/app/delivery-views';
import { SqlOwnership } from '../../src/store/ownership.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { renewalsOn } from './renewal-module';
import { DEMO_AS_OF, syncDemo } from './renewal-portfolio';

const T = 't';

function actor(name: string, roles: Role[], haloAgentId: number | null = null): ApiActor {
  return {
    tenantId: T,
    aadObjectId: `aad-${name}`,
    email: `${name}@example.com`,
    name,
    roles,
    haloAgentId,
  };
}

describe.each(testDatabases())('renewal tab API on $name', (database) => {
  let handle: TestDatabaseHandle;
  let routes: ApiRoute[];
  const call = async (
    method: ApiRoute['method'],
    path: string,
    who: ApiActor,
    input: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
  ) => {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    return route.handler({
      actor: who,
      params: input.params ?? {},
      query: input.query ?? {},
      body: input.body,
    });
  };

  beforeAll(async () => {
    handle = await database.open();
    const { db } = handle;
    await syncDemo(db, 7, T);
    const renewals = renewalsOn(db, { now: () => new Date(`${DEMO_AS_OF}T09:00:00Z`) }, T);
    await renewals.evaluate({ asOf: DEMO_AS_OF });
    routes = [...renewals.routes];
  }, 300_000);
  afterAll(async () => {
    await handle?.dispose();
  });

  test('the pipeline pages contracts renewing within ?days=, and rejects a bad window', async () => {
    const am = actor('casey', ['cs_lead']);
    const all = await call('get', '/renewals', am, { query: { days: '120' } });
    const body = all.body as { items: Array<{ daysToEnd: number }>; total: number };
    expect(body.total).toBeGreaterThan(2);
    expect(body.items.every((i) => i.daysToEnd <= 120)).toBe(true);
    const page = await call('get', '/renewals', am, {
      query: { days: '120', page: '2', pageSize: '2' },
    });
    expect((page.body as { items: unknown[] }).items.length).toBeLessThanOrEqual(2);
    await expect(call('get', '/renewals', am, { query: { days: 'soon' } })).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  test('one contract shows readiness with drivers, trend, stages and timeline; a checkpoint and a concession go through', async () => {
    const lead = actor('casey', ['cs_lead']);
    const list = (await call('get', '/renewals', lead, { query: { days: '90' } })).body as {
      items: Array<{ contractId: number; stage: string }>;
    };
    const inWindow = list.items.find((i) => i.stage !== 'none')!;
    // The account manager of that contract's client (account roles read their clients' contracts).
    const owners = await new SqlOwnership(handle.db, T).contract(inWindow.contractId);
    const am = actor('alex', ['account_manager'], owners!.accountManagerAgentId);
    const otherAm = actor('jo', ['account_manager'], -1);
    await expect(
      call('get', '/contracts/:contractId', otherAm, {
        params: { contractId: String(inWindow.contractId) },
      }),
    ).rejects.toMatchObject({ status: 403 });
    const detail = await call('get', '/contracts/:contractId', am, {
      params: { contractId: String(inWindow.contractId) },
    });
    const d = detail.body as {
      readiness: { assessment: { drivers: unknown[] } };
      trend: unknown[];
      stages: unknown[];
      timeline: Array<{ kind: string }>;
    };
    expect(d.readiness.assessment.drivers.length).toBeGreaterThan(0);
    expect(d.trend.length).toBe(1);
    expect(d.stages.length).toBe(1);
    expect(d.timeline.map((e) => e.kind)).toContain('stage.opened');

    const checkpoint = await call('post', '/contracts/:contractId/checkpoints', am, {
      params: { contractId: String(inWindow.contractId) },
      body: { meetingOn: DEMO_AS_OF, notes: 'Renewal call held', ownerCall: 'renew' },
    });
    expect(checkpoint.status).toBe(201);
    const requested = await call('post', '/contracts/:contractId/concessions', am, {
      params: { contractId: String(inWindow.contractId) },
      body: { discountPct: 5, reason: 'Multi-year commitment' },
    });
    expect(requested.status).toBe(201);
    const id = (requested.body as { id: number }).id;
    await expect(
      call('post', '/concessions/:concessionId/decision', am, {
        params: { concessionId: String(id) },
        body: { decision: 'approve' },
      }),
    ).rejects.toMatchObject({ status: 403 });
    const decided = await call(
      'post',
      '/concessions/:concessionId/decision',
      actor('casey', ['cs_lead']),
      { params: { concessionId: String(id) }, body: { decision: 'approve' } },
    );
    expect((decided.body as { status: string }).status).toBe('approved');
    const after = await call('get', '/contracts/:contractId', am, {
      params: { contractId: String(inWindow.contractId) },
    });
    expect(
      (after.body as { timeline: Array<{ kind: string }> }).timeline.map((e) => e.kind),
    ).toEqual(
      expect.arrayContaining(['checkpoint.logged', 'concession.requested', 'concession.decided']),
    );
  });

  test('KPIs and the governance review come from stored data', async () => {
    const kpis = await call('get', '/renewals/kpis', actor('morgan', ['msp_owner']));
    const k = kpis.body as { kpis: { grr: number | null } };
    expect(k.kpis.grr).not.toBeNull();
    expect(k.kpis.grr!).toBeGreaterThan(0);
    expect(k.kpis.grr!).toBeLessThanOrEqual(1);
    const review = await call('get', '/renewals/governance', actor('morgan', ['msp_owner']), {
      query: { month: DEMO_AS_OF.slice(0, 7) },
    });
    const r = review.body as { retentionRisk: { atRiskCount: number }; month: string };
    expect(r.month).toBe(DEMO_AS_OF.slice(0, 7));
    expect(r.retentionRisk.atRiskCount).toBeGreaterThanOrEqual(0);
  });

  test('a caller of another tenant is answered 404: the renewals of this tenant are not theirs', async () => {
    const stranger = { ...actor('sam', ['msp_owner']), tenantId: 'other-tenant' };
    await expect(call('get', '/renewals', stranger)).rejects.toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
  });
});
