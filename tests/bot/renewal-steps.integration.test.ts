import { SqlRoleDirectory } from '../../src/store/role-directory.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
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

/** A contract the account manager owns, in an open stage, with a known band and value to discount. */
interface Subject {
  contractId: number;
  clientName: string;
  stage: string;
  band: 'ready' | 'watch' | 'at-risk';
  /** The Entra object id the contract's account manager signs in with. */
  owner: string;
}

/** A call that disagrees with the band (SPEC §3.2: it goes to the cs lead). */
const DISAGREEING = { ready: 'churn', watch: 'churn', 'at-risk': 'renew' } as const;

describe.each(testDatabases())('renewal steps from the Teams cards ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let bot: BotHarness;
  let subject: Subject;
  const AM = { aadObjectId: '', name: 'Isaiah Langer' };

  beforeAll(async () => {
    handle = await database.open();
    await syncDemo(handle.db, 42, TENANT);
    bot = await startBotHarness(handle.db);
    bot.clock.advance(Date.parse(`${DEMO_AS_OF}T08:00:00Z`) - bot.clock.now().getTime());
    // Every account manager in HaloPSA signs in as `aad-am-<agent id>`; roles exist before the
    // evaluation posts the stage cards, so the posts name their owners.
    const managers = await handle.db.query<{ id: number | string; email: string }>(
      `SELECT DISTINCT a.id, a.email FROM halo_clients cl
         JOIN halo_agents a ON a.tenant_id = cl.tenant_id AND a.id = cl.account_manager_id
        WHERE cl.tenant_id = $1 AND a.email IS NOT NULL`,
      [TENANT],
    );
    await new SqlRoleDirectory(handle.db, TENANT).grant([
      ...managers.map((m) => ({
        aadObjectId: `aad-am-${m.id}`,
        email: m.email,
        role: 'account_manager' as const,
      })),
      { aadObjectId: 'aad-other-am', email: 'nobody@example.com', role: 'account_manager' },
      { aadObjectId: 'aad-pm', email: 'pm@example.com', role: 'pm' },
      { aadObjectId: 'aad-lead', email: 'lead@example.com', role: 'cs_lead' },
      { aadObjectId: 'aad-admin', email: 'admin@example.com', role: 'admin' },
    ]);
    await bot.renewals.evaluate({ asOf: DEMO_AS_OF });
    const [found] = await handle.db.query<{
      contract_id: number | string;
      client_name: string;
      stage: string;
      band: Subject['band'];
      agent_id: number | string;
    }>(
      `SELECT s.contract_id, cl.name AS client_name, s.stage, n.band, a.id AS agent_id
         FROM renewal_stage_tasks s
         JOIN halo_contracts c ON c.tenant_id = s.tenant_id AND c.id = s.contract_id
         JOIN halo_clients cl ON cl.tenant_id = c.tenant_id AND cl.id = c.client_id
         JOIN halo_agents a ON a.tenant_id = cl.tenant_id AND a.id = cl.account_manager_id
         JOIN LATERAL (SELECT band FROM renewal_snapshots r WHERE r.tenant_id = s.tenant_id
                        AND r.contract_id = s.contract_id ORDER BY snapshot_date DESC LIMIT 1) n ON true
        WHERE s.tenant_id = $1 AND s.status = 'open' AND n.band <> 'unknown' AND a.email IS NOT NULL
          AND c.period_charge > 0
          AND (c.cost_per_period IS NULL OR c.cost_per_period <= c.period_charge * 0.92 * 0.8)
          AND s.stage = (SELECT min(t.stage) FROM renewal_stage_tasks t
                          WHERE t.tenant_id = s.tenant_id AND t.contract_id = s.contract_id)
        ORDER BY s.contract_id LIMIT 1`,
      [TENANT],
    );
    if (!found) throw new Error('the demo has no open renewal stage to act on');
    subject = {
      contractId: Number(found.contract_id),
      clientName: found.client_name,
      stage: found.stage,
      band: found.band,
      owner: `aad-am-${found.agent_id}`,
    };
    AM.aadObjectId = subject.owner;
    // The renewals stream is routed, so the stage cards are posts the updates can replace.
    await post(
      bot.botUrl,
      messageActivity(bot.connector.url, '/subscribe renewals', {
        conversationType: 'channel',
        aadObjectId: 'aad-admin',
        name: 'Alex Admin',
      }),
    );
  }, 300_000);
  afterAll(async () => {
    await bot?.close();
    await handle?.dispose();
  });
  beforeEach(() => bot.connector.clear());

  const LEAD = { aadObjectId: 'aad-lead', name: 'Patti Fernandez' };
  const click = async (
    verb: string,
    data: Record<string, unknown>,
    who: { aadObjectId: string; name: string },
  ) => {
    const response = await post(bot.botUrl, executeInvoke(bot.connector.url, verb, data, who));
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; value: Record<string, unknown> };
    expect(body.statusCode).toBe(200);
    expect(cardProblems(body.value)).toEqual([]);
    return { card: body.value, text: JSON.stringify(body.value) };
  };
  const say = async (text: string, who: { aadObjectId: string; name: string }) => {
    await post(bot.botUrl, messageActivity(bot.connector.url, text, who));
    const cards = bot.connector.cards();
    const card = cards[cards.length - 1];
    expect(cardProblems(card)).toEqual([]);
    return JSON.stringify(card);
  };
  const checkpoints = async () =>
    (
      await handle.db.query(
        'SELECT 1 FROM renewal_checkpoints WHERE tenant_id = $1 AND contract_id = $2',
        [TENANT, subject.contractId],
      )
    ).length;

  test('the stage cards the evaluation posted refresh to the owner’s own view', async () => {
    const [row] = await handle.db.query<{ payload: unknown }>(
      'SELECT payload FROM outbox WHERE tenant_id = $1 AND dedupe_key = $2',
      [TENANT, `renewal-stage:${subject.contractId}:${subject.stage}`],
    );
    const payload = typeof row!.payload === 'string' ? JSON.parse(row!.payload) : row!.payload;
    const rendered = bot.mounted.renderer.render('renewal-stage', payload);
    if (!rendered.ok) throw new Error(rendered.reason);
    const posted = rendered.activity.attachments?.[0]?.content as Record<string, unknown>;
    expect(cardProblems(posted)).toEqual([]);
    expect(posted.refresh).toMatchObject({
      action: { verb: 'renewal.refresh', data: { contractId: subject.contractId } },
      userIds: [`8:orgid:${subject.owner}`],
    });
    expect(JSON.stringify(posted)).not.toContain('renewal.checkpointForm');
    const owner = await click('renewal.refresh', { contractId: subject.contractId }, AM);
    expect(owner.text).toContain('"verb":"renewal.checkpointForm"');
    expect(owner.text).toContain('"verb":"renewal.concessionForm"');
  });

  test('/renewal finds the contract by id and by client name; a stranger’s text finds nothing', async () => {
    const byId = await say(`/renewal ${subject.contractId}`, AM);
    expect(byId).toContain('Log checkpoint');
    expect(byId).toContain('Request concession');
    const byName = await say(`/renewal ${subject.clientName}`, AM);
    expect(byName).toMatch(/Log checkpoint|Which contract\?/);
    const none = await say('/renewal no such client anywhere', AM);
    expect(none).toContain('No contract found');
    // Another account manager's /renewal does not find this client's contract at all.
    const other = await say(`/renewal ${subject.contractId}`, {
      aadObjectId: 'aad-other-am',
      name: 'Other AM',
    });
    expect(other).toContain('No contract found');
  });

  test('the account manager logs a checkpoint whose call disagrees with the score: cs lead review, card updated for everyone', async () => {
    const form = await click('renewal.checkpointForm', { contractId: subject.contractId }, AM);
    expect(form.text).toContain('"id":"checkpointMeetingOn"');
    expect(form.text).toContain(`RENEWAL · ${subject.stage}-DAY CHECKPOINT`);
    const call = DISAGREEING[subject.band];
    const logged = await click(
      'renewal.checkpoint',
      {
        contractId: subject.contractId,
        checkpointMeetingOn: DEMO_AS_OF,
        checkpointNotes:
          'QBR with the IT director: budget under review, competitor quote on the table.',
        checkpointOwnerCall: call,
      },
      AM,
    );
    expect(logged.text).toContain(
      `you call \\"${call}\\", which disagrees with the readiness score`,
    );
    const [row] = await handle.db.query<{
      disagrees: boolean;
      routed_to: string;
      owner_call: string;
    }>(
      'SELECT disagrees, routed_to, owner_call FROM renewal_checkpoints WHERE tenant_id = $1 AND contract_id = $2',
      [TENANT, subject.contractId],
    );
    expect(row).toEqual({ disagrees: true, routed_to: 'cs_lead', owner_call: call });
    const updates = await handle.db.query<{ status: string; payload: unknown }>(
      "SELECT status, payload FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage' AND update_of = $2",
      [TENANT, `renewal-stage:${subject.contractId}:${subject.stage}`],
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]!.status).toBe('pending');
    expect(JSON.stringify(updates[0]!.payload)).toContain('Checkpoint logged by Isaiah Langer');
    const review = await handle.db.query<{ payload: unknown }>(
      "SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'text' AND dedupe_key LIKE 'renewal-checkpoint:%:disagreement'",
      [TENANT],
    );
    expect(JSON.stringify(review.map((r) => r.payload))).toContain('Cs lead review');
    const timeline = await bot.renewals.useCases.insights.timeline(subject.contractId);
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['checkpoint.logged', 'checkpoint.disagreement']),
    );
  });

  test('an 8 % concession requested from the card, approved by the cs lead from the concession card', async () => {
    const form = await click('renewal.concessionForm', { contractId: subject.contractId }, AM);
    expect(form.text).toContain('"title":"Margin now"');
    expect(form.text).toContain('"title":"Precedent"');
    expect(form.text).toMatch(
      /"title":"8 %","value":"[\d,.]+\/month · margin [^"]+ · cs lead approves"/,
    );
    const requested = await click(
      'renewal.concession',
      {
        contractId: subject.contractId,
        concessionDiscountPct: '8',
        concessionReason: 'Competitor quote 12 % lower; we keep the 3-year term.',
      },
      AM,
    );
    expect(requested.text).toContain('Requested: 8 % is with the cs lead');
    const [pending] = await handle.db.query<{
      id: number | string;
      status: string;
      approver_tier: string;
    }>(
      'SELECT id, status, approver_tier FROM concession_requests WHERE tenant_id = $1 AND contract_id = $2',
      [TENANT, subject.contractId],
    );
    expect(pending).toMatchObject({ status: 'pending', approver_tier: 'cs_lead' });
    const concessionId = Number(pending!.id);
    // The requester cannot approve their own request (segregation of duties), nor can a PM.
    const own = await click('concession.approve', { concessionId, version: 1 }, AM);
    expect(own.text).not.toContain('Approved by');
    // The cs lead finds it on the contract's card and opens it: her view has Approve / Reject.
    const stage = await click('renewal.open', { contractId: subject.contractId }, LEAD);
    expect(stage.text).toContain('Concession 8 % waiting for the cs lead');
    const opened = await click('concession.refresh', { concessionId }, LEAD);
    expect(opened.text).toContain('"verb":"concession.approve"');
    const approved = await click('concession.approve', { concessionId, version: 1 }, LEAD);
    expect(approved.text).toContain('"text":"Approved by Patti Fernandez');
    const updates = await handle.db.query<{ update_of: string; status: string }>(
      "SELECT update_of, status FROM outbox WHERE tenant_id = $1 AND kind = 'concession' AND update_of IS NOT NULL",
      [TENANT],
    );
    expect(updates).toContainEqual({ update_of: `concession:${concessionId}`, status: 'pending' });
    const timeline = await bot.renewals.useCases.insights.timeline(subject.contractId);
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['concession.requested', 'concession.decided']),
    );
  });

  test('wrong roles are refused and change nothing', async () => {
    const before = await checkpoints();
    const data = {
      contractId: subject.contractId,
      checkpointMeetingOn: DEMO_AS_OF,
      checkpointNotes: 'Should not be logged',
      checkpointOwnerCall: 'renew',
    };
    const pm = await click('renewal.checkpoint', data, {
      aadObjectId: 'aad-pm',
      name: 'Megan Bowen',
    });
    expect(pm.text).toContain('Not available to you');
    const otherAm = await click('renewal.checkpoint', data, {
      aadObjectId: 'aad-other-am',
      name: 'Other AM',
    });
    expect(otherAm.text).toContain(`Contract ${subject.contractId} is not one of your clients'`);
    const pmForm = await click(
      'renewal.concessionForm',
      { contractId: subject.contractId },
      { aadObjectId: 'aad-pm', name: 'Megan Bowen' },
    );
    expect(pmForm.text).toContain('Not available to you');
    expect(await checkpoints()).toBe(before);
    // A PM has no contracts: /renewal says so.
    const pmCommand = await say(`/renewal ${subject.contractId}`, {
      aadObjectId: 'aad-pm',
      name: 'Megan Bowen',
    });
    expect(pmCommand).toContain('Not available to you');
  });

  test('a bad form is answered with what to fix, not an error', async () => {
    const bad = await click(
      'renewal.concession',
      { contractId: subject.contractId, concessionDiscountPct: 'lots', concessionReason: '' },
      AM,
    );
    expect(bad.text).toContain('Check the form');
    expect(bad.text).toContain('Discount: must be a number of percent');
  });

  test('the cs lead declines an uplift with the customer’s reason; without a reason it asks for one', async () => {
    const [opp] = await handle.db.query<{ id: string; contract_id: number | string }>(
      "SELECT id, contract_id FROM uplift_opportunities WHERE tenant_id = $1 AND status = 'proposed' ORDER BY id LIMIT 1",
      [TENANT],
    );
    if (!opp) throw new Error('the demo has no proposed uplift');
    const contractId = Number(opp.contract_id);
    const owner = await click('renewal.open', { contractId }, LEAD);
    expect(owner.text).toContain('"verb":"uplift.accept"');
    const data = { contractId, opportunityId: opp.id, reasonInput: 'upliftDeclineReason0' };
    const missing = await click('uplift.decline', data, LEAD);
    expect(missing.text).toContain('Say why the customer declined.');
    const declined = await click(
      'uplift.decline',
      { ...data, upliftDeclineReason0: 'Budget frozen until Q3' },
      LEAD,
    );
    expect(declined.text).toContain('declined by Patti Fernandez: Budget frozen until Q3');
    const [row] = await handle.db.query<{ status: string }>(
      'SELECT status FROM uplift_opportunities WHERE tenant_id = $1 AND id = $2',
      [TENANT, opp.id],
    );
    expect(row?.status).toBe('declined');
    const timeline = await bot.renewals.useCases.insights.timeline(contractId);
    expect(timeline.some((e) => e.summary.includes('Budget frozen until Q3'))).toBe(true);
    const again = await click('uplift.accept', data, LEAD);
    expect(again.text).toContain('Already declined');
  });
});
