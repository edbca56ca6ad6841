/**
 * `/health <project>` is on the latency budget (SPEC §8): a turn costs two database round trips on
 * the real adapters — who is asking, and one read for the search, the owners of every candidate and
 * the chosen project's health view — whoever asks and whatever they may read; a third, keeping
 * their personal chat, only the first time this process meets them in it. Counted with a wrapper
 * around a real database, not timed.
 */
import type { Server } from 'restify';
import { mountBot } from '../../bot/mount-bot';
import { TabLinks } from '../../bot/tab-links';
import { RememberPersonalChat } from '../../src/app/notifications/remember-personal-chat';
import { assessProject } from '../../src/domain/delivery/health-score';
import { toSnapshot } from '../../src/domain/delivery/health-snapshot';
import { DEFAULT_DELIVERY_POLICY } from '../../src/domain/delivery/policy';
import { referenceFacts } from '../../src/domain/delivery/testing/facts-builder';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createHttpServer, listen } from '../../src/server/http-server';
import { ChangeSignal } from '../../src/shared/signal';
import type { Db } from '../../src/store/db';
import { SqlDeliveryQueries } from '../../src/store/delivery-queries.repository';
import { SqlDeliveryStore } from '../../src/store/delivery.repository';
import { PersonalNotificationsRepository } from '../../src/store/personal-notifications.repository';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { escalationWritesOn } from '../support/escalation-writes';
import { ConnectorDouble } from '../support/connector-double';
import { CountingDb } from '../support/counting-db';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import {
  demoAuth,
  executeInvoke,
  messageActivity,
  post,
  testBotFeatures,
  TENANT,
} from './bot-harness';
import { FakeClock, FakeEscalationActions } from './fakes';

/** Pat (agent 11, a pm) manages 601; Olive (agent 12) manages 602; both of client 5. */
async function seed(db: Db, clock: FakeClock): Promise<void> {
  await new SqlRoleDirectory(db, TENANT).grant([
    { aadObjectId: 'aad-pm', email: 'pat@msp.example', role: 'pm' },
    { aadObjectId: 'aad-director', email: 'dana@msp.example', role: 'delivery_director' },
  ]);
  await db.query(
    `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at)
     VALUES ($1, 11, 'Pat', 'pat@msp.example', '{}', 'h', now()),
            ($1, 12, 'Olive', 'olive@msp.example', '{}', 'h', now())`,
    [TENANT],
  );
  const store = new SqlDeliveryStore(db, TENANT, clock);
  // In HaloPSA but never scored (it starts next month).
  await db.query(
    `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, start_date, raw, hash, synced_at)
     VALUES ($1, 603, 5, 'Contoso tenant move', 11, '2025-04-14T00:00:00Z', '{}', 'h', now())`,
    [TENANT],
  );
  for (const [id, agent, name] of [
    [601, 11, 'Fabrikam migration wave 1'],
    [602, 12, 'Fabrikam migration wave 2'],
  ] as const) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, client_id, summary, agent_id, raw, hash, synced_at)
       VALUES ($1, $2, 5, $3, $4, '{}', 'h', now())`,
      [TENANT, id, name, agent],
    );
    const assessment = assessProject(
      referenceFacts({ projectId: String(id), clientId: '5' }),
      DEFAULT_DELIVERY_POLICY,
    );
    await store.inTransaction((uow) =>
      uow.saveSnapshot(id, '2025-03-14', {
        snapshot: toSnapshot(assessment),
        assessment,
        changes: [],
      }),
    );
  }
}

describe.each(testDatabases())('/health round trips ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: CountingDb;
  let server: Server;
  let connector: ConnectorDouble;
  let botUrl: string;

  beforeAll(async () => {
    handle = await database.open();
    const clock = new FakeClock();
    await seed(handle.db, clock);
    db = new CountingDb(handle.db);
    const logger = createLogger('silent', {});
    connector = await new ConnectorDouble(clock).start();
    server = createHttpServer({
      logger,
      metrics: createMetrics(false),
      readiness: async () => ({ ready: true, checks: {} }),
      routes: [],
    });
    const links = new TabLinks({
      teamsAppId: 'teams-app-id',
      entityId: 'portfolio',
      webBaseUrl: 'http://localhost:3978',
    });
    const people = new PersonalNotificationsRepository(TENANT);
    mountBot(server, {
      features: testBotFeatures({
        tenantId: TENANT,
        db,
        queries: new SqlDeliveryQueries(db, clock),
        escalations: new FakeEscalationActions(clock, escalationWritesOn(db, TENANT, clock)),
        links,
        logger,
        clock,
      }),
      identity: new SqlRoleDirectory(db, TENANT),
      personalChats: new RememberPersonalChat({
        store: {
          keepConversation: (aad, conversation) =>
            people.keepConversation(db, aad, conversation, clock.now()),
        },
        outboxChanged: new ChangeSignal(),
      }),
      links,
      logger,
      clock,
      auth: demoAuth,
      allowedTenantIds: null,
    });
    botUrl = `http://127.0.0.1:${await listen(server, 0)}/api/messages`;
  });
  afterAll(async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connector.stop();
    await handle.dispose();
  });

  /** Sends `text` as `aadObjectId` in `chat`; returns the card answered and the statements run. */
  async function ask(text: string, aadObjectId: string, chat = 'a:personal-chat') {
    connector.clear();
    db.statements.length = 0;
    const activity = messageActivity(connector.url, text, { aadObjectId });
    const response = await post(botUrl, {
      ...activity,
      conversation: { ...(activity.conversation as object), id: chat },
    });
    expect(response.status).toBe(200);
    return { card: JSON.stringify(connector.cards().at(-1)), statements: [...db.statements] };
  }

  test.each([
    [
      'a director asking for a project by id',
      '/health 602',
      'aad-director',
      'Fabrikam migration wave 2',
    ],
    ['a pm asking for their own project', '/health 601', 'aad-pm', 'Fabrikam migration wave 1'],
    [
      'a pm asking by name, with one of two matches theirs',
      '/health fabrikam migration',
      'aad-pm',
      'Fabrikam migration wave 1',
    ],
    ["a pm asking for another pm's project", '/health 602', 'aad-pm', 'not one of yours'],
    [
      'a director asking by a name two projects match',
      '/health fabrikam migration',
      'aad-director',
      'Which project?',
    ],
    [
      'a director asking for a project not scored yet',
      '/health 603',
      'aad-director',
      'Contoso tenant move (project 603) has no health score yet',
    ],
    [
      'anyone asking for a project nobody has',
      '/health nothing-like-it',
      'aad-director',
      'No project found',
    ],
  ])('%s: two round trips', async (_case, text, who, shown) => {
    await ask('/help', who);
    const { card, statements } = await ask(text, who);
    expect(card).toContain(shown);
    expect(statements).toHaveLength(2);
  });

  test.each([
    [603, 'Contoso tenant move (project 603) has no health score yet'],
    [999, 'There is no project 999'],
  ])(
    'the project button (a choice card lists unscored matches too) for project %s: %s',
    async (projectId, shown) => {
      const response = await post(
        botUrl,
        executeInvoke(
          connector.url,
          'project.health',
          { projectId },
          { aadObjectId: 'aad-director' },
        ),
      );
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).toContain(shown);
    },
  );

  test('the first message in a chat also keeps the chat: one round trip more, once', async () => {
    const first = await ask('/health 601', 'aad-pm', 'a:new-chat');
    expect(first.statements).toHaveLength(3);
    expect(first.statements.filter((sql) => sql.includes('personal_conversations'))).toHaveLength(
      1,
    );
    const again = await ask('/health 601', 'aad-pm', 'a:new-chat');
    expect(again.statements).toHaveLength(2);
  });

  test('the project card shows the chosen project, not another match', async () => {
    const { card } = await ask('/health fabrikam migration wave 2', 'aad-director');
    expect(card).toContain('Fabrikam migration wave 2');
    expect(card).not.toContain('Fabrikam migration wave 1');
    expect(card).toContain('Top drivers');
  });

  test('a person met in another personal chat: that chat kept in the same round trips', async () => {
    await ask('/health 601', 'aad-pm', 'a:first-chat');
    const { statements } = await ask('/health 601', 'aad-pm', 'a:second-chat');
    expect(statements).toHaveLength(3);
    const [kept] = await handle.db.query<{ id: string }>(
      `SELECT conversation->>'conversationId' AS id FROM personal_conversations
        WHERE tenant_id = $1 AND aad_object_id = 'aad-pm'`,
      [TENANT],
    );
    expect(kept?.id).toBe('a:second-chat');
  });
});
