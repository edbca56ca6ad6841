import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import type { NotificationIntent } from '../../src/app/ports/notifications.port';
import { gatePendingNotice } from '../../src/domain/notifications/personal-notices';
import { enqueue } from '../../src/notifications/outbox';
import { OutboxRepository } from '../../src/store/outbox.repository';
import { PersonalNotificationsRepository } from '../../src/store/personal-notifications.repository';
import type { Db } from '../../src/store/db';
import { FakeClock } from '../bot/fakes';
import { escalationView } from '../bot/view-fixtures';
import { ConnectorDouble } from '../support/connector-double';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { GraphDouble } from '../support/graph-double';
import {
  TEAMS_GRAPH_TOKEN,
  personalDeliveryAgainst,
  repositoryManifest,
} from '../support/personal-delivery';
import { testDispatcher } from '../support/test-dispatcher';

const TENANT = 'tenant-personal';

/** A person with a role, known by a sign-in (name, e-mail), optionally a HaloPSA agent. */
async function person(
  db: Db,
  p: { aad: string; name: string; email: string; role: string; agentId?: number },
): Promise<void> {
  await db.query(
    'INSERT INTO role_assignments (tenant_id, aad_object_id, email, role) VALUES ($1, $2, $3, $4)',
    [TENANT, p.aad, p.email, p.role],
  );
  await db.query(
    'INSERT INTO people (tenant_id, aad_object_id, email, name) VALUES ($1, $2, $3, $4)',
    [TENANT, p.aad, p.email, p.name],
  );
  if (p.agentId !== undefined) {
    await db.query(
      `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
       VALUES ($1, $2, $3, $4, '{}'::jsonb, 'h', now())`,
      [TENANT, p.agentId, p.name, p.email],
    );
  }
}

function gateIntent(approvers: string[]): NotificationIntent {
  return {
    dedupeKey: 'gate:g-1:v1',
    kind: 'text',
    payload: { text: 'Stage gate Go-live on Apollo waits for your decision' },
    target: {
      people: gatePendingNotice({
        gateId: 'g-1',
        projectId: 42,
        projectName: 'Apollo',
        milestoneName: 'Go-live',
        eligibleApproverAadObjectIds: approvers,
      }),
    },
  };
}

describe.each(testDatabases())(
  'personal delivery through Graph and the Bot Connector ($name)',
  (database) => {
    let handle: TestDatabaseHandle;
    let db: Db;
    let clock: FakeClock;
    let connector: ConnectorDouble;
    let graph: GraphDouble;

    const dispatcher = () =>
      testDispatcher({
        db,
        tenantId: TENANT,
        instanceId: 'personal',
        clock,
        personal: personalDeliveryAgainst({ db, tenantId: TENANT, connector, graph, clock }),
      });
    const queue = (intent: NotificationIntent) =>
      db.transaction((tx) => enqueue(tx, TENANT, intent, clock.now()));

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
      clock = new FakeClock();
      connector = await new ConnectorDouble(clock).start();
      graph = await new GraphDouble('site', 'drive', TEAMS_GRAPH_TOKEN, clock).start();
      graph.declareActivityTypes(repositoryManifest());
      await person(db, {
        aad: 'aad-priya',
        name: 'Priya Shah',
        email: 'priya@msp.example',
        role: 'pmo_lead',
      });
    });

    afterEach(async () => {
      await connector.stop();
      await graph.stop();
    });

    test('installs the app for the person, opens a 1:1 conversation, sends the message and a feed entry', async () => {
      await queue(gateIntent(['aad-priya']));

      const report = await dispatcher().drain();

      expect(report.sent).toBe(2);
      expect(graph.installedApps.get('aad-priya')).toEqual(new Set([graph.teamsAppCatalogId]));
      expect(connector.conversationRequests).toEqual([
        {
          status: 201,
          body: {
            isGroup: false,
            bot: { id: '28:bot-app-id' },
            members: [{ id: 'aad-priya' }],
            tenantId: 'entra-tenant',
            channelData: { tenant: { id: 'entra-tenant' } },
          },
        },
      ]);
      const messages = connector.deliveredTo('a:1:aad-priya');
      expect(messages.map((m) => m.body.text)).toEqual([
        'Stage gate Go-live on Apollo waits for your decision',
      ]);
      expect(graph.activityNotifications).toEqual([
        {
          userId: 'aad-priya',
          body: {
            topic: {
              source: 'text',
              value: 'Control Tower',
              webUrl: expect.stringContaining('https://teams.microsoft.com/l/entity/teams-app-id/'),
            },
            activityType: 'gateApproval',
            previewText: { content: 'Stage gate Go-live on Apollo waits for your decision' },
            templateParameters: [
              { name: 'milestone', value: 'Go-live' },
              { name: 'project', value: 'Apollo' },
            ],
          },
        },
      ]);
      expect(decodeURIComponent(graph.activityNotifications[0]!.body.topic.webUrl!)).toContain(
        'gate:g-1',
      );
    });

    test('reuses the stored 1:1 conversation: no second install or conversation for the next message', async () => {
      await queue(gateIntent(['aad-priya']));
      await dispatcher().drain();
      await queue({ ...gateIntent(['aad-priya']), dedupeKey: 'gate:g-1:v2' });

      await dispatcher().drain();

      expect(connector.conversationRequests).toHaveLength(1);
      expect(graph.requests.filter((r) => r.path.endsWith('/installedApps'))).toHaveLength(1);
      expect(connector.deliveredTo('a:1:aad-priya')).toHaveLength(2);
      expect(graph.activityNotifications).toHaveLength(2);
    });

    test('the same notice queued twice reaches the person once', async () => {
      await queue(gateIntent(['aad-priya']));
      expect(await queue(gateIntent(['aad-priya']))).toEqual({ status: 'duplicate' });

      await dispatcher().drain();

      expect(connector.deliveredTo('a:1:aad-priya')).toHaveLength(1);
      expect(graph.activityNotifications).toHaveLength(1);
    });

    test('when the tenant refuses the install, records a one-time say-hi link and holds the rows until the person says hi', async () => {
      graph.installRefusedFor.add('aad-priya');
      await queue(gateIntent(['aad-priya']));

      await dispatcher().drain();

      expect(connector.requests).toHaveLength(0);
      expect(graph.activityNotifications).toHaveLength(0);
      const rows = await new OutboxRepository(TENANT).list(db);
      expect(
        rows.map((r) => [r.status, r.lastError?.includes('teams.microsoft.com/l/app/')]),
      ).toEqual([
        ['unrouted', true],
        ['unrouted', true],
      ]);
      const people = new PersonalNotificationsRepository(TENANT);
      expect(await people.sayHiLink(db, 'aad-priya')).toBe(
        'https://teams.microsoft.com/l/app/teams-app-id?source=control-tower-say-hi',
      );
      // Asked once: later rows for the person do not try the install again.
      await queue({ ...gateIntent(['aad-priya']), dedupeKey: 'gate:g-1:v2' });
      await dispatcher().drain();
      expect(graph.requests.filter((r) => r.path.endsWith('/installedApps'))).toHaveLength(1);

      // The person said hi (the bot met them in a personal chat): their waiting rows go out.
      graph.installedApps.set('aad-priya', new Set([graph.teamsAppCatalogId]));
      const saidHi = {
        serviceUrl: connector.url,
        conversationId: 'a:1:said-hi',
        channelId: 'msteams',
        tenantId: 'entra-tenant',
        botId: '28:bot-app-id',
        conversationType: 'personal' as const,
        label: null,
      };
      expect(await people.keepConversation(db, 'aad-priya', saidHi, clock.now())).toBe(4);
      // The same chat again (the key ignores trailing slashes of the service URL): nothing to do.
      const again = { ...saidHi, serviceUrl: `${connector.url}/` };
      expect(await people.keepConversation(db, 'aad-priya', again, clock.now())).toBe(0);
      expect((await people.conversations(db).find('aad-priya'))?.conversation).toEqual(saidHi);
      await dispatcher().drain();
      expect(connector.deliveredTo('a:1:said-hi')).toHaveLength(2);
      expect(graph.activityNotifications).toHaveLength(2);
    });

    test('the Graph double refuses an activity type the manifest does not declare', async () => {
      graph.declaredActivityTypes.delete('gateApproval');
      await queue(gateIntent(['aad-priya']));

      await dispatcher().drain();

      expect(graph.activityNotifications).toHaveLength(0);
      expect(graph.refusedNotifications).toEqual([
        {
          userId: 'aad-priya',
          reason: 'activityType gateApproval is not declared in the app manifest',
        },
      ]);
      const feedRow = (await new OutboxRepository(TENANT).list(db)).find(
        (r) => r.kind === 'activity-feed',
      );
      expect(feedRow?.status).toBe('failed');
    });

    test('a channel card @mentions the owner of the item', async () => {
      await person(db, {
        aad: 'aad-pat',
        name: 'Pat Lee',
        email: 'pat@msp.example',
        role: 'pm',
        agentId: 7,
      });
      await new ConversationRoutesRepository(TENANT).upsert(
        db,
        {
          stream: 'escalations',
          clientId: null,
          conversation: {
            serviceUrl: connector.url,
            conversationId: '19:escalations@thread.tacv2',
            channelId: 'msteams',
            tenantId: 'entra-tenant',
            botId: '28:bot',
            conversationType: 'channel',
            label: 'Escalations',
          },
        },
        'admin',
        clock.now(),
      );
      await queue({
        dedupeKey: 'escalation:e-1:opened',
        kind: 'escalation',
        payload: { escalation: escalationView({ id: 'e-1' }) },
        target: { streams: ['escalations'], clientId: 7 },
        mentionAgentId: 7,
      });

      await dispatcher().drain();

      const [post] = connector.deliveredTo('19:escalations@thread.tacv2');
      expect(post?.body.text).toMatch(/^<at>Pat Lee<\/at> /);
      expect(post?.body.entities).toEqual([
        {
          type: 'mention',
          text: '<at>Pat Lee</at>',
          mentioned: { id: 'aad-pat', name: 'Pat Lee' },
        },
      ]);
    });
  },
);
