/**
 * A PM on the contract page (SPEC §1, issue 15): the PM of an open project of the contract's client
 * reads the renewal read-only and without commercial figures; every action is refused with 403.
 */
import type { ApiActor, ApiRoute } from '../../src/api/api-types';
import type { ContractDetailDto } from '../../src/api/dto';
import type { Role } from '../../src/app/delivery-views';
import { WITHHELD_NOTES } from '../../src/app/renewals/contract-page-redaction';
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

describe.each(testDatabases())('the contract page for a PM on $name', (database) => {
  let handle: TestDatabaseHandle;
  let routes: ApiRoute[];
  const call = (
    method: ApiRoute['method'],
    path: string,
    who: ApiActor,
    input: { params?: Record<string, string>; body?: unknown } = {},
  ) => {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    return route.handler({ actor: who, params: input.params ?? {}, query: {}, body: input.body });
  };

  beforeAll(async () => {
    handle = await database.open();
    await syncDemo(handle.db, 7, T);
    const renewals = renewalsOn(handle.db, { now: () => new Date(`${DEMO_AS_OF}T09:00:00Z`) }, T);
    await renewals.evaluate({ asOf: DEMO_AS_OF });
    routes = [...renewals.routes];
  }, 300_000);
  afterAll(async () => {
    await handle?.dispose();
  });

  test('the PM of a project of the client sees the renewal read-only, without concessions, uplift, commercial drivers or meeting notes', async () => {
    const [target] = await handle.db.query<{ contract_id: string; agent_id: string }>(
      `SELECT s.contract_id, min(p.agent_id) AS agent_id
         FROM renewal_snapshots s
         JOIN halo_projects p ON p.tenant_id = s.tenant_id AND p.client_id = s.client_id
        WHERE s.tenant_id = $1 AND p.date_closed IS NULL AND p.agent_id IS NOT NULL AND s.stage <> 'none'
        GROUP BY s.contract_id ORDER BY s.contract_id LIMIT 1`,
      [T],
    );
    expect(target).toBeDefined();
    const contractId = String(target!.contract_id);
    const params = { contractId };
    const lead = actor('casey', ['cs_lead']);
    await call('post', '/contracts/:contractId/checkpoints', lead, {
      params,
      body: {
        meetingOn: DEMO_AS_OF,
        notes: 'They want 12 % off the renewal price',
        ownerCall: 'at-risk',
      },
    });
    await call('post', '/contracts/:contractId/concessions', lead, {
      params,
      body: { discountPct: 5, reason: 'Multi-year commitment' },
    });
    const full = (await call('get', '/contracts/:contractId', lead, { params }))
      .body as ContractDetailDto;
    expect(full.view).toBe('full');
    expect(full.concessions).toHaveLength(1);
    expect(full.readiness!.assessment.drivers.some((d) => d.group === 'commercial')).toBe(true);
    expect(full.timeline.map((e) => e.kind)).toContain('concession.requested');

    const pm = actor('pat', ['pm'], Number(target!.agent_id));
    const page = (await call('get', '/contracts/:contractId', pm, { params }))
      .body as ContractDetailDto;
    expect(page.view).toBe('redacted');
    expect(page.contract.contractId).toBe(Number(contractId));
    expect(page.stages.length).toBeGreaterThan(0);
    expect(page.concessions).toEqual([]);
    expect(page.uplift).toEqual([]);
    expect(page.readiness!.assessment.drivers.length).toBeGreaterThan(0);
    expect(page.readiness!.assessment.drivers.filter((d) => d.group === 'commercial')).toEqual([]);
    expect(page.checkpoints.map((c) => [c.ownerCall, c.notes])).toEqual([
      ['at-risk', WITHHELD_NOTES],
    ]);
    expect(JSON.stringify(page)).not.toContain('12 % off');
    expect(page.timeline.map((e) => e.kind)).toContain('checkpoint.logged');
    expect(page.timeline.filter((e) => /^(concession|uplift)\./.test(e.kind))).toEqual([]);
    expect(page.actions).toEqual({
      logCheckpoint: false,
      editStakeholders: false,
      completeTasks: false,
      requestConcession: false,
      answerUplift: false,
      reassignOwner: false,
      decideConcessionIds: [],
    });

    // Every action is refused for the PM (the use cases check the role behind the route's check).
    await expect(
      call('post', '/contracts/:contractId/checkpoints', pm, {
        params,
        body: { meetingOn: DEMO_AS_OF, notes: 'x', ownerCall: 'renew' },
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      call('post', '/contracts/:contractId/concessions', pm, {
        params,
        body: { discountPct: 8, reason: 'x' },
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      call('put', '/contracts/:contractId/stakeholders', pm, { params, body: { champion: 'x' } }),
    ).rejects.toMatchObject({ status: 403 });
    // A PM with no project at that client reads nothing of it.
    await expect(
      call('get', '/contracts/:contractId', actor('jo', ['pm'], -1), { params }),
    ).rejects.toMatchObject({ status: 403 });
  });
});
