import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { person } from '../renewals/renewal-fixtures';
import { DEMO_AS_OF, syncDemo } from '../renewals/renewal-portfolio';
import {
  executeInvoke,
  messageActivity,
  post,
  startBotHarness,
  TENANT,
  type BotHarness,
} from './bot-harness';
import { cardProblems } from './card-validation';

const LEADS = Array.from({ length: 20 }, (_, i) => `aad-lead-${i}`);

describe.each(testDatabases())('renewals in Teams over HTTP ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let bot: BotHarness;

  beforeAll(async () => {
    handle = await database.open();
    await syncDemo(handle.db, 42, TENANT);
    await new SqlRoleDirectory(handle.db, TENANT).grant([
      { aadObjectId: 'aad-am', email: 'am@example.com', role: 'account_manager' },
      { aadObjectId: 'aad-owner', email: 'owner@example.com', role: 'msp_owner' },
      { aadObjectId: 'aad-admin', email: 'admin@example.com', role: 'admin' },
      ...LEADS.map((id) => ({
        aadObjectId: id,
        email: `${id}@example.com`,
        role: 'cs_lead' as const,
      })),
    ]);
    bot = await startBotHarness(handle.db);
    // The bot's clock on the demo dataset's day.
    bot.clock.advance(Date.parse(`${DEMO_AS_OF}T08:00:00Z`) - bot.clock.now().getTime());
    await bot.renewals.evaluate({ asOf: DEMO_AS_OF });
  }, 300_000);
  afterAll(async () => {
    await bot?.close();
    await handle?.dispose();
  });
  beforeEach(() => bot.connector.clear());

  const lastCard = () => {
    const cards = bot.connector.cards();
    const card = cards[cards.length - 1];
    if (!card) throw new Error('no card received');
    return card;
  };
  const invokeCard = (response: { body: unknown }) =>
    (response.body as { value: Record<string, unknown> }).value;

  test('/renewals 90 lists every contract ending within 90 days with readiness, stage and owner, soonest first', async () => {
    const expected = await handle.db.query<{ ref: string; end_date: string }>(
      `SELECT ref, to_char(end_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS end_date FROM halo_contracts
        WHERE tenant_id = $1 AND end_date >= $2::date AND end_date <= $2::date + 90 ORDER BY end_date, id`,
      [TENANT, DEMO_AS_OF],
    );
    expect(expected.length).toBeGreaterThan(3);
    const response = await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/renewals 90', { aadObjectId: 'aad-owner' }),
    );
    expect(response.status).toBe(200);
    const card = lastCard();
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('Renewals in the next 90 days');
    const positions = expected.map((c) => json.indexOf(c.ref.replace(/-/g, '\\\\-')));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(json).toMatch(/readiness \d+ \((ready|watch|at-risk|unknown)\)/);
    expect(json).toMatch(/(90|60|30)-day stage/);
  });

  test('/renewals with a bad window says how to ask', async () => {
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/renewals soon', { aadObjectId: 'aad-owner' }),
    );
    expect(JSON.stringify(lastCard())).toContain('/renewals [days]');
  });

  test('the stage cards the evaluation queued render as valid cards under 28 KB', async () => {
    const rows = await handle.db.query<{ kind: string; payload: unknown }>(
      "SELECT kind, payload FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage'",
      [TENANT],
    );
    expect(rows.length).toBeGreaterThan(0);
    const renderer = bot.mounted.renderer;
    for (const row of rows) {
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      const rendered = renderer.render(row.kind, payload);
      if (!rendered.ok) throw new Error(rendered.reason);
      const card = rendered.activity.attachments?.[0]?.content;
      expect(cardProblems(card)).toEqual([]);
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    }
  });

  test('subscribing a channel to renewals posts the live stage cards queued while nothing was routed', async () => {
    const before = await handle.db.query(
      "SELECT 1 FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage' AND status = 'unrouted'",
      [TENANT],
    );
    expect(before.length).toBeGreaterThan(0);
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/subscribe renewals', {
        conversationType: 'channel',
        aadObjectId: 'aad-admin',
        name: 'Alex Admin',
      }),
    );
    expect(JSON.stringify(lastCard())).toContain('Subscribed');
    const after = await handle.db.query<{ status: string; conversation_key: string }>(
      "SELECT status, conversation_key FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage'",
      [TENANT],
    );
    expect(after.filter((r) => r.status === 'unrouted')).toEqual([]);
    expect(after.every((r) => r.conversation_key.includes('19:general@thread.tacv2'))).toBe(true);
  });

  test('a cs lead cannot approve a concession above the cs-lead tier', async () => {
    const service = bot.renewals.useCases;
    const am = { ...person('Alex Account', ['account_manager']), aadObjectId: 'aad-am' };
    const deep = await service.requestConcession.run(am, {
      contractId: 6,
      discountPct: 18,
      reason: 'Budget cut',
    });
    if (!deep.ok) throw new Error(deep.message);
    expect(deep.concession.approverTier).toBe('msp_owner');
    const response = await post(
      bot.botUrl,
      executeInvoke(
        bot.connector.url,
        'concession.approve',
        {
          concessionId: deep.concession.id,
          version: 1,
        },
        { aadObjectId: LEADS[0], name: 'Lead 0' },
      ),
    );
    const card = invokeCard(response);
    expect(JSON.stringify(card)).toContain('deeper approval tier');
    expect(cardProblems(card)).toEqual([]);
    expect((await service.getConcession.run(deep.concession.id))?.status).toBe('pending');
  });

  test('20 cs leads approving at once: one decision, on the timeline, the card updated for everyone', async () => {
    const service = bot.renewals.useCases;
    const am = { ...person('Alex Account', ['account_manager']), aadObjectId: 'aad-am' };
    const requested = await service.requestConcession.run(am, {
      contractId: 4,
      discountPct: 6,
      reason: 'Price match',
    });
    if (!requested.ok) throw new Error(requested.message);
    const posted = bot.mounted.renderer.render('concession', {
      concession: requested.concession,
    });
    if (!posted.ok) throw new Error(posted.reason);
    const postedCard = posted.activity.attachments?.[0]?.content as Record<string, unknown>;
    expect(cardProblems(postedCard)).toEqual([]);
    // The posted card refreshes for the eligible approvers only, never the requester.
    const userIds = (postedCard.refresh as { userIds: string[] }).userIds;
    expect(userIds).toEqual(expect.arrayContaining(LEADS.map((id) => `8:orgid:${id}`)));
    expect(userIds).not.toContain('8:orgid:aad-am');

    const responses = await Promise.all(
      LEADS.map((id, i) =>
        post(
          bot.botUrl,
          executeInvoke(
            bot.connector.url,
            'concession.approve',
            { concessionId: requested.concession.id, version: 1 },
            { aadObjectId: id, name: `Lead ${i}` },
          ),
        ),
      ),
    );
    const texts = responses.map((r) => JSON.stringify(invokeCard(r)));
    expect(texts.filter((t) => t.includes('"text":"Approved by Lead'))).toHaveLength(1);
    expect(texts.filter((t) => /already been decided|out of date/.test(t))).toHaveLength(19);
    const decisions = await handle.db.query(
      'SELECT * FROM concession_decisions WHERE tenant_id = $1 AND concession_id = $2',
      [TENANT, requested.concession.id],
    );
    expect(decisions).toHaveLength(1);
    const timeline = await bot.renewals.useCases.insights.timeline(4);
    expect(timeline.filter((e) => e.kind === 'concession.decided')).toHaveLength(1);
    const update = await handle.db.query<{ update_of: string }>(
      "SELECT update_of FROM outbox WHERE tenant_id = $1 AND kind = 'concession' AND update_of IS NOT NULL",
      [TENANT],
    );
    expect(update.map((u) => u.update_of)).toContain(`concession:${requested.concession.id}`);
  });
});
