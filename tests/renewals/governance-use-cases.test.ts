/** The governance review's use cases against in-memory fakes of their ports. */
import { CreateGovernanceReview } from '../../src/app/renewals/create-governance-review';
import { DecideGovernanceSuggestion } from '../../src/app/renewals/decide-governance-suggestion';
import type {
  GovernanceReviews,
  StoredGovernanceReview,
  SuggestionDecision,
} from '../../src/app/renewals/governance-reviews.port';
import type { GovernanceUnitOfWork } from '../../src/app/renewals/governance-unit-of-work';
import type {
  RenewalPolicyVersion,
  RenewalPolicyVersions,
} from '../../src/app/renewals/renewal-policies.port';
import { SignOffGovernanceReview } from '../../src/app/renewals/sign-off-governance-review';
import type { AuditActor } from '../../src/app/ports/audit.port';
import type { Transactional } from '../../src/app/ports/transaction.port';
import {
  DEFAULT_RENEWAL_POLICY as P,
  governanceReview,
  type GovernanceReview,
  type OverrideLog,
} from '../../src/domain/renewals';
import { CountingSignal, FakeApprovers, FakeAudit, FakeOutbox } from './renewal-fakes';
import { person } from './renewal-fixtures';

class FakeReviews implements GovernanceReviews {
  rows = new Map<string, StoredGovernanceReview>();
  async create(month: string, review: GovernanceReview, at: Date) {
    if (this.rows.has(month)) return false;
    this.rows.set(month, {
      month,
      review,
      createdAt: at.toISOString(),
      decisions: [],
      signedOff: null,
    });
    return true;
  }
  async review(month: string) {
    const r = this.rows.get(month);
    return r ? structuredClone(r) : null;
  }
  async months() {
    return [...this.rows.keys()].sort().reverse();
  }
  async decide(month: string, d: SuggestionDecision) {
    const r = this.rows.get(month)!;
    if (r.decisions.some((x) => x.suggestionId === d.suggestionId)) return false;
    r.decisions.push(d);
    return true;
  }
  async signOff(month: string, by: AuditActor, at: Date) {
    const r = this.rows.get(month)!;
    if (r.signedOff) return false;
    r.signedOff = { by, at: at.toISOString() };
    return true;
  }
}

class FakePolicies implements RenewalPolicyVersions {
  saved: RenewalPolicyVersion[] = [];
  async newest() {
    return this.saved[this.saved.length - 1] ?? null;
  }
  async versions() {
    return [...this.saved].reverse();
  }
  async save(entry: RenewalPolicyVersion) {
    if (this.saved.some((v) => v.version === entry.version)) return false;
    this.saved.push(entry);
    return true;
  }
}

const lost = (score: number): OverrideLog => ({
  contractId: `C-${score}`,
  loggedOn: '2026-11-02',
  computedBand: 'ready',
  computedScore: score,
  ownerCall: 'churn',
  direction: 'owner-more-pessimistic',
  outcome: 'churned',
});
const clock = { now: () => new Date('2026-12-01T07:00:00Z') };
const emptyReview = () =>
  governanceReview({
    month: '2026-11',
    policy: P,
    standings: [],
    opportunities: [],
    concessions: [],
    overrides: [],
  });
const lead = person('Casey Lead', ['cs_lead']);
const am = person('Alex Account', ['account_manager']);

function world() {
  const ports: GovernanceUnitOfWork = {
    reviews: new FakeReviews(),
    policies: new FakePolicies(),
    approvers: new FakeApprovers({ cs_lead: ['aad-casey'] }),
    audit: new FakeAudit(),
    outbox: new FakeOutbox(),
  };
  const uow: Transactional<GovernanceUnitOfWork> = { transaction: (work) => work(ports) };
  const signal = new CountingSignal();
  const refusals = new FakeAudit();
  const reviewOf = (month: string) =>
    governanceReview({
      month,
      policy: P,
      standings: [],
      opportunities: [],
      concessions: [],
      overrides: [78, 80, 82].map(lost),
    });
  return {
    ports,
    signal,
    refusals,
    create: new CreateGovernanceReview({
      reviews: { governance: async (m) => reviewOf(m) },
      uow,
      clock,
      outboxChanged: signal,
    }),
    decide: new DecideGovernanceSuggestion({ uow, audit: refusals, clock, outboxChanged: signal }),
    signOff: new SignOffGovernanceReview({ uow, audit: refusals, clock, outboxChanged: signal }),
  };
}

describe('the governance review use cases', () => {
  test('the review is created once, on or after the first working day, with its card to the channel and to each cs lead 1:1', async () => {
    const w = world();
    expect(await w.create.run({ asOf: '2026-11-01' })).toMatchObject({ created: false });
    expect(await w.create.run({ asOf: '2026-12-01' })).toEqual({ created: true, month: '2026-11' });
    expect(await w.create.run({ asOf: '2026-12-03' })).toMatchObject({
      created: false,
      reason: 'exists',
    });
    expect((w.ports.outbox as FakeOutbox).intents).toMatchObject([
      {
        dedupeKey: 'governance-review:2026-11',
        kind: 'governance-review',
        target: { streams: ['renewals'], clientId: null },
        payload: { deciderAadObjectIds: ['aad-casey'] },
      },
      {
        dedupeKey: 'governance-review:2026-11:people',
        kind: 'governance-review',
        payload: { deciderAadObjectIds: ['aad-casey'] },
        target: {
          people: {
            audience: { roles: ['cs_lead'], agentIds: [], aadObjectIds: [] },
            stream: 'governance',
            activityType: 'governanceReview',
            templateParameters: { month: '2026-11' },
            link: { page: 'governance', month: '2026-11' },
            actionToday: true,
          },
        },
      },
    ]);
    expect(w.signal.count).toBe(1);
  });

  test.each([
    ['renewals switched off', { renewals: false, shadowMode: false }],
    ['shadow mode', { renewals: true, shadowMode: true }],
  ])('with %s the review is stored but no card is posted', async (_, mode) => {
    const w = world();
    const pilot = {
      pilot: async () => ({
        scopeEnabled: true,
        clientIds: [],
        projectIds: [],
        shadowMode: mode.shadowMode,
        automations: {
          escalations: true,
          weeklyReport: true,
          gates: true,
          renewals: mode.renewals,
        },
        version: 2,
        updatedAt: null,
        updatedBy: null,
      }),
    };
    const create = new CreateGovernanceReview({
      reviews: { governance: async () => emptyReview() },
      uow: { transaction: (work) => work(w.ports) },
      clock,
      outboxChanged: w.signal,
      pilot: { settings: pilot, tenantId: 't' },
    });
    expect(await create.run({ asOf: '2026-12-01' })).toEqual({ created: true, month: '2026-11' });
    expect(await w.ports.reviews.months()).toEqual(['2026-11']);
    expect((w.ports.outbox as FakeOutbox).intents).toEqual([]);
  });

  test('an accepted threshold suggestion becomes the next policy version, audited, the card updated', async () => {
    const w = world();
    await w.create.run({ asOf: '2026-12-01' });
    const result = await w.decide.run(lead, {
      month: '2026-11',
      suggestionId: 'readiness-bands',
      decision: 'accept',
    });
    expect(result.ok).toBe(true);
    const [saved] = (w.ports.policies as FakePolicies).saved;
    expect(saved?.version).toBe(P.version + 1);
    expect(saved?.policy.readiness.bands.readyMinScore).toBe(81);
    expect(saved?.reason).toContain('Governance review 2026-11');
    expect((w.ports.audit as FakeAudit).entries.map((e) => e.action)).toEqual([
      'governance-review.created',
      'renewal-policy.saved',
      'governance.suggestion.accepted',
    ]);
    expect((w.ports.outbox as FakeOutbox).intents[2]).toMatchObject({
      updateOf: 'governance-review:2026-11',
    });
    // Answered once: a second answer changes nothing.
    expect(
      await w.decide.run(lead, {
        month: '2026-11',
        suggestionId: 'readiness-bands',
        decision: 'reject',
      }),
    ).toMatchObject({ ok: false, reason: 'already-decided' });
    expect((w.ports.policies as FakePolicies).saved).toHaveLength(1);
  });

  test.each([
    ['an account manager (audited)', am, 'readiness-bands', 'not-authorised', 1],
    ['an unknown suggestion (bad input: nothing written)', lead, 'nope', 'not-found', 0],
  ] as const)('refuses %s and changes nothing', async (_, who, id, reason, audited) => {
    const w = world();
    await w.create.run({ asOf: '2026-12-01' });
    expect(
      await w.decide.run(who, { month: '2026-11', suggestionId: id, decision: 'accept' }),
    ).toMatchObject({ ok: false, reason });
    expect((w.ports.policies as FakePolicies).saved).toEqual([]);
    expect(w.refusals.entries.map((e) => e.action)).toEqual(
      Array.from({ length: audited }, () => 'governance.suggestion.refused'),
    );
  });

  test('sign-off waits for every answer, happens once, and closes the review to answers', async () => {
    const w = world();
    await w.create.run({ asOf: '2026-12-01' });
    expect(await w.signOff.run(lead, { month: '2026-11' })).toMatchObject({
      ok: false,
      reason: 'invalid-state',
    });
    await w.decide.run(lead, {
      month: '2026-11',
      suggestionId: 'readiness-bands',
      decision: 'reject',
    });
    const signed = await w.signOff.run(lead, { month: '2026-11' });
    expect(signed).toMatchObject({ ok: true, review: { signedOff: { by: 'Casey Lead' } } });
    expect(await w.signOff.run(lead, { month: '2026-11' })).toMatchObject({
      ok: false,
      reason: 'already-decided',
    });
    expect(await w.signOff.run(am, { month: '2026-11' })).toMatchObject({
      ok: false,
      reason: 'not-authorised',
    });
    expect((w.ports.policies as FakePolicies).saved).toEqual([]);
  });
});
