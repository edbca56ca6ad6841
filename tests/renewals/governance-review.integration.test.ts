/**
 * The monthly governance review as a workflow, on a synced demo portfolio: the job creates the
 * review once on the month's first working day and posts its card; the cs lead's accepted
 * suggestion becomes the next renewal policy version, which the next daily evaluation judges with
 * and names on every snapshot.
 */
import { ApiError, type ApiActor, type ApiRoute } from '../../src/api/api-types';
import type { Role } from '../../src/app/delivery-views';
import type { GovernanceReviewView } from '../../src/app/renewals/governance-review-view';
import {
  DEFAULT_RENEWAL_POLICY,
  governanceReview,
  type OverrideLog,
} from '../../src/domain/renewals';
import { addDays } from '../../src/domain/shared/dates';
import { renewalStoreOn } from '../../src/modules/renewals.module';
import { GovernanceReviewRepository } from '../../src/store/governance-review.repository';
import { testDatabases, type TestDatabaseHandle } from '../support/databases';
import { renewalsOn } from './renewal-module';
import { DEMO_AS_OF, syncDemo } from './renewal-portfolio';

// Opening PGlite and syncing a demo portfolio take tens of seconds on a shared machine.
jest.setTimeout(300_000);

const T = 't';
const NEXT_DAY = addDays(DEMO_AS_OF, 1);
/** The built-in policy's version, and the one an accepted suggestion makes. */
const V = DEFAULT_RENEWAL_POLICY.version;

function actor(name: string, roles: Role[]): ApiActor {
  return {
    tenantId: T,
    aadObjectId: `aad-${name}`,
    email: `${name}@example.com`,
    name,
    roles,
    haloAgentId: null,
  };
}
const lead = actor('casey', ['cs_lead']);
const am = actor('alex', ['account_manager']);

const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

describe.each(testDatabases())('governance review workflow on $name', (database) => {
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
    await syncDemo(handle.db, 42, T);
  });

  const callOn =
    (routes: readonly ApiRoute[]) =>
    (
      method: ApiRoute['method'],
      path: string,
      who: ApiActor,
      input: { params?: Record<string, string>; body?: unknown } = {},
    ) => {
      const route = routes.find((r) => r.method === method && r.path === path);
      if (!route) throw new Error(`no route ${method} ${path}`);
      return route.handler({ actor: who, params: input.params ?? {}, query: {}, body: input.body });
    };

  test('accepting a suggestion changes the next daily evaluation for the affected contracts, and their snapshots carry the new policy version', async () => {
    const { db } = handle;
    const clock = clockAt(`${DEMO_AS_OF}T06:00:00Z`);
    const renewals = renewalsOn(db, clock, T);
    const call = callOn(renewals.routes);
    await renewals.evaluate({ asOf: DEMO_AS_OF });
    const store = renewalStoreOn(db, T);
    const before = await store.snapshots.latestSnapshots(DEMO_AS_OF);
    expect(before.every((s) => s.policyVersion === V)).toBe(true);

    // Three ready contracts that, per their owners' pessimistic calls, were lost: the score was too
    // optimistic. (Outcomes come from the renewal-outcome detection; here they are given.)
    const ready = before.filter((s) => s.band === 'ready').sort((a, b) => a.score - b.score);
    expect(ready.length).toBeGreaterThan(3);
    const overrides: OverrideLog[] = ready.slice(0, 3).map((s) => ({
      contractId: String(s.contractId),
      loggedOn: DEMO_AS_OF,
      computedBand: 'ready',
      computedScore: s.score,
      ownerCall: 'churn',
      direction: 'owner-more-pessimistic',
      outcome: 'churned',
    }));
    const review = governanceReview({
      month: DEMO_AS_OF.slice(0, 7),
      policy: DEFAULT_RENEWAL_POLICY,
      standings: [],
      opportunities: [],
      concessions: [],
      overrides,
    });
    const tighten = review.tuningSuggestions.find((s) => s.id === 'readiness-bands')!;
    const [change] = tighten.changes;
    expect(change).toMatchObject({ setting: 'readiness.bands.readyMinScore', from: 75 });
    const newReadyMin = change!.to;
    await new GovernanceReviewRepository(db, T).create(review.month, review, clock.now());

    const answered = (
      await call('post', '/governance/reviews/:month/suggestions/:suggestionId/decision', lead, {
        params: { month: review.month, suggestionId: 'readiness-bands' },
        body: { decision: 'accept', comment: 'Agreed in the November meeting' },
      })
    ).body as GovernanceReviewView;
    expect(answered.suggestions[0]).toMatchObject({
      status: 'accepted',
      policyVersion: V + 1,
      decidedBy: 'casey',
    });
    const versions = (await call('get', '/renewals/policy/versions', lead)).body as {
      items: Array<{
        version: number;
        current: boolean;
        policy: { readiness: { bands: { readyMinScore: number } } };
      }>;
    };
    expect(versions.items.map((v) => [v.version, v.current])).toEqual([
      [V + 1, true],
      [V, false],
    ]);
    expect(versions.items[0]!.policy.readiness.bands.readyMinScore).toBe(newReadyMin);

    // The next daily evaluation judges with version 2: no deploy, no restart.
    clock.set(`${NEXT_DAY}T06:00:00Z`);
    await renewals.evaluate({ asOf: NEXT_DAY });
    const after = await store.snapshots.latestSnapshots(NEXT_DAY);
    expect(after.length).toBe(before.length);
    expect(after.every((s) => s.date === NEXT_DAY && s.policyVersion === V + 1)).toBe(true);
    expect(after.every((s) => s.assessment.policyVersion === V + 1)).toBe(true);
    const stored = await db.query<{ policy_version: number }>(
      'SELECT DISTINCT policy_version FROM renewal_snapshots WHERE tenant_id = $1 AND snapshot_date = $2',
      [T, NEXT_DAY],
    );
    expect(stored.map((r) => Number(r.policy_version))).toEqual([V + 1]);
    // Affected: ready yesterday, scoring below the new ready threshold today → watch now.
    const wasReady = new Set(ready.map((s) => s.contractId));
    const affected = after.filter((s) => wasReady.has(s.contractId) && s.score < newReadyMin);
    expect(affected.length).toBeGreaterThan(0);
    for (const s of affected) expect(s.band).toBe('watch');
    for (const s of after.filter((x) => x.band === 'ready')) {
      expect(s.score).toBeGreaterThanOrEqual(newReadyMin);
    }

    // Audited: the answer and the new policy version.
    const audit = await db.query<{ action: string; subject_type: string }>(
      "SELECT action, subject_type FROM audit_log WHERE tenant_id = $1 AND subject_type IN ('policy', 'governance-review') ORDER BY seq",
      [T],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'renewal-policy.saved',
      'governance.suggestion.accepted',
    ]);
  });

  test("the job creates the review of the month just ended once, on the first working day, with its card to the renewals stream and to each cs lead 1:1; answers are the cs lead's, once each, then the review is signed off", async () => {
    const { db } = handle;
    // Two cs leads and an account manager: the review goes 1:1 to the cs leads only.
    for (const [aad, role] of [
      ['aad-casey', 'cs_lead'],
      ['aad-robin', 'cs_lead'],
      ['aad-alex', 'account_manager'],
    ] as const) {
      await db.query(
        'INSERT INTO role_assignments (tenant_id, aad_object_id, email, role) VALUES ($1, $2, $3, $4)',
        [T, aad, `${aad.slice(4)}@example.com`, role],
      );
    }
    const clock = clockAt(`${DEMO_AS_OF}T06:00:00Z`);
    const renewals = renewalsOn(db, clock, T);
    const call = callOn(renewals.routes);
    await renewals.evaluate({ asOf: DEMO_AS_OF });
    // 2026-11-01 is a Sunday: the first working day of November is the 2nd.
    expect(await renewals.createGovernanceReview.run({ asOf: '2026-11-01' })).toEqual({
      created: false,
      month: '2026-10',
      reason: 'before-first-working-day',
    });
    clock.set('2026-12-01T07:00:00Z');
    expect(await renewals.createGovernanceReview.run({ asOf: '2026-12-01' })).toEqual({
      created: true,
      month: '2026-11',
    });
    expect(await renewals.createGovernanceReview.run({ asOf: '2026-12-02' })).toEqual({
      created: false,
      month: '2026-11',
      reason: 'exists',
    });
    const cards = await db.query<{ dedupe_key: string; kind: string; stream: string | null }>(
      `SELECT dedupe_key, kind, stream, recipient FROM outbox
        WHERE tenant_id = $1 AND kind IN ('governance-review', 'activity-feed') ORDER BY dedupe_key`,
      [T],
    );
    expect(cards).toEqual([
      {
        dedupe_key: 'governance-review:2026-11',
        kind: 'governance-review',
        stream: 'renewals',
        recipient: null,
      },
      {
        dedupe_key: 'governance-review:2026-11:people@aad-casey',
        kind: 'governance-review',
        stream: null,
        recipient: 'aad-casey',
      },
      {
        dedupe_key: 'governance-review:2026-11:people@aad-casey:feed',
        kind: 'activity-feed',
        stream: null,
        recipient: 'aad-casey',
      },
      {
        dedupe_key: 'governance-review:2026-11:people@aad-robin',
        kind: 'governance-review',
        stream: null,
        recipient: 'aad-robin',
      },
      {
        dedupe_key: 'governance-review:2026-11:people@aad-robin:feed',
        kind: 'activity-feed',
        stream: null,
        recipient: 'aad-robin',
      },
    ]);
    expect(renewals.jobs.map((j) => j.name)).toContain('governance-review');

    const list = (await call('get', '/governance/reviews', lead)).body as {
      items: Array<{ month: string }>;
    };
    expect(list.items).toEqual([{ month: '2026-11' }]);
    const view = (
      await call('get', '/governance/reviews/:month', lead, { params: { month: '2026-11' } })
    ).body as GovernanceReviewView;
    expect(
      view.review.retentionRisk.atRiskCount + view.review.retentionRisk.watchCount,
    ).toBeGreaterThan(0);
    expect(view.review.policyVersion).toBe(V);
    await expect(
      call('get', '/governance/reviews/:month', am, { params: { month: '2026-11' } }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      call('get', '/governance/reviews/:month', lead, { params: { month: '2026-13' } }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      call('get', '/governance/reviews/:month', lead, { params: { month: '2025-01' } }),
    ).rejects.toMatchObject({ status: 404 });

    // The demo month has no resolved overrides or concession pressure, so no suggestions: give the
    // stored review one piece of advice and one threshold change to answer.
    expect(view.suggestions).toEqual([]);
    const month = '2026-11';
    await db.query(
      `UPDATE governance_reviews SET review = jsonb_set(review, '{tuningSuggestions}', $2::jsonb)
        WHERE tenant_id = $1 AND month = $3`,
      [
        T,
        JSON.stringify([
          {
            id: 'owner-calibration-optimistic',
            area: 'owner-calibration',
            suggestion: 'Review owner calls with the cs lead',
            evidence: '3 contracts called renew against the score were lost',
            changes: [],
          },
          {
            id: 'concession-tiers',
            area: 'concession-tiers',
            suggestion: 'Most requests exceed the cs-lead limit of 10 %',
            evidence: '4 of 5 decided requests were deeper than 10 %',
            changes: [{ setting: 'concession.csLeadMaxPct', from: 10, to: 15 }],
          },
        ]),
        month,
      ],
    );
    const first = 'owner-calibration-optimistic';
    const decide = (who: ApiActor, id: string, decision: 'accept' | 'reject') =>
      call('post', '/governance/reviews/:month/suggestions/:suggestionId/decision', who, {
        params: { month, suggestionId: id },
        body: { decision },
      });
    await expect(decide(am, first, 'reject')).rejects.toMatchObject({
      status: 403,
      code: 'not-authorised',
    });
    await expect(
      call('post', '/governance/reviews/:month/sign-off', lead, { params: { month } }),
    ).rejects.toMatchObject({ status: 409, code: 'invalid-state' });
    await expect(decide(lead, 'no-such-suggestion', 'reject')).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      call('post', '/governance/reviews/:month/suggestions/:suggestionId/decision', lead, {
        params: { month, suggestionId: first },
        body: { decision: 'maybe' },
      }),
    ).rejects.toBeInstanceOf(ApiError);
    await decide(lead, first, 'reject');
    const accepted = (await decide(lead, 'concession-tiers', 'accept'))
      .body as GovernanceReviewView;
    expect(accepted.suggestions.map((x) => [x.id, x.status, x.policyVersion])).toEqual([
      [first, 'rejected', null],
      ['concession-tiers', 'accepted', V + 1],
    ]);
    expect(accepted.actions).toEqual({ decide: false, signOff: true });
    await expect(decide(lead, first, 'accept')).rejects.toMatchObject({
      status: 409,
      code: 'already-decided',
    });
    const signed = (
      await call('post', '/governance/reviews/:month/sign-off', lead, { params: { month } })
    ).body as GovernanceReviewView;
    expect(signed.signedOff?.by).toBe('casey');
    expect(signed.actions).toEqual({ decide: false, signOff: false });
    await expect(
      call('post', '/governance/reviews/:month/sign-off', lead, { params: { month } }),
    ).rejects.toMatchObject({ status: 409 });
    // Only the accepted threshold change made a version (the rejected advice changed nothing).
    const versions = (await call('get', '/renewals/policy/versions', lead)).body as {
      items: Array<{ version: number; policy: { concession: { csLeadMaxPct: number } } }>;
    };
    expect(versions.items.map((v) => v.version)).toEqual([V + 1, V]);
    expect(versions.items[0]!.policy.concession.csLeadMaxPct).toBe(15);
    const audit = await db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE tenant_id = $1 AND subject_type = 'governance-review' ORDER BY seq",
      [T],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'governance-review.created',
      'governance.suggestion.refused',
      'governance-review.sign-off.refused',
      'governance.suggestion.rejected',
      'governance.suggestion.accepted',
      'governance.suggestion.refused',
      'governance-review.signed-off',
      'governance-review.sign-off.refused',
    ]);
    const updates = await db.query(
      "SELECT 1 FROM outbox WHERE tenant_id = $1 AND kind = 'governance-review' AND update_of = 'governance-review:2026-11'",
      [T],
    );
    expect(updates).toHaveLength(3);
  });
});
