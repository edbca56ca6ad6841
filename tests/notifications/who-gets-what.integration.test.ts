/**
 * Acceptance of "who gets what" (SPEC §1–§5, issue 17): each row's notice goes through the real
 * outbox and dispatcher to the connector and Graph doubles, and produces exactly the expected 1:1
 * messages, activity-feed entries (validated by the double against the manifest) and mentions, none
 * twice — also when every notice is queued again by a re-evaluation.
 */
import type { NotificationIntent } from '../../src/app/ports/notifications.port';
import {
  churnFlagNotice,
  checkpointMissedNotice,
  concessionPendingNotice,
  escalationOpenedNotices,
  escalationReEscalatedNotice,
  gatePendingNotice,
  governanceReviewNotice,
  upliftProposedNotice,
  type PersonalNotice,
} from '../../src/domain/notifications/personal-notices';
import { enqueue } from '../../src/notifications/outbox';
import { PersonalNotificationsRepository } from '../../src/store/personal-notifications.repository';
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

const TENANT = 'tenant-who';

/** The demo MSP's people: Entra id, role, HaloPSA agent id. */
const CAST = [
  { aad: 'aad-priya', name: 'Priya PMO', role: 'pmo_lead', agentId: 11 },
  { aad: 'aad-megan', name: 'Megan PM', role: 'pmo_lead', agentId: 12 },
  { aad: 'aad-pat', name: 'Pat PM', role: 'pm', agentId: 7 },
  { aad: 'aad-dana', name: 'Dana Director', role: 'delivery_director', agentId: 20 },
  { aad: 'aad-alex', name: 'Alex Account', role: 'account_manager', agentId: 30 },
  { aad: 'aad-casey', name: 'Casey Lead', role: 'cs_lead', agentId: 40 },
  { aad: 'aad-olive', name: 'Olive Owner', role: 'msp_owner', agentId: 50 },
] as const;

const escalation = {
  escalationId: 'e-1',
  projectId: 42,
  projectName: 'Apollo',
  cause: 'Burn 1.32 vs ≤ 1.10',
  ownerAgentId: 7,
};
const contract = { contractId: 9, clientName: 'Contoso', accountManagerAgentId: 30 };

/** One row of the table: its notices, who gets a message and feed entry now, who gets it in the digest. */
const ROWS: Array<{
  row: string;
  notices: PersonalNotice[];
  now: Array<[string, string]>;
  digest: string[];
}> = [
  {
    row: 'pending gate → its eligible approvers (not the PM of the project)',
    notices: [
      gatePendingNotice({
        gateId: 'g-1',
        projectId: 42,
        projectName: 'Apollo',
        milestoneName: 'Go-live',
        eligibleApproverAadObjectIds: ['aad-priya'],
      }),
    ],
    now: [['aad-priya', 'gateApproval']],
    digest: [],
  },
  {
    row: 'concession → the approvers of its tier',
    notices: [
      concessionPendingNotice({
        contractId: 9,
        clientName: 'Contoso',
        discountPct: 15,
        eligibleApproverAadObjectIds: ['aad-olive'],
      }),
    ],
    now: [['aad-olive', 'concessionApproval']],
    digest: [],
  },
  {
    row: 'escalation → its owner',
    notices: escalationOpenedNotices({
      ...escalation,
      incidentCommander: false,
      incidentCommanderAgentId: null,
    }),
    now: [['aad-pat', 'escalationOwner']],
    digest: [],
  },
  {
    row: 'high severity → the incident commander first, then the owner',
    notices: escalationOpenedNotices({
      ...escalation,
      incidentCommander: true,
      incidentCommanderAgentId: null,
    }),
    now: [
      ['aad-dana', 'incidentCommand'],
      ['aad-pat', 'escalationOwner'],
    ],
    digest: [],
  },
  {
    row: 'high severity owned by the incident commander → told once',
    notices: escalationOpenedNotices({
      ...escalation,
      ownerAgentId: 20,
      incidentCommander: true,
      incidentCommanderAgentId: null,
    }),
    now: [['aad-dana', 'incidentCommand']],
    digest: [],
  },
  {
    row: 'unacknowledged past the SLA → the delivery director',
    notices: [escalationReEscalatedNotice(escalation)],
    now: [['aad-dana', 'reEscalation']],
    digest: [],
  },
  {
    row: 'missed checkpoint → the account manager and the cs lead',
    notices: [checkpointMissedNotice({ ...contract, stage: '60' })],
    now: [
      ['aad-casey', 'checkpointMissed'],
      ['aad-alex', 'checkpointMissed'],
    ],
    digest: [],
  },
  {
    row: 'churn flag → the account manager and the cs lead, in their digest (no action due today)',
    notices: [churnFlagNotice({ ...contract, cause: 'SLA attainment down 3 months' })],
    now: [],
    digest: ['aad-alex', 'aad-casey'],
  },
  {
    row: 'uplift proposed → the account manager, in the digest',
    notices: [upliftProposedNotice({ ...contract, summary: 'overrun, about 400/month' })],
    now: [],
    digest: ['aad-alex'],
  },
  {
    row: 'governance review → the cs lead, on the first working day (its answers are due)',
    notices: [governanceReviewNotice({ month: '2026-11' })],
    now: [['aad-casey', 'governanceReview']],
    digest: [],
  },
];

describe.each(testDatabases())('who gets what, at the doubles ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let clock: FakeClock;
  let connector: ConnectorDouble;
  let graph: GraphDouble;

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    for (const p of CAST) {
      const email = `${p.aad.slice(4)}@msp.example`;
      await db.query(
        'INSERT INTO role_assignments (tenant_id, aad_object_id, email, role) VALUES ($1, $2, $3, $4)',
        [TENANT, p.aad, email, p.role],
      );
      await db.query(
        'INSERT INTO people (tenant_id, aad_object_id, email, name) VALUES ($1, $2, $3, $4)',
        [TENANT, p.aad, email, p.name],
      );
      await db.query(
        `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
         VALUES ($1, $2, $3, $4, '{}'::jsonb, 'h', now())`,
        [TENANT, p.agentId, p.name, email],
      );
    }
  });

  afterAll(async () => {
    await handle.dispose();
  });

  beforeEach(async () => {
    clock = new FakeClock();
    connector = await new ConnectorDouble(clock).start();
    graph = await new GraphDouble('site', 'drive', TEAMS_GRAPH_TOKEN, clock).start();
    graph.declareActivityTypes(repositoryManifest());
    await db.query('DELETE FROM outbox WHERE tenant_id = $1', [TENANT]);
    await db.query('DELETE FROM digest_items WHERE tenant_id = $1', [TENANT]);
    await db.query('DELETE FROM personal_conversations WHERE tenant_id = $1', [TENANT]);
  });

  afterEach(async () => {
    await connector.stop();
    await graph.stop();
  });

  test('an owner nobody signed in as is told nothing personally, and no row is stored', async () => {
    const [notice] = escalationOpenedNotices({
      ...escalation,
      ownerAgentId: 99,
      incidentCommander: false,
      incidentCommanderAgentId: null,
    });

    const result = await db.transaction((tx) =>
      enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'escalation:e-9:opened:people',
          kind: 'text',
          payload: {},
          target: { people: notice! },
        },
        clock.now(),
      ),
    );

    expect(result).toEqual({
      status: 'nobody',
      reason: 'nobody to tell personally (no signed-in person for HaloPSA agent 99)',
    });
    expect(await db.query('SELECT 1 FROM outbox WHERE tenant_id = $1', [TENANT])).toEqual([]);
  });

  test.each(ROWS)('$row', async ({ row, notices, now, digest }) => {
    const intents: NotificationIntent[] = notices.map((notice, i) => ({
      dedupeKey: `${row}:${i}`,
      kind: 'text',
      payload: { text: notice.previewText },
      target: { people: notice },
    }));
    const queueAll = () =>
      db.transaction(async (tx) => {
        for (const intent of intents) await enqueue(tx, TENANT, intent, clock.now());
      });
    const dispatcher = testDispatcher({
      db,
      tenantId: TENANT,
      instanceId: 'who',
      clock,
      personal: personalDeliveryAgainst({ db, tenantId: TENANT, connector, graph, clock }),
    });

    await queueAll();
    await dispatcher.drain();
    // A re-evaluation decides the same again: nothing new goes out.
    await queueAll();
    await dispatcher.drain();

    const messages = connector
      .delivered()
      .map((request) => [request.conversationId.replace('a:1:', ''), request.body.text]);
    expect(messages).toEqual(
      now.map(([aad], i) => [aad, notices[Math.min(i, notices.length - 1)]!.previewText]),
    );
    expect(graph.activityNotifications.map((n) => [n.userId, n.body.activityType])).toEqual(now);
    expect(graph.refusedNotifications).toEqual([]);
    const people = new PersonalNotificationsRepository(TENANT);
    const held = await Promise.all(
      CAST.map(async (p) => [p.aad, (await people.waitingItems(db, p.aad)).length] as const),
    );
    expect(held.filter(([, n]) => n > 0)).toEqual(
      digest.map((aad) => [aad, 1]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  });
});
