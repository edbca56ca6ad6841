import { AuditLog, verifyAuditChain } from '../../src/audit/audit-log';
import { mrrMovements } from '../../src/app/renewals/renewal-insights';
import { renewalStoreOn } from '../../src/modules/renewals.module';
import {
  grossRetention,
  type ReadinessAssessment,
  type ReadinessChange,
} from '../../src/domain/renewals';
import { addDays } from '../../src/domain/shared/dates';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { person, seedContracts } from './renewal-fixtures';
import { renewalsOn } from './renewal-module';
import { DEMO_AS_OF, syncDemo } from './renewal-portfolio';

// Opening PGlite and syncing a demo portfolio take tens of seconds on a shared machine.
jest.setTimeout(300_000);

const T = 't';
const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

describe.each(testDatabases())('renewal loop on $name', (database) => {
  let handle: TestDatabaseHandle;
  // One database per engine for the file, emptied before each test (as a fresh one, far cheaper).
  beforeAll(async () => {
    handle = await database.open();
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  beforeEach(async () => {
    await handle.reset();
  });

  test('the daily evaluation opens each stage once with a card to the renewals stream, and escalates a missed checkpoint', async () => {
    const { db } = handle;
    await syncDemo(db, 42, T);
    const clock = clockAt(`${DEMO_AS_OF}T06:00:00Z`);
    const renewals = renewalsOn(db, clock);
    const first = await renewals.evaluate({ asOf: DEMO_AS_OF });
    expect(first.contracts).toBeGreaterThan(20);
    expect(first.stagesOpened.length).toBeGreaterThan(3);

    const repo = renewalStoreOn(db, T);
    const stages = await repo.stages.stageTasks();
    expect(stages).toHaveLength(first.stagesOpened.length);
    for (const s of stages) {
      const left = (Date.parse(s.endDate) - Date.parse(DEMO_AS_OF)) / 86_400_000;
      expect(left).toBeLessThanOrEqual(Number(s.stage));
      expect(left).toBeGreaterThan(Number(s.stage) - 30);
      expect(s.ownerAgentId).not.toBeNull();
      expect(s.tasks.some((t) => t.kind === 'customer-checkpoint' && t.mandatory)).toBe(true);
    }
    const cards = await db.query(
      "SELECT dedupe_key, stream FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage'",
      [T],
    );
    expect(cards).toHaveLength(stages.length);

    // Same day again: nothing re-opened, nothing re-posted.
    const again = await renewals.evaluate({ asOf: DEMO_AS_OF });
    expect(again.stagesOpened).toEqual([]);
    expect(
      await db.query("SELECT 1 FROM outbox WHERE tenant_id = $1 AND kind = 'renewal-stage'", [T]),
    ).toHaveLength(stages.length);

    // Past a checkpoint's due date with nothing logged: the stage escalates, and its card is updated.
    const target = stages
      .filter((s) => addDays(s.checkpointDueOn, 1) <= s.endDate)
      .reduce((a, b) => (a.checkpointDueOn < b.checkpointDueOn ? a : b));
    const later = addDays(target.checkpointDueOn, 1);
    clock.set(`${later}T06:00:00Z`);
    const report = await renewals.evaluate({ asOf: later });
    expect(report.escalated).toContainEqual(
      expect.objectContaining({ contractId: target.contractId, stage: target.stage }),
    );
    const update = await db.query(
      'SELECT update_of FROM outbox WHERE tenant_id = $1 AND dedupe_key = $2',
      [T, `renewal-stage:${target.contractId}:${target.stage}:escalated`],
    );
    expect(update[0]?.update_of).toBe(`renewal-stage:${target.contractId}:${target.stage}`);
    const { insights, queries } = renewals.useCases;
    const timeline = await insights.timeline(target.contractId);
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['stage.opened', 'escalation.opened']),
    );

    // The pipeline lists the contracts renewing within 90 days, soonest first, with readiness.
    const pipeline = await queries.pipeline(later, 90);
    expect(pipeline.length).toBeGreaterThan(0);
    expect(pipeline.every((p) => p.daysToEnd !== null && p.daysToEnd <= 90)).toBe(true);
    expect([...pipeline].map((p) => p.endDate)).toEqual([...pipeline].map((p) => p.endDate).sort());
  }, 300_000);

  test('a checkpoint call that disagrees with the score goes to the cs lead; monitor is refused inside 30 days', async () => {
    const { db } = handle;
    await seedContracts(db, T, [
      {
        id: 1,
        clientId: 1,
        type: 'Managed Services',
        start: '2025-02-01',
        end: '2026-02-20',
        monthly: 1000,
      },
    ]);
    const clock = clockAt('2026-02-01T09:00:00Z');
    const repo = renewalStoreOn(db, T);
    await repo.stages.openStage(
      {
        contractId: 1,
        stage: '30',
        clientId: 1,
        ownerAgentId: 7,
        endDate: '2026-02-20',
        openedOn: '2026-01-21',
        checkpointDueOn: '2026-02-10',
        tasks: [
          {
            id: '1:30:customer-checkpoint',
            contractId: '1',
            stage: '30',
            kind: 'customer-checkpoint',
            title: 'checkpoint',
            ownerAgentId: '7',
            fallbackRole: null,
            openedOn: '2026-01-21',
            dueDate: '2026-02-10',
            mandatory: true,
            requiredRoles: [],
            completedOn: null,
            checkpoint: null,
          },
        ],
        stakeholders: {},
        status: 'open',
      },
      clock.now(),
    );
    const workflow = renewalsOn(db, clock).useCases;
    const am = person('Alex Account', ['account_manager']);
    const monitor = await workflow.logCheckpoint.run(am, {
      contractId: 1,
      meetingOn: '2026-01-30',
      notes: 'Quarterly review',
      ownerCall: 'monitor',
    });
    expect(monitor).toMatchObject({ ok: false, reason: 'invalid-input' });
    // The score says ready; the owner calls churn: a disagreement, routed to the cs lead.
    await repo.snapshots.saveSnapshot(
      {
        contractId: 1,
        clientId: 1,
        date: '2026-02-01',
        score: 88,
        band: 'ready',
        confidence: 0.9,
        flagged: false,
        flagCause: null,
        flagSeverity: null,
        endDate: '2026-02-20',
        stage: '30',
        assessment: { drivers: [] } as unknown as ReadinessAssessment,
        changes: { summary: [] } as unknown as ReadinessChange,
        dataQuality: [],
      },
      clock.now(),
    );
    const logged = await workflow.logCheckpoint.run(am, {
      contractId: 1,
      meetingOn: '2026-01-30',
      notes: 'They are shopping around',
      ownerCall: 'churn',
    });
    expect(logged).toMatchObject({
      ok: true,
      value: { disagrees: true, routedTo: 'cs_lead', ownerCall: 'churn', band: 'ready' },
    });
    const review = await db.query<{ payload: { text: string } }>(
      "SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'text' AND dedupe_key LIKE 'renewal-checkpoint:%:disagreement'",
      [T],
    );
    expect(review).toHaveLength(1);
    const timeline = await renewalsOn(db).useCases.insights.timeline(1);
    expect(timeline.map((e) => e.kind)).toEqual(['checkpoint.logged', 'checkpoint.disagreement']);
    const stage = (await repo.stages.stageTasks({ contractId: 1 }))[0]!;
    expect(stage.status).toBe('checkpoint-logged');
    expect(stage.tasks[0]?.completedOn).toBe('2026-01-30');
  });

  test('a concession above the cs-lead tier cannot be approved by a cs lead, nor by its requester; the msp owner can, once', async () => {
    const { db } = handle;
    await seedContracts(db, T, [
      {
        id: 5,
        clientId: 2,
        type: 'Managed Services',
        start: '2025-03-01',
        end: '2026-03-31',
        monthly: 4000,
        cost: 2400,
      },
    ]);
    const clock = clockAt('2026-02-01T10:00:00Z');
    const renewals = renewalsOn(db, clock);
    const service = renewals.useCases;
    const am = person('Alex Account', ['account_manager', 'msp_owner']);
    const requested = await service.requestConcession.run(am, {
      contractId: 5,
      discountPct: 15,
      reason: 'Competitor offer',
    });
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const c = requested.concession;
    expect(c.approverTier).toBe('msp_owner');
    expect(c.monthlyRevenueAfter).toBe(3400);
    expect(c.marginAfterPct).toBeCloseTo(29.41, 2);

    const lead = person('Casey Lead', ['cs_lead']);
    clock.set('2026-02-01T10:01:00Z');
    expect(
      await service.decideConcession.run(lead, { concessionId: c.id, decision: 'approve' }),
    ).toMatchObject({
      ok: false,
      reason: 'wrong-role',
    });
    clock.set('2026-02-01T10:02:00Z');
    expect(
      await service.decideConcession.run(am, { concessionId: c.id, decision: 'approve' }),
    ).toMatchObject({
      ok: false,
      reason: 'own-request',
    });
    // The two refusals are recorded after their answers: written before the approval, as they came.
    await renewals.idle();
    const owner = person('Morgan Owner', ['msp_owner']);
    clock.set('2026-02-01T10:03:00Z');
    const approved = await service.decideConcession.run(owner, {
      concessionId: c.id,
      decision: 'approve',
    });
    expect(approved).toMatchObject({
      ok: true,
      concession: { status: 'approved', decidedBy: 'Morgan Owner' },
    });
    clock.set('2026-02-01T10:04:00Z');
    expect(
      await service.decideConcession.run(owner, {
        concessionId: c.id,
        decision: 'reject',
        comment: 'no',
      }),
    ).toMatchObject({
      ok: false,
      reason: 'already-decided',
    });

    // Refusals are recorded after their answers.
    await renewals.idle();
    const timeline = await renewalsOn(db).useCases.insights.timeline(5);
    expect(timeline.map((e) => e.kind)).toEqual([
      'concession.requested',
      'concession.refused',
      'concession.refused',
      'concession.decided',
      'concession.refused',
    ]);
    const audit = await new AuditLog(T, clock).timeline(db, 'concession', String(c.id));
    expect(audit.map((e) => e.action)).toEqual([
      'concession.requested',
      'concession.refused',
      'concession.refused',
      'concession.approved',
      'concession.refused',
    ]);
    const outbox = await db.query(
      "SELECT dedupe_key, update_of FROM outbox WHERE tenant_id = $1 AND kind = 'concession' ORDER BY id",
      [T],
    );
    expect(outbox.map((r) => [r.dedupe_key, r.update_of])).toEqual([
      [`concession:${c.id}`, null],
      [`concession:${c.id}:decided`, `concession:${c.id}`],
    ]);
  });

  test('20 concurrent approvals yield one decision', async () => {
    const { db } = handle;
    await seedContracts(db, T, [
      {
        id: 9,
        clientId: 3,
        type: 'Managed Services',
        start: '2025-03-01',
        end: '2026-03-31',
        monthly: 2000,
        cost: 1000,
      },
    ]);
    const clock = clockAt('2026-02-01T10:00:00Z');
    const service = renewalsOn(db, clock).useCases;
    const requested = await service.requestConcession.run(
      person('Alex Account', ['account_manager']),
      {
        contractId: 9,
        discountPct: 5,
        reason: 'Loyalty',
      },
    );
    if (!requested.ok) throw new Error(requested.message);
    // On PostgreSQL each approver gets its own connection pool; PGlite serialises on one connection.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const own =
          database.name === 'postgres' ? renewalsOn(handle.connect(), clock).useCases : service;
        return own.decideConcession.run(person(`Lead ${i}`, ['cs_lead']), {
          concessionId: requested.concession.id,
          decision: 'approve',
          expectedVersion: 1,
        });
      }),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(
      results
        .filter((r) => !r.ok)
        .every((r) => !r.ok && ['already-decided', 'stale-version'].includes(r.reason)),
    ).toBe(true);
    const decisions = await db.query('SELECT * FROM concession_decisions WHERE tenant_id = $1', [
      T,
    ]);
    expect(decisions).toHaveLength(1);
    const timeline = await renewalsOn(db).useCases.insights.timeline(9);
    expect(timeline.filter((e) => e.kind === 'concession.decided')).toHaveLength(1);
  });

  test('30 concurrent deciders: one decides, the others get the decided card, every refusal is audited', async () => {
    const { db } = handle;
    await seedContracts(db, T, [
      {
        id: 10,
        clientId: 3,
        type: 'Managed Services',
        start: '2025-03-01',
        end: '2026-03-31',
        monthly: 2000,
        cost: 1000,
      },
    ]);
    const clock = clockAt('2026-02-01T10:00:00Z');
    const renewals = renewalsOn(db, clock);
    const requested = await renewals.useCases.requestConcession.run(
      person('Alex Account', ['account_manager']),
      { contractId: 10, discountPct: 5, reason: 'Loyalty' },
    );
    if (!requested.ok) throw new Error(requested.message);
    const id = requested.concession.id;
    // On PostgreSQL the deciders share five pools (as five app instances); PGlite has one connection.
    const instances =
      database.name === 'postgres'
        ? Array.from({ length: 5 }, () => renewalsOn(handle.connect(), clock))
        : [renewals];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instances[i % instances.length]!.useCases.answerConcessionCard.run(
          person(`Lead ${i}`, ['cs_lead']),
          'concession.approve',
          { concessionId: id, expectedVersion: 1 },
        ),
      ),
    );

    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const decidedBy = winners[0]!.concession!.decidedBy;
    for (const refused of results.filter((r) => !r.ok)) {
      expect(refused).toMatchObject({
        reason: 'already-decided',
        concession: { id, status: 'approved', version: 2, decidedBy },
      });
    }
    // Refusals and refused clicks are recorded after their answers.
    await Promise.all(instances.map((instance) => instance.idle()));
    const audit = await new AuditLog(T, clock).timeline(db, 'concession', String(id));
    expect(audit.filter((e) => e.action === 'concession.approved')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'concession.refused')).toHaveLength(29);
    expect(new Set(audit.map((e) => e.actor?.name)).size).toBe(31);
    expect((await verifyAuditChain(db, T)).ok).toBe(true);
    const timeline = await renewalsOn(db).useCases.insights.timeline(10);
    expect(timeline.filter((e) => e.kind === 'concession.decided')).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'concession.refused')).toHaveLength(29);
    const outbox = await db.query(
      `SELECT dedupe_key FROM outbox WHERE tenant_id = $1 AND update_of = $2`,
      [T, `concession:${id}`],
    );
    expect(outbox.map((r) => r.dedupe_key)).toEqual([`concession:${id}:decided`]);
    const clicks = await db.query(
      `SELECT outcome, count(*)::int AS n FROM action_log WHERE tenant_id = $1 AND target_id = $2
        GROUP BY outcome ORDER BY outcome`,
      [T, String(id)],
    );
    expect(clicks).toEqual([
      { outcome: 'done', n: 1 },
      { outcome: 'refused', n: 29 },
    ]);
  });

  test('GRR, uplift conversion and concession depth match hand-computed values', async () => {
    const { db } = handle;
    // Active on 2025-01-01: A 1000 (renews at 900: contraction 100), B 500 (churns), C 2000 (renews at
    // 2500: expansion, ignored), D 800 (still running). Starting MRR 4300; churned 500; contraction 100.
    await seedContracts(db, T, [
      {
        id: 1,
        clientId: 1,
        type: 'Managed Services',
        start: '2024-06-01',
        end: '2025-05-31',
        monthly: 1000,
      },
      {
        id: 2,
        clientId: 1,
        type: 'Managed Services',
        start: '2025-06-01',
        end: '2026-05-31',
        monthly: 900,
      },
      {
        id: 3,
        clientId: 2,
        type: 'Managed Services',
        start: '2024-03-01',
        end: '2025-02-28',
        monthly: 500,
      },
      { id: 4, clientId: 3, type: 'Backup', start: '2024-09-01', end: '2025-08-31', monthly: 2000 },
      { id: 5, clientId: 3, type: 'Backup', start: '2025-09-10', end: '2026-09-09', monthly: 2500 },
      {
        id: 6,
        clientId: 4,
        type: 'Managed Services',
        start: '2024-11-01',
        end: '2026-10-31',
        monthly: 800,
      },
    ]);
    const repo = renewalStoreOn(db, T);
    const moves = mrrMovements(await repo.contracts.contractTerms(), '2025-01-01', '2025-12-31');
    expect(grossRetention(moves)).toEqual({
      startingMrr: 4300,
      churnedMrr: 500,
      contractionMrr: 100,
      grr: 0.8605,
    });
    const now = new Date('2025-12-31T12:00:00Z');
    const opp = (id: string, contractId: number, uplift: number) => ({
      id,
      kind: 'under-scoped' as const,
      contractId: String(contractId),
      clientId: '1',
      subject: 'user',
      estimatedMonthlyUplift: uplift,
      evidence: ['e'],
      status: 'proposed' as const,
      detectedOn: '2025-12-01',
      decidedOn: null,
      decidedBy: null,
    });
    for (const [i, o] of [
      opp('2:a', 2, 100),
      opp('2:b', 2, 50),
      opp('6:c', 6, 70),
      opp('6:d', 6, 30),
    ].entries()) {
      await repo.uplift.upsertUplift(o, now);
      if (i === 0) await repo.uplift.decideUplift(o.id, 'accepted', 'x', '2025-12-10', now);
      if (i === 1 || i === 2)
        await repo.uplift.decideUplift(o.id, 'declined', 'x', '2025-12-10', now);
    }
    const clock = clockAt('2025-12-01T10:00:00Z');
    const service = renewalsOn(db, clock).useCases;
    const am = person('Alex Account', ['account_manager']);
    const owner = person('Morgan Owner', ['msp_owner']);
    for (const [contractId, pct, decision] of [
      [2, 8, 'approve'],
      [5, 12, 'approve'],
      [6, 20, 'reject'],
    ] as const) {
      const r = await service.requestConcession.run(am, {
        contractId,
        discountPct: pct,
        reason: 'renewal',
      });
      if (!r.ok) throw new Error(r.message);
      await service.decideConcession.run(owner, {
        concessionId: r.concession.id,
        decision,
        comment: 'decided',
      });
    }
    const kpis = await renewalsOn(db).useCases.insights.kpis('2025-12-31', {
      capture: true,
    });
    // Active on 2024-12-31: 1, 3, 4, 6 as above → GRR 0.8605. Uplift: 1 accepted of 3 answered.
    // Approved depth: (8 + 12) / 2 = 10 %; requested depth (8 + 12 + 20) / 3 = 13.33 %.
    expect(kpis.kpis).toEqual({ grr: 0.8605, upliftConversion: 0.3333, avgConcessionDepthPct: 10 });
    expect(kpis.concessions.requestedAvgPct).toBe(13.33);
    expect(kpis.report.baseline?.capturedOn).toBe('2025-12-31');
  });
});
