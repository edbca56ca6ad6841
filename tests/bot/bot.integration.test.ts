import { ActionLogRepository } from '../../src/store/action-log.repository';
import { ConversationRoutesRepository } from '../../src/store/conversation-routes.repository';
import { enqueue } from '../../src/notifications/outbox';
import { OutboxRepository } from '../../src/store/outbox.repository';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher';
import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import type { Db } from '../../src/store/db';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { cardProblems } from './card-validation';
import { escalationView } from './view-fixtures';
import {
  executeInvoke,
  messageActivity,
  post,
  startBotHarness,
  TENANT,
  type BotHarness,
} from './bot-harness';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function seedPeople(db: Db): Promise<void> {
  await new SqlRoleDirectory(db, TENANT).grant([
    { aadObjectId: 'aad-admin', email: 'admin@msp.example', role: 'admin' },
    { aadObjectId: 'aad-pm', email: 'pat@msp.example', role: 'pm' },
    { aadObjectId: 'aad-other-pm', email: 'olive@msp.example', role: 'pm' },
    { aadObjectId: 'aad-director', email: 'dana@msp.example', role: 'delivery_director' },
  ]);
  for (const [id, email] of [
    [11, 'PAT@msp.example'],
    [12, 'olive@msp.example'],
  ] as const) {
    await db.query(
      `INSERT INTO halo_agents (tenant_id, id, name, email, raw, hash, synced_at) VALUES ($1, $2, $3, $4, '{}', 'h', now())`,
      [TENANT, id, email, email],
    );
  }
}

describe.each(testDatabases())('Teams bot over HTTP ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let bot: BotHarness;

  beforeAll(async () => {
    handle = await database.open();
    await seedPeople(handle.db);
    bot = await startBotHarness(handle.db);
  });
  afterAll(async () => {
    await bot.close();
    await handle.dispose();
  });
  beforeEach(() => bot.connector.clear());

  const lastCard = () => {
    const cards = bot.connector.cards();
    const card = cards[cards.length - 1];
    if (!card) throw new Error('no card received');
    return card;
  };

  test('/health replies with the portfolio summary card, as a reply to the message', async () => {
    const activity = messageActivity(bot.connector.url, '/health');
    const response = await post(bot.botUrl, activity);
    expect(response.status).toBe(200);
    const [request] = bot.connector.delivered();
    expect(request?.operation).toBe('reply');
    expect(request?.activityId).toBe(activity.id);
    expect(JSON.stringify(lastCard())).toContain('Portfolio health');
    expect(cardProblems(lastCard())).toEqual([]);
  });

  test('/HEALTH <id> with an @mention in a channel shows that project', async () => {
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '<at>Control Tower</at> /HEALTH 1042', {
        conversationType: 'channel',
      }),
    );
    const json = JSON.stringify(lastCard());
    expect(json).toContain('Contoso M365 migration');
    expect(json).toContain('Top drivers');
    expect(cardProblems(lastCard())).toEqual([]);
  });

  test('an ambiguous name offers a choice, and choosing answers the invoke with the project card', async () => {
    await post(bot.botUrl, messageActivity(bot.connector.url, '/health fabrikam migration'));
    const choice = JSON.stringify(lastCard());
    expect(choice).toContain('Which project?');
    expect(choice).toContain('Fabrikam migration wave 2');
    expect(cardProblems(lastCard())).toEqual([]);

    const response = await post(
      bot.botUrl,
      executeInvoke(bot.connector.url, 'project.health', { projectId: 2002 }),
    );
    expect(response.status).toBe(200);
    const body = response.body as {
      statusCode: number;
      type: string;
      value: Record<string, unknown>;
    };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain('Fabrikam migration wave 2');
    expect(cardProblems(body.value)).toEqual([]);
  });

  test('the Action.Submit fallback gets the same card as a reply', async () => {
    const activity = {
      ...messageActivity(bot.connector.url, ''),
      text: undefined,
      value: { verb: 'project.health', projectId: 2001 },
    };
    await post(bot.botUrl, activity);
    expect(JSON.stringify(lastCard())).toContain('Fabrikam migration wave 1');
  });

  test('/report replies with the weekly control report card', async () => {
    await post(bot.botUrl, messageActivity(bot.connector.url, '  /Report '));
    expect(JSON.stringify(lastCard())).toContain('Weekly control report');
    expect(cardProblems(lastCard())).toEqual([]);
  });

  test('unknown text and /healthz get help, not silence', async () => {
    for (const text of ['what is going on?', '/healthz', '/help']) {
      await post(bot.botUrl, messageActivity(bot.connector.url, text));
      expect(JSON.stringify(lastCard())).toContain('/subscribe');
      expect(cardProblems(lastCard())).toEqual([]);
    }
  });

  test('an unknown card verb is answered with an error, not a 501', async () => {
    const response = await post(bot.botUrl, executeInvoke(bot.connector.url, 'no.such.verb', {}));
    expect(response.status).toBe(200);
    expect((response.body as { statusCode: number }).statusCode).toBe(400);
  });

  test('a card verb no feature answers gets the "Unknown action" notice', async () => {
    const response = await post(
      bot.botUrl,
      executeInvoke(bot.connector.url, 'escalation.refresh', { escalationId: 'esc-1' }),
    );
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(JSON.stringify(body.value)).toContain('Unknown action');
    expect(JSON.stringify(body.value)).toContain('escalation.refresh');
  });

  test('a button no feature answers gets the unknown-action card', async () => {
    const response = await post(
      bot.botUrl,
      executeInvoke(bot.connector.url, 'gate.approve', { gateId: 'g-1' }),
    );
    expect(JSON.stringify((response.body as { value: unknown }).value)).toContain('Unknown action');
  });

  test('a non-admin /subscribe is refused with a card and recorded as refused', async () => {
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/subscribe escalations', {
        aadObjectId: 'aad-pm',
        conversationType: 'channel',
      }),
    );
    expect(JSON.stringify(lastCard())).toContain('Only admins can route notifications');
    expect(await new ConversationRoutesRepository(TENANT).list(handle.db)).toEqual([]);
    const [entry] = await new ActionLogRepository(TENANT).recent(handle.db, 1);
    expect(entry).toMatchObject({
      action: 'subscribe',
      outcome: 'refused',
      reason: 'not-admin',
      actorAadObjectId: 'aad-pm',
    });
  });

  test('an admin /subscribe routes the stream for one client to the channel, and escalations land there', async () => {
    await post(
      bot.botUrl,
      messageActivity(
        bot.connector.url,
        '<at>Control Tower</at> /subscribe escalations Contoso Ltd',
        {
          aadObjectId: 'aad-admin',
          conversationType: 'channel',
        },
      ),
    );
    expect(JSON.stringify(lastCard())).toContain(
      'Escalations for Contoso Ltd will be posted in this channel',
    );
    const routes = await new ConversationRoutesRepository(TENANT).list(handle.db);
    expect(routes).toEqual([
      expect.objectContaining({
        stream: 'escalations',
        clientId: 7,
        conversation: expect.objectContaining({ conversationId: '19:general@thread.tacv2' }),
      }),
    ]);

    // The engine decides an escalation for client 7 (in its own transaction) …
    await handle.db.transaction((tx) =>
      enqueue(
        tx,
        TENANT,
        {
          dedupeKey: 'escalation:esc-1:opened',
          kind: 'escalation',
          payload: { escalation: escalationView() },
          target: { streams: ['incidents', 'escalations'], clientId: 7 },
        },
        bot.clock.now(),
      ),
    );
    // … and the dispatcher posts it as a new post in the channel.
    const dispatcher = new OutboxDispatcher({
      db: handle.db,
      tenantId: TENANT,
      instanceId: 'i-1',
      connector: bot.mounted.connector,
      renderer: bot.mounted.renderer,
      logger: silent,
      clock: bot.clock,
      sleep: bot.clock.sleep,
    });
    bot.connector.clear();
    await dispatcher.drain();
    const [posted] = bot.connector.delivered();
    expect(posted).toMatchObject({ operation: 'send', conversationId: '19:general@thread.tacv2' });
    expect(JSON.stringify(posted?.body)).toContain('escalation.acknowledge');
    expect(cardProblems(lastCard())).toEqual([]);
    await dispatcher.stop();
  });

  test('an ambiguous client offers a choice; picking it routes that client', async () => {
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/subscribe gates fab', {
        aadObjectId: 'aad-admin',
        conversationType: 'channel',
      }),
    );
    expect(JSON.stringify(lastCard())).toContain('Which client?');
    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'subscribe.client',
        { stream: 'gates', clientId: 9 },
        { aadObjectId: 'aad-admin' },
      ),
    );
    expect(JSON.stringify((response.body as { value: unknown }).value)).toContain(
      'Gates for Fabrikam Residences',
    );
  });

  test('a non-owner Acknowledge is refused with a card message and recorded as refused', async () => {
    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'escalation.acknowledge',
        { escalationId: 'esc-1' },
        { aadObjectId: 'aad-other-pm', name: 'Olive' },
      ),
    );
    const body = response.body as { statusCode: number; value: Record<string, unknown> };
    expect(body.statusCode).toBe(200);
    expect(JSON.stringify(body.value)).toContain(
      "Only the project's PM (Pat Manager) or a delivery director can do this.",
    );
    expect(cardProblems(body.value)).toEqual([]);
    expect(bot.escalations.calls.at(-1)?.actor).toMatchObject({
      aadObjectId: 'aad-other-pm',
      haloAgentId: 12,
      roles: ['pm'],
    });
    // A refusal's log entry is written after the answer.
    await bot.escalationClicks.idle();
    const [entry] = await new ActionLogRepository(TENANT).recent(handle.db, 1);
    expect(entry).toMatchObject({
      action: 'escalation.acknowledge',
      targetId: 'esc-1',
      outcome: 'refused',
      reason: 'not-authorised',
    });
    expect(await new OutboxRepository(TENANT).list(handle.db, ['pending'])).toEqual([]);
  });

  test("the owner's Acknowledge is recorded and the clicked card is updated in place for everyone", async () => {
    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'escalation.acknowledge',
        { escalationId: 'esc-1' },
        { aadObjectId: 'aad-pm', replyToId: 'posted-card-7' },
      ),
    );
    const body = response.body as { value: Record<string, unknown> };
    expect(JSON.stringify(body.value)).toContain('Acknowledged by Pat Manager');
    const [entry] = await new ActionLogRepository(TENANT).recent(handle.db, 1);
    expect(entry).toMatchObject({
      action: 'escalation.acknowledge',
      outcome: 'done',
      actorAadObjectId: 'aad-pm',
    });

    const dispatcher = new OutboxDispatcher({
      db: handle.db,
      tenantId: TENANT,
      instanceId: 'i-2',
      connector: bot.mounted.connector,
      renderer: bot.mounted.renderer,
      logger: silent,
      clock: bot.clock,
      sleep: bot.clock.sleep,
    });
    await dispatcher.drain();
    const update = bot.connector.delivered().find((request) => request.operation === 'update');
    expect(update).toMatchObject({
      conversationId: '19:general@thread.tacv2;messageid=1700000000000',
      activityId: 'posted-card-7',
    });
    expect(JSON.stringify(update?.body)).toContain('Acknowledged by Pat Manager');
    await dispatcher.stop();
  });

  test('a snooze without a reason is refused before reaching the engine', async () => {
    const before = bot.escalations.calls.length;
    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'escalation.snooze',
        { escalationId: 'esc-1', snoozeUntil: '2025-04-01', snoozeReason: ' ' },
        { aadObjectId: 'aad-pm' },
      ),
    );
    expect(JSON.stringify((response.body as { value: unknown }).value)).toContain(
      'A snooze needs an end date and a reason.',
    );
    expect(bot.escalations.calls.length).toBe(before);
  });
});
