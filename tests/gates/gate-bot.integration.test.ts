import { AuditLog } from '../../src/audit/audit-log';
import { gateCardKey } from '../../src/app/gates/gate-payloads';
import { OutboxRepository } from '../../src/store/outbox.repository';
import type { Db } from '../../src/store/db';
import { executeInvoke, messageActivity, post } from '../bot/bot-harness';
import { cardProblems } from '../bot/card-validation';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { testDispatcher } from '../support/test-dispatcher';
import {
  BIG,
  completeRequest,
  PEOPLE,
  routeGates,
  seedGateWorld,
  SMALL,
  actorOf,
} from './gate-fixtures';
import { startGateBot, type GateBotHarness } from './gate-harness';

const TENANT = 'tenant-gates';

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> };

function as(who: keyof typeof PEOPLE) {
  return { aadObjectId: PEOPLE[who].aadObjectId, name: PEOPLE[who].name };
}

describe.each(testDatabases())('stage gates through the bot ($name)', (database) => {
  let handle: TestDatabaseHandle;
  let db: Db;
  let bot: GateBotHarness;

  beforeAll(async () => {
    handle = await database.open();
    db = handle.db;
    await seedGateWorld(db, TENANT);
    bot = await startGateBot(db, TENANT);
    await routeGates(db, TENANT, bot.connector.url, bot.clock.now());
  });
  afterAll(async () => {
    await bot.close();
    await handle.dispose();
  });

  const invoke = async (verb: string, data: Record<string, unknown>, who: keyof typeof PEOPLE) => {
    const response = await post(bot.botUrl, executeInvoke(bot.connector.url, verb, data, as(who)));
    expect(response.status).toBe(200);
    return response.body as InvokeBody;
  };
  const audit = () => new AuditLog(TENANT, bot.clock);
  const dispatch = () =>
    testDispatcher({ db, tenantId: TENANT, instanceId: 'test', clock: bot.clock }).drain();

  test('/gate <project> opens the evidence pack form for the project', async () => {
    const response = await post(
      bot.botUrl,
      messageActivity(bot.connector.url, `/gate ${SMALL.projectId}`, as('megan')),
    );
    expect(response.status).toBe(200);
    const [form] = bot.connector.cards().slice(-1);
    expect(JSON.stringify(form)).toContain('Gate: UAT sign-off');
    expect(JSON.stringify(form)).toContain('"verb":"gate.request"');
    expect(cardProblems(form)).toEqual([]);
  });

  test('submitting with missing mandatory items is refused with the list, and audited', async () => {
    const body = await invoke(
      'gate.request',
      {
        projectId: BIG.projectId,
        gateMilestoneId: String(BIG.milestoneId),
        gateRiskState: 'listed',
      },
      'megan',
    );
    const text = JSON.stringify(body.value);
    expect(text).toContain('The evidence pack is incomplete');
    expect(text).toContain('Add at least one deliverable');
    expect(text).toContain('customer acceptance notes');
    expect(text).toContain('List the open risks');
    // The milestone's completed HaloPSA task counts as a passed QA outcome: QA is not missing.
    expect(text).not.toContain('QA outcome');
    expect(await bot.gates.queries.view(`g-${BIG.projectId}-${BIG.milestoneId}`)).toBeNull();
    const refusals = await audit().timeline(db, 'gate', `g-${BIG.projectId}-${BIG.milestoneId}`);
    expect(refusals.map((e) => [e.action, e.detail.reason])).toEqual([
      ['gate.refused', 'missing-evidence'],
    ]);
  });

  test('a complete pack from the form is frozen, hashed and posted to the gates channel', async () => {
    const body = await invoke(
      'gate.request',
      {
        projectId: SMALL.projectId,
        gateMilestoneId: String(SMALL.milestoneId),
        gateLinks:
          'UAT report | https://sharepoint.example/uat.pdf\nhttps://sharepoint.example/runbook',
        gateQaOutcome: 'pass',
        gateQaNotes: 'All scripts passed',
        gateAcceptance: 'Accepted by J. Doe on 2025-03-12',
        gateRiskState: 'listed',
        gateRisks: 'Licences late | Megan Bowen | Order this week',
      },
      'megan',
    );
    const gate = await bot.gates.queries.view(`g-${SMALL.projectId}-${SMALL.milestoneId}`);
    expect(gate).toMatchObject({ status: 'pending', packVersion: 1, requiredApprovals: 1 });
    expect(gate!.packHash).toMatch(/^[0-9a-f]{64}$/);
    expect(gate!.summary).toEqual({
      deliverables: 2,
      qaPassed: 2,
      qaFailed: 0,
      openRisks: 1,
      hasCustomerAcceptance: true,
    });
    expect(JSON.stringify(body.value)).toContain(`#${gate!.shortHash}`);

    bot.connector.clear();
    await dispatch();
    const [posted] = bot.connector.delivered();
    expect(posted?.operation).toBe('send');
    expect(posted?.conversationId).toBe('19:gates@thread.tacv2');
    const card = bot.connector.cards()[0]!;
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(28 * 1024);
    // Read-only for everyone; the approvers (not Megan, the PM) get their own view through refresh.
    expect(JSON.stringify(card)).not.toContain('"verb":"gate.approve"');
    expect(card.refresh).toMatchObject({
      userIds: ['8:orgid:aad-adele', '8:orgid:aad-lynne'],
    });
    expect(JSON.stringify(card)).toContain(
      `/projects/${SMALL.projectId}?gate=g-${SMALL.projectId}-${SMALL.milestoneId}`,
    );

    // An approver's refresh shows the buttons; a customer-success lead's shows read-only status.
    const approverView = await invoke('gate.refresh', { gateId: gate!.id }, 'adele');
    expect(JSON.stringify(approverView.value)).toContain('"verb":"gate.approve"');
    expect(cardProblems(approverView.value)).toEqual([]);
    const otherView = await invoke('gate.refresh', { gateId: gate!.id }, 'patti');
    expect(JSON.stringify(otherView.value)).not.toContain('"verb":"gate.approve"');
  });

  test("the project's own PM pressing Approve is refused with a reason, and the refusal is on the timeline", async () => {
    const gateId = `g-${SMALL.projectId}-${SMALL.milestoneId}`;
    const body = await invoke('gate.approve', { gateId, packVersion: 1 }, 'megan');
    expect(JSON.stringify(body.value)).toContain('segregation of duties');
    expect((await bot.gates.queries.view(gateId))!.status).toBe('pending');
    // The refusal's audit entry is written after the answer.
    await bot.gates.decide.idle();
    const timeline = await audit().timeline(db, 'gate', gateId);
    expect(timeline.at(-1)).toMatchObject({
      action: 'gate.refused',
      actor: { aadObjectId: 'aad-megan' },
      detail: { reason: 'own-project', attempted: 'gate.approve' },
    });
    const detail = await bot.gates.queries.detail(gateId);
    expect(detail!.timeline.map((e) => e.action)).toEqual(['gate.requested', 'gate.refused']);
  });

  test('50 concurrent Approve clicks from two approvers: one decision, one audit entry, every response shows it', async () => {
    const gateId = `g-${SMALL.projectId}-${SMALL.milestoneId}`;
    bot.connector.clear();
    const clicks = Array.from({ length: 50 }, (_, i) =>
      invoke('gate.approve', { gateId, packVersion: 1 }, i % 2 === 0 ? 'adele' : 'lynne'),
    );
    const bodies = await Promise.all(clicks);
    for (const body of bodies) {
      expect(body.statusCode).toBe(200);
      expect(JSON.stringify(body.value)).toContain('STAGE GATE · APPROVED');
      expect(JSON.stringify(body.value)).not.toContain('"verb":"gate.approve"');
    }
    const decisions = await db.query(
      'SELECT * FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2',
      [TENANT, gateId],
    );
    expect(decisions).toHaveLength(1);
    await bot.gates.decide.idle();
    const timeline = await audit().timeline(db, 'gate', gateId);
    const decided = timeline.filter((e) => e.action === 'gate.approved');
    expect(decided).toHaveLength(1);
    const refused = timeline.filter(
      (e) => e.action === 'gate.refused' && e.detail.reason === 'already-decided',
    );
    expect(refused).toHaveLength(49);
    // Exactly one "Approved by" response came from the click that decided.
    expect(bodies.filter((b) => JSON.stringify(b.value).includes('Approved by')).length).toBe(1);

    await dispatch();
    const updates = bot.connector.delivered().filter((r) => r.operation === 'update');
    expect(updates).toHaveLength(1);
    const original = await new OutboxRepository(TENANT).byDedupeKey(db, gateCardKey(gateId, 1));
    expect(updates[0]!.activityId).toBe(original!.activityId);
    expect(JSON.stringify(bot.connector.cards().at(-1))).toMatch(
      /Approved by (Adele Vance|Lynne Robbins) at \d{4}-\d\d-\d\d \d\d:\d\d UTC, pack #[0-9a-f]{12}/,
    );
    // Late clicks get the decided card.
    const late = await invoke('gate.approve', { gateId, packVersion: 1 }, 'adele');
    expect(JSON.stringify(late.value)).toContain('already approved');
  });

  test('above the budget threshold two distinct approvers are needed, each decision audited once', async () => {
    const megan = await actorOf(db, TENANT, 'megan');
    const requested = await bot.gates.request.run(megan, completeRequest(BIG));
    expect(requested).toMatchObject({ ok: true, gate: { requiredApprovals: 2 } });
    const gateId = `g-${BIG.projectId}-${BIG.milestoneId}`;
    const bodies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        invoke('gate.approve', { gateId, packVersion: 1 }, i % 2 === 0 ? 'adele' : 'lynne'),
      ),
    );
    expect(bodies.every((b) => b.statusCode === 200)).toBe(true);
    const decisions = await db.query<{ approver_aad_object_id: string }>(
      'SELECT approver_aad_object_id FROM gate_decisions WHERE tenant_id = $1 AND gate_id = $2 ORDER BY slot',
      [TENANT, gateId],
    );
    expect(decisions.map((d) => d.approver_aad_object_id).sort()).toEqual([
      'aad-adele',
      'aad-lynne',
    ]);
    expect((await bot.gates.queries.view(gateId))!.status).toBe('approved');
    await bot.gates.decide.idle();
    const timeline = await audit().timeline(db, 'gate', gateId);
    const actions = timeline.map((e) => e.action);
    expect(actions.filter((a) => a === 'gate.approval.recorded')).toHaveLength(1);
    expect(actions.filter((a) => a === 'gate.approved')).toHaveLength(1);
    expect(
      timeline.filter((e) => e.action === 'gate.refused' && e.detail.attempted === 'gate.approve'),
    ).toHaveLength(48);
    // The click that completed the gate and every later one show the final state.
    const final = bodies.filter((b) => JSON.stringify(b.value).includes('STAGE GATE · APPROVED'));
    expect(final.length).toBeGreaterThanOrEqual(1);
    expect(bodies.filter((b) => JSON.stringify(b.value).includes('Approved by'))).toHaveLength(1);
  });

  test('/gates lists what waits for an approver and for the PM', async () => {
    bot.connector.clear();
    await post(bot.botUrl, messageActivity(bot.connector.url, '/gates', as('megan')));
    const card = bot.connector.cards().at(-1)!;
    expect(JSON.stringify(card)).toContain('Requested by you or on your projects');
    expect(JSON.stringify(card)).toContain(`Intranet rollout ${SMALL.projectId}`);
    expect(cardProblems(card)).toEqual([]);
  });
});
