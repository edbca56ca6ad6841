/**
 * The daily digest and "My notifications" against the real store, outbox and dispatcher, with the
 * connector and Graph doubles: what does not need action today (or a stream a person takes as a
 * digest) is held, and goes out at 08:00 in the person's time zone (the tenant's by default), once.
 */
import { ZodError } from 'zod';
import type { ApiActor } from '../../src/api/api-types';
import {
  churnFlagNotice,
  gatePendingNotice,
  type PersonalNotice,
} from '../../src/domain/notifications/personal-notices';
import { createPersonalNotificationsModule } from '../../src/modules/personal-notifications.module';
import { enqueue } from '../../src/notifications/outbox';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { FakeClock } from '../bot/fakes';
import { ConnectorDouble } from '../support/connector-double';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { GraphDouble } from '../support/graph-double';
import {
  TEAMS_GRAPH_TOKEN,
  personalDeliveryAgainst,
  repositoryManifest,
} from '../support/personal-delivery';
import { testDispatcher } from '../support/test-dispatcher';

const TENANT = 'tenant-digest';

function actor(aad: string, name: string, role: ApiActor['roles'][number]): ApiActor {
  return {
    tenantId: TENANT,
    aadObjectId: aad,
    name,
    email: `${aad.slice(4)}@msp.example`,
    roles: [role],
    haloAgentId: null,
  };
}

const casey = actor('aad-casey', 'Casey Lead', 'cs_lead');
const alex = actor('aad-alex', 'Alex Account', 'account_manager');
const priya = actor('aad-priya', 'Priya PMO', 'pmo_lead');

describe.each(testDatabases())('the daily digest and My notifications ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let clock: FakeClock;
  let connector: ConnectorDouble;
  let graph: GraphDouble;
  let module: ReturnType<typeof createPersonalNotificationsModule>;

  const queue = (key: string, notice: PersonalNotice) =>
    db.transaction((tx) =>
      enqueue(
        tx,
        TENANT,
        {
          dedupeKey: key,
          kind: 'text',
          payload: { text: notice.previewText },
          target: { people: notice },
        },
        clock.now(),
      ),
    );
  const dispatch = () =>
    testDispatcher({
      db,
      tenantId: TENANT,
      instanceId: 'digest',
      clock,
      personal: personalDeliveryAgainst({ db, tenantId: TENANT, connector, graph, clock }),
    }).drain();

  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
    db = handle.db;
    clock = new FakeClock('2026-12-03T06:00:00Z');
    connector = await new ConnectorDouble(clock).start();
    graph = await new GraphDouble('site', 'drive', TEAMS_GRAPH_TOKEN, clock).start();
    graph.declareActivityTypes(repositoryManifest());
    for (const a of [casey, alex, priya]) {
      await db.query(
        'INSERT INTO role_assignments (tenant_id, aad_object_id, email, role) VALUES ($1, $2, $3, $4)',
        [TENANT, a.aadObjectId, a.email, a.roles[0]],
      );
      await db.query(
        'INSERT INTO people (tenant_id, aad_object_id, email, name) VALUES ($1, $2, $3, $4)',
        [TENANT, a.aadObjectId, a.email, a.name],
      );
      await db.query(
        `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
         VALUES ($1, $2, $3, $4, '{}'::jsonb, 'h', now())`,
        [TENANT, a === alex ? 30 : a === casey ? 40 : 11, a.name, a.email],
      );
    }
    module = createPersonalNotificationsModule({
      db,
      tenantId: TENANT,
      clock,
      tenantTimeZone: 'Europe/London',
      outboxChanged: new ChangeSignal(),
    });
  });

  afterEach(async () => {
    await connector.stop();
    await graph.stop();
  });

  test("held items go out at 08:00 in each person's time zone, once", async () => {
    expect(
      await module.myNotifications.change(alex, {
        kind: 'time-zone',
        timeZone: 'America/New_York',
      }),
    ).toMatchObject({ ok: true, view: { timeZone: 'America/New_York' } });
    await queue(
      'renewal:9:flagged',
      churnFlagNotice({
        contractId: 9,
        clientName: 'Contoso',
        accountManagerAgentId: 30,
        cause: 'SLA attainment down',
      }),
    );
    await dispatch();
    expect(connector.requests).toHaveLength(0);

    clock.advance(119 * 60_000); // 07:59 in London
    expect(await module.digests.run()).toEqual({ sent: [] });

    clock.advance(60_000); // 08:00 in London, 03:00 in New York
    expect(await module.digests.run()).toEqual({
      sent: [{ aadObjectId: 'aad-casey', localDate: '2026-12-03', items: 1 }],
    });
    await dispatch();
    expect(connector.delivered().map((r) => [r.conversationId, r.body.text])).toEqual([
      [
        'a:1:aad-casey',
        'Your Control Tower digest: 1 open item\n\n- Contoso flagged as a churn risk: SLA attainment down',
      ],
    ]);
    expect(graph.activityNotifications.map((n) => [n.userId, n.body.activityType])).toEqual([
      ['aad-casey', 'dailyDigest'],
    ]);

    clock.advance(30 * 60_000);
    expect(await module.digests.run()).toEqual({ sent: [] });

    clock.advance(4.5 * 3_600_000); // 13:00 UTC: 08:00 in New York
    expect((await module.digests.run()).sent.map((s) => s.aadObjectId)).toEqual(['aad-alex']);
    await dispatch();
    expect(connector.delivered().map((r) => r.conversationId)).toEqual([
      'a:1:aad-casey',
      'a:1:aad-alex',
    ]);
    expect(await module.digests.run()).toEqual({ sent: [] });
  });

  test('a person who takes approvals as a digest is not messaged at once; the choice is audited', async () => {
    const chosen = await module.myNotifications.change(priya, {
      kind: 'stream',
      stream: 'approvals',
      mode: 'digest',
    });
    expect(chosen).toMatchObject({ ok: true });
    if (!chosen.ok) return;
    expect(chosen.view.streams).toContainEqual({ stream: 'approvals', mode: 'digest' });
    const audit = await db.query<{ action: string; detail: unknown }>(
      'SELECT action, detail FROM audit_log WHERE tenant_id = $1 ORDER BY seq',
      [TENANT],
    );
    expect(audit.map((a) => a.action)).toEqual(['notifications.stream.chosen']);

    await queue(
      'gate:g-1:v1:card:people',
      gatePendingNotice({
        gateId: 'g-1',
        projectId: 42,
        projectName: 'Apollo',
        milestoneName: 'Go-live',
        eligibleApproverAadObjectIds: ['aad-priya'],
      }),
    );
    await dispatch();

    expect(connector.requests).toHaveLength(0);
    const view = await module.myNotifications.read(priya);
    expect(view?.waiting.map((w) => w.previewText)).toEqual([
      'Stage gate Go-live on Apollo waits for your decision',
    ]);
  });

  test('My notifications refuses a bad time zone and a malformed change, changing nothing', async () => {
    const [get, put] = module.routes;

    expect(
      await module.myNotifications.change(casey, { kind: 'time-zone', timeZone: 'Mars/Olympus' }),
    ).toEqual({
      ok: false,
      reason: 'invalid-input',
      message: 'Mars/Olympus is not a time zone name (e.g. Europe/London)',
    });
    await expect(
      put!.handler({
        actor: casey,
        params: {},
        query: {},
        body: { stream: 'gossip', mode: 'digest' },
      }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      put!.handler({ actor: casey, params: {}, query: {}, body: { timeZone: 'Mars/Olympus' } }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid-input' });

    const answer = await get!.handler({ actor: casey, params: {}, query: {}, body: undefined });
    expect(answer).toEqual({
      status: 200,
      body: {
        streams: [
          { stream: 'approvals', mode: 'immediate' },
          { stream: 'escalations', mode: 'immediate' },
          { stream: 'renewals', mode: 'immediate' },
          { stream: 'governance', mode: 'immediate' },
        ],
        timeZone: null,
        tenantTimeZone: 'Europe/London',
        sayHiLink: null,
        waiting: [],
      },
    });
    expect(await db.query('SELECT 1 FROM audit_log WHERE tenant_id = $1', [TENANT])).toEqual([]);
  });
});
