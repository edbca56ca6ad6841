/**
 * Eight simulated weeks of a pilot on a small fixed dataset (injected clock, one day at a time, as
 * the daily jobs run): the renewal evaluation writes each contract's outcome once on its timeline,
 * the KPI job stores the day's delivery and renewal KPIs, and the KPI views show the frozen baseline,
 * week 4, week 8 and now — checked against values computed by hand below.
 */
import type { ApiActor, ApiRoute } from '../../src/api/api-types';
import {
  buildProjectFacts,
  indexDeliveryHistory,
} from '../../src/domain/delivery/build-project-facts';
import { marginOf } from '../../src/domain/delivery/kpis';
import { addDays } from '../../src/domain/shared/dates';
import { defaultPilot } from '../../src/app/settings/settings-views';
import { createKpisModule } from '../../src/modules/kpis.module';
import type { KpiProgressView } from '../../src/app/reporting/kpi-progress-view';
import { renewalStoreOn } from '../../src/modules/renewals.module';
import type { Db } from '../../src/store/db';
import { SqlDeliveryHistoryReader } from '../../src/store/delivery-history.repository';
import { SqlTabSettings } from '../../src/store/tab-settings.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { person, seedContracts } from './renewal-fixtures';
import { renewalsOn } from './renewal-module';

const T = 't';

const progressAs = (routes: readonly ApiRoute[], path: string, actor: ApiActor) =>
  routes.find((r) => r.path === path)!.handler({ actor, params: {}, query: {}, body: undefined });
/** Pilot start (a Monday): day 0 of week 1. */
const P = '2026-03-02';
const day = (n: number) => addDays(P, n);

/** Projects, milestones, tasks and timesheets straight into the mirror (no statuses: dates decide). */
async function seedDelivery(db: Db): Promise<void> {
  const synced = new Date('2026-01-01T00:00:00Z');
  const projects: Array<[number, number | null, number | null, string | null]> = [
    // id, time budget (h), money budget, closed on
    [101, null, null, null],
    [201, 100, 10_000, day(-3)],
    [202, 50, 5_000, day(25)],
    [203, 80, 8_000, day(53)],
  ];
  for (const [id, hours, money, closed] of projects) {
    await db.query(
      `INSERT INTO halo_projects (tenant_id, id, summary, start_date, date_occurred, time_budget,
          money_budget, date_closed, raw, hash, synced_at)
       VALUES ($1, $2, $3, '2025-12-01T09:00:00Z', '2025-12-01T09:00:00Z', $4, $5, $6, '{}', 'h', $7)`,
      [T, id, `Project ${id}`, hours, money, closed && `${closed}T15:00:00Z`, synced],
    );
  }
  // Project 101's milestones, each with one task: [milestone id, planned end, task closed on].
  const milestones: Array<[number, string, string | null]> = [
    [1011, day(-5), day(-6)], // on time
    [1012, day(-2), day(0)], // late
    [1013, day(10), day(9)], // on time
    [1014, day(20), day(25)], // late
    [1015, day(26), day(26)], // on time
    [1016, day(40), day(38)], // on time
    [1019, day(45), day(44)], // on time
    [1017, day(50), day(49)], // on time
    [1018, day(54), null], // never done
  ];
  for (const [i, [id, target, closed]] of milestones.entries()) {
    await db.query(
      `INSERT INTO halo_milestones (tenant_id, id, project_id, name, sequence, target_date, complete, raw, synced_at)
       VALUES ($1, $2, 101, $3, $4, $5, false, '{}', $6)`,
      [T, id, `Milestone ${id}`, i + 1, `${target}T17:00:00Z`, synced],
    );
    await db.query(
      `INSERT INTO halo_tasks (tenant_id, id, project_id, milestone_id, summary, date_occurred,
          date_closed, raw, hash, synced_at)
       VALUES ($1, $2, 101, $3, 'Work', '2025-12-01T09:00:00Z', $4, '{}', 'h', $5)`,
      [T, id * 10, id, closed && `${closed}T12:00:00Z`, synced],
    );
  }
  // The closed projects' sell prices: one billing milestone each (HaloPSA `milestone_value`), due
  // long before the KPI windows so the on-time counts above stay project 101's.
  const prices: Array<[number, number]> = [
    [201, 15_000],
    [202, 7_000],
    [203, 11_000],
  ];
  for (const [projectId, value] of prices) {
    await db.query(
      `INSERT INTO halo_milestones (tenant_id, id, project_id, name, sequence, target_date, complete,
          value, raw, synced_at)
       VALUES ($1, $2, $3, 'Billing', 1, '2025-12-05T17:00:00Z', true, $4, '{}', $5)`,
      [T, projectId * 100, projectId, value, synced],
    );
  }
  // Hours booked on the closed projects (at 90/h): 120 of 100, 45 of 50, 100 of 80.
  const booked: Array<[number, string, number]> = [
    [201, '2026-01-15', 120],
    [202, '2026-03-10', 45],
    [203, '2026-04-01', 100],
  ];
  for (const [i, [projectId, on, hours]] of booked.entries()) {
    await db.query(
      `INSERT INTO halo_timesheet_events (tenant_id, id, ticket_id, agent_id, start_at, hours,
          charge_rate, raw, hash, synced_at)
       VALUES ($1, $2, $3, 7, $4, $5, 90, '{}', 'h', $6)`,
      [T, i + 1, projectId, `${on}T09:00:00Z`, hours, synced],
    );
  }
}

describe.each(testDatabases())(
  'eight simulated weeks of KPIs and outcomes on $name',
  (database) => {
    let handle: TestDatabaseHandle;
    let delivery: KpiProgressView;
    let renewal: KpiProgressView;
    let db: Db;
    let routes: readonly ApiRoute[];

    beforeAll(async () => {
      handle = await database.open();
      db = handle.db;
      await seedContracts(db, T, [
        {
          id: 1,
          clientId: 1,
          type: 'Managed Services',
          start: '2025-01-01',
          end: day(10),
          monthly: 1000,
        },
        {
          id: 2,
          clientId: 2,
          type: 'Managed Services',
          start: '2025-01-01',
          end: day(20),
          monthly: 2000,
        },
        // Contract 2's successor, at a lower value (contraction).
        {
          id: 3,
          clientId: 2,
          type: 'Managed Services',
          start: day(21),
          end: day(386),
          monthly: 1500,
        },
        {
          id: 4,
          clientId: 3,
          type: 'Managed Services',
          start: '2025-01-01',
          end: day(30),
          monthly: 3000,
          cost: 1800,
        },
        {
          id: 5,
          clientId: 4,
          type: 'Managed Services',
          start: '2025-01-01',
          end: day(80),
          monthly: 4000,
          cost: 2400,
        },
        {
          id: 6,
          clientId: 5,
          type: 'Managed Services',
          start: '2025-01-01',
          end: day(45),
          monthly: 2000,
        },
      ]);
      await seedDelivery(db);
      let now = new Date(`${day(-3)}T06:00:00Z`);
      const clock = { now: () => now };
      const settings = new SqlTabSettings(db, clock);
      const saved = await settings.savePilot(T, { ...defaultPilot(), startsOn: P }, null, 'admin');
      expect(saved.ok).toBe(true);
      const renewals = renewalsOn(db, clock, T);
      const kpis = createKpisModule({
        db,
        tenantId: T,
        clock,
        renewalKpis: (asOf) => renewals.useCases.insights.kpis(asOf),
        captureCron: '0 7 * * *',
      });
      const am = person('Alex Account', ['account_manager']);
      const lead = person('Casey Lead', ['cs_lead']);
      const concede = async (contractId: number, discountPct: number) => {
        const requested = await renewals.useCases.requestConcession.run(am, {
          contractId,
          discountPct,
          reason: 'Competitor offer',
        });
        if (!requested.ok) throw new Error(`concession refused: ${JSON.stringify(requested)}`);
        const decided = await renewals.useCases.decideConcession.run(lead, {
          concessionId: requested.concession.id,
          decision: 'approve',
        });
        expect(decided.ok).toBe(true);
      };

      // Three days before the pilot, then 57 days: HaloPSA changes, the evaluation, then the KPI job.
      for (let n = -3; n <= 56; n++) {
        now = new Date(`${day(n)}T06:30:00Z`);
        if (n === 25) {
          await db.query(
            'UPDATE halo_contracts SET end_date = $1 WHERE tenant_id = $2 AND id = 4',
            [`${day(395)}T00:00:00Z`, T],
          );
        }
        if (n === 40) {
          await db.query(
            'UPDATE halo_contracts SET active = false WHERE tenant_id = $1 AND id = 6',
            [T],
          );
        }
        if (n === 10) await concede(4, 10);
        if (n === 50) await concede(5, 4);
        await renewals.evaluate({ asOf: day(n) });
        now = new Date(`${day(n)}T07:00:00Z`);
        const report = await kpis.capture({ asOf: day(n) });
        expect(report.frozen).toEqual(
          n === 0
            ? [
                { family: 'delivery', capturedOn: P },
                { family: 'renewal', capturedOn: P },
              ]
            : [],
        );
      }
      // The job runs twice on the last day (a restart): one snapshot that day, the baseline unchanged.
      await kpis.capture({ asOf: day(56) });

      const owner = { ...person('Morgan Owner', ['msp_owner']), tenantId: T };
      delivery = (await progressAs(kpis.routes, '/kpis/progress', owner)).body as KpiProgressView;
      renewal = (await progressAs(kpis.routes, '/renewals/kpis/progress', owner))
        .body as KpiProgressView;
      routes = kpis.routes;
    }, 240_000);
    afterAll(async () => {
      await handle?.dispose();
    });

    test('the baseline is the first snapshot on the pilot start, week 4 and week 8 the last of those weeks', () => {
      for (const view of [delivery, renewal]) {
        expect(view.pilotStartsOn).toBe(P);
        expect(view.baseline?.capturedOn).toBe(P);
        expect(view.week4?.capturedOn).toBe(day(27));
        expect(view.week8?.capturedOn).toBe(day(55));
        expect(view.now?.capturedOn).toBe(day(56));
      }
    });

    test('delivery KPIs over their trailing windows match the hand computation', async () => {
      // On-time milestones due in the last 4 weeks: baseline 1 of 2 (1011, not 1012); week 4 2 of 3
      // (1013, 1015, not 1014); week 8 3 of 4 (1016, 1019, 1017, not 1018). Budget variance
      // |actual / budget − 1| of the projects closed in the last 12 weeks: 201 (120/100 → 0.2);
      // then 201 and 202 (45/50 → 0.1); then 201, 202 and 203 (100/80 → 0.25).
      expect(delivery.baseline?.values.onTimeMilestoneRate).toBeCloseTo(1 / 2, 10);
      expect(delivery.week4?.values.onTimeMilestoneRate).toBeCloseTo(2 / 3, 10);
      expect(delivery.week8?.values.onTimeMilestoneRate).toBeCloseTo(3 / 4, 10);
      expect(delivery.baseline?.values.budgetVariance).toBeCloseTo(0.2, 10);
      expect(delivery.week4?.values.budgetVariance).toBeCloseTo((0.2 + 0.1) / 2, 10);
      expect(delivery.week8?.values.budgetVariance).toBeCloseTo((0.2 + 0.1 + 0.25) / 3, 10);
      expect(delivery.week4?.delta.budgetVariance).toBeCloseTo(-0.05, 10);
      expect(delivery.week8?.delta.onTimeMilestoneRate).toBeCloseTo(0.25, 10);
      // Gross-margin accuracy is carried as the domain's margin calculation gives it for the
      // projects closed in each window (its formula is the domain's, not this test's).
      const history = await new SqlDeliveryHistoryReader(db).load(T);
      const accuracy = (projectIds: number[], asOf: string) => {
        const each = projectIds.map((id) => {
          const project = indexDeliveryHistory(history).get(id)!;
          const m = marginOf(buildProjectFacts(project, history, asOf)!);
          if (m === null) throw new Error(`project ${id} has no margin to measure`);
          return Math.max(0, 1 - Math.abs(m.actual - m.planned));
        });
        return each.reduce((a, b) => a + b, 0) / each.length;
      };
      expect(delivery.baseline?.values.grossMarginAccuracy).toBeCloseTo(accuracy([201], P), 10);
      expect(delivery.week4?.values.grossMarginAccuracy).toBeCloseTo(
        accuracy([201, 202], day(27)),
        10,
      );
      expect(delivery.week8?.values.grossMarginAccuracy).toBeCloseTo(
        accuracy([201, 202, 203], day(55)),
        10,
      );
    });

    test('renewal KPIs match the hand computation: churn, contraction and concessions move them', () => {
      // Starting MRR 12,000 (contracts 1, 2, 4, 5, 6). Week 4: contract 1 churned (1,000), contract 2
      // renewed at 1,500 (500 contraction). Week 8: contract 6 made inactive (2,000 churned).
      expect(renewal.baseline?.values).toEqual({
        grr: 1,
        upliftConversion: null,
        avgConcessionDepthPct: null,
      });
      expect(renewal.week4?.values).toEqual({
        grr: 0.875,
        upliftConversion: null,
        avgConcessionDepthPct: 10,
      });
      expect(renewal.week8?.values).toEqual({
        grr: 0.7083,
        upliftConversion: null,
        avgConcessionDepthPct: 7,
      });
      expect(renewal.week8?.delta.grr).toBeCloseTo(-0.2917, 10);
      expect(renewal.now?.values.grr).toBe(0.7083);
    });

    test('a contract whose end passes without renewal shows "churned" with its readiness history', async () => {
      const store = renewalStoreOn(db, T);
      const outcomes = (await store.events.events(1)).filter((e) => e.kind === 'outcome');
      expect(outcomes).toHaveLength(1);
      const [churned] = outcomes;
      // Decided once the 31-day grace period for a successor ran out.
      expect(churned!.at.slice(0, 10)).toBe(day(42));
      expect(churned!.summary).toMatch(
        /^Outcome churned: ended 2026-03-12 without renewal\. Readiness at 90 days/,
      );
      expect(churned!.detail).toMatchObject({
        outcome: 'churned',
        evidence: 'ended',
        endDate: day(10),
      });
      // Tracking began three days before the pilot: 90 and 60 days before the end were not tracked.
      const readiness = churned!.detail.readiness as Array<{
        window: string;
        score: number | null;
      }>;
      expect(readiness.map((r) => r.window)).toEqual(['90', '60', '30']);
      expect(readiness.map((r) => r.score === null)).toEqual([true, true, true]);
      // The contract page (what the tab's timeline shows) has it, after the stage and checkpoints.
      const page = await renewalsOn(
        db,
        { now: () => new Date(`${day(56)}T08:00:00Z`) },
        T,
      ).useCases.queries.contract(1, day(56));
      const shown = page!.timeline.filter((e) => e.kind === 'outcome');
      expect(shown.map((e) => e.summary)).toEqual([churned!.summary]);
      expect(page!.timeline.findIndex((e) => e.kind === 'outcome')).toBe(page!.timeline.length - 1);
      const inactive = (await store.events.events(6)).filter((e) => e.kind === 'outcome');
      expect(inactive.map((e) => [e.at.slice(0, 10), e.detail.outcome, e.detail.evidence])).toEqual(
        [[day(40), 'churned', 'inactive']],
      );
    });

    test('renewed contracts show "renewed": a successor, and an end date moved later', async () => {
      const store = renewalStoreOn(db, T);
      const successor = (await store.events.events(2)).filter((e) => e.kind === 'outcome');
      expect(
        successor.map((e) => [e.at.slice(0, 10), e.detail.outcome, e.detail.evidence]),
      ).toEqual([[day(21), 'renewed', 'successor']]);
      expect(successor[0]!.detail).toMatchObject({
        successorContractId: 3,
        startingMrr: 2000,
        endingMrr: 1500,
      });
      const extended = (await store.events.events(4)).filter((e) => e.kind === 'outcome');
      expect(extended).toHaveLength(1);
      expect(extended[0]!.detail).toMatchObject({
        outcome: 'renewed',
        evidence: 'extended',
        endDate: day(30),
        newEndDate: day(395),
      });
      // Its readiness 30 days before the old end was tracked (day 0).
      const readiness = extended[0]!.detail.readiness as Array<{
        window: string;
        on: string;
        score: number | null;
      }>;
      expect(readiness.find((r) => r.window === '30')).toMatchObject({ on: day(0) });
      expect(typeof readiness.find((r) => r.window === '30')!.score).toBe('number');
      // Written once: the stored outcomes are one per contract term.
      const stored = await store.outcomes.outcomes();
      expect(stored.map((o) => [o.contractId, o.outcome])).toEqual([
        [2, 'renewed'],
        [4, 'renewed'],
        [6, 'churned'],
        [1, 'churned'],
      ]);
    });

    test('a pm may not read either progress view; a cs lead reads only the renewal one', async () => {
      const pm = { ...person('Pat Manager', ['pm']), tenantId: T };
      const lead = { ...person('Casey Lead', ['cs_lead']), tenantId: T };
      await expect(progressAs(routes, '/kpis/progress', pm)).rejects.toMatchObject({ status: 403 });
      await expect(progressAs(routes, '/renewals/kpis/progress', pm)).rejects.toMatchObject({
        status: 403,
      });
      await expect(progressAs(routes, '/kpis/progress', lead)).rejects.toMatchObject({
        status: 403,
      });
      expect((await progressAs(routes, '/renewals/kpis/progress', lead)).status).toBe(200);
      const elsewhere = { ...person('Morgan Owner', ['msp_owner']), tenantId: 'other' };
      await expect(progressAs(routes, '/kpis/progress', elsewhere)).rejects.toMatchObject({
        status: 404,
      });
    });

    test('the renewal KPI view counts the outcomes decided in its period', async () => {
      const view = await renewalsOn(
        db,
        { now: () => new Date(`${day(56)}T08:00:00Z`) },
        T,
      ).useCases.insights.kpis(day(56));
      expect(view.outcomes).toEqual({ renewed: 2, churned: 2 });
    });
  },
);
