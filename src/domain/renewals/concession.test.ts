import {
  assessConcession,
  concessionExpiresAt,
  decideConcession,
  isConcessionExpired,
  openConcession,
  type ConcessionContract,
  type ConcessionPrecedent,
  type ConcessionRequest,
  type ConcessionState,
} from './concession';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';

const contract: ConcessionContract = {
  contractId: 'C1',
  monthlyValue: 2000,
  monthlyCost: 1200,
  contractType: 'Managed Services',
  band: 'watch',
};
const request = (discountPct: number): ConcessionRequest => ({
  id: 'R1',
  contractId: 'C1',
  requestedBy: 'am-1',
  discountPct,
  reason: 'Competitor quote 12 % lower',
  requestedAt: '2025-10-01T09:00:00Z',
});
const precedents: ConcessionPrecedent[] = [
  {
    contractId: 'C2',
    monthlyValue: 1500,
    contractType: 'Managed Services',
    discountPct: 5,
    outcome: 'approved',
  },
  {
    contractId: 'C3',
    monthlyValue: 1900,
    contractType: 'Managed Services',
    discountPct: 10,
    outcome: 'approved',
  },
  {
    contractId: 'C4',
    monthlyValue: 1800,
    contractType: 'Managed Services',
    discountPct: 20,
    outcome: 'rejected',
  },
  {
    contractId: 'C5',
    monthlyValue: 1800,
    contractType: 'Backup only',
    discountPct: 12,
    outcome: 'approved',
  },
  {
    contractId: 'C6',
    monthlyValue: 9000,
    contractType: 'Managed Services',
    discountPct: 30,
    outcome: 'approved',
  },
];

describe('assessConcession', () => {
  test('shows depth, revenue and margin after, retention effect and precedent (hand-computed)', () => {
    const a = assessConcession(request(10), contract, precedents, P);
    expect(a).toMatchObject({
      depthPct: 10,
      monthlyRevenueBefore: 2000,
      monthlyRevenueAfter: 1800,
      monthlyConcession: 200,
      marginBeforePct: 40,
      marginAfterPct: 33.33, // (1800 − 1200) / 1800
      precedentAvgDepthPct: 7.5, // C2 and C3: same size band (small) and type, approved
      precedentCount: 2,
      approverTier: 'cs_lead',
      problems: [],
    });
    // watch → 0.8; 10 points × 4 % closes 40 % of the 0.2 gap → 0.88.
    expect(a.expectedRetentionEffect).toMatchObject({
      renewalProbabilityBefore: 0.8,
      renewalProbabilityAfter: 0.88,
      expectedMonthlyRevenueBefore: 1600,
      expectedMonthlyRevenueAfter: 1584,
      expectedMonthlyRevenueDelta: -16,
    });
    expect(a.expectedRetentionEffect.assumption).toContain('Assumed renewal probability 80 %');
  });

  test.each<[number, number | null, 'cs_lead' | 'msp_owner']>([
    [5, 1200, 'cs_lead'],
    [10, 1200, 'cs_lead'],
    [10.5, 1200, 'msp_owner'],
    [25, 1200, 'msp_owner'],
    [8, 1600, 'msp_owner'], // margin after 13.04 % is below the 15 % floor
    [8, null, 'cs_lead'], // unknown cost: depth alone decides
  ])('a %p %% discount with cost %p goes to %s', (depth, cost, tier) => {
    const a = assessConcession(request(depth), { ...contract, monthlyCost: cost }, [], P);
    expect(a.approverTier).toBe(tier);
  });

  test('a discount beyond the policy maximum is a problem, as is a missing reason', () => {
    const a = assessConcession({ ...request(60), reason: ' ' }, contract, [], P);
    expect(a.problems).toHaveLength(2);
    expect(a.precedentAvgDepthPct).toBeNull();
  });
});

describe('decideConcession', () => {
  const pending = (depth: number): ConcessionState =>
    openConcession(request(depth), assessConcession(request(depth), contract, [], P));
  const at = '2025-10-02T10:00:00Z';

  test.each<[string, number, string, string[], 'approve' | 'reject', string]>([
    ['cs lead approves a 10 % request', 10, 'cs-1', ['cs_lead'], 'approve', 'approved'],
    ['msp owner approves a 10 % request', 10, 'own-1', ['msp_owner'], 'approve', 'approved'],
    ['msp owner approves a 20 % request', 20, 'own-1', ['msp_owner'], 'approve', 'approved'],
    ['cs lead cannot approve a 20 % request', 20, 'cs-1', ['cs_lead'], 'approve', 'wrong-role'],
    ['cs lead cannot reject a 20 % request', 20, 'cs-1', ['cs_lead'], 'reject', 'wrong-role'],
    ['an account manager cannot approve', 5, 'am-2', ['account_manager'], 'approve', 'wrong-role'],
    [
      'the requester cannot approve their own request',
      5,
      'am-1',
      ['cs_lead', 'account_manager'],
      'approve',
      'own-request',
    ],
    ['a rejection needs a comment', 5, 'cs-1', ['cs_lead'], 'reject', 'comment-required'],
  ])('%s', (_label, depth, actor, actorRoles, decision, expected) => {
    const r = decideConcession(pending(depth), { actor, actorRoles, decision, at });
    if (r.ok) {
      expect(r.state.status).toBe(expected);
      expect(r.state.version).toBe(2);
      expect(r.state.decidedBy).toBe(actor);
    } else expect(r.reason).toBe(expected);
  });

  test('decided once: a second decision is refused, and a stale card version is refused', () => {
    const s = pending(5);
    const first = decideConcession(s, {
      actor: 'cs-1',
      actorRoles: ['cs_lead'],
      decision: 'approve',
      at,
    });
    if (!first.ok) throw new Error('refused');
    const second = decideConcession(first.state, {
      actor: 'own-1',
      actorRoles: ['msp_owner'],
      decision: 'reject',
      comment: 'no',
      at,
    });
    expect(second).toMatchObject({ ok: false, reason: 'already-decided' });
    const stale = decideConcession(
      { ...s, version: 3 },
      {
        actor: 'cs-1',
        actorRoles: ['cs_lead'],
        decision: 'approve',
        at,
        expectedVersion: 1,
      },
    );
    expect(stale).toMatchObject({ ok: false, reason: 'stale-version' });
  });

  test('concurrent approvals against a compare-and-set store yield one decision', () => {
    let stored = pending(5);
    const cas = (next: ConcessionState, expected: number): boolean => {
      if (stored.version !== expected) return false;
      stored = next;
      return true;
    };
    // Both approvers computed their decision from the same read.
    const read = stored;
    const a = decideConcession(read, {
      actor: 'cs-1',
      actorRoles: ['cs_lead'],
      decision: 'approve',
      at,
    });
    const b = decideConcession(read, {
      actor: 'own-1',
      actorRoles: ['msp_owner'],
      decision: 'reject',
      comment: 'too deep for this account',
      at,
    });
    if (!a.ok || !b.ok) throw new Error('refused');
    const results = [cas(a.state, a.expectedVersion), cas(b.state, b.expectedVersion)];
    expect(results).toEqual([true, false]);
    expect(stored).toMatchObject({ status: 'approved', decidedBy: 'cs-1', version: 2 });
    expect(
      decideConcession(stored, {
        actor: 'own-1',
        actorRoles: ['msp_owner'],
        decision: 'approve',
        at,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'already-decided',
    });
  });
});

describe('concession expiry', () => {
  const pending = (): ConcessionState =>
    openConcession(request(15), assessConcession(request(15), contract, [], P));
  const expiresAt = concessionExpiresAt(request(15).requestedAt, 14);

  test.each<[string, string, boolean]>([
    [
      'a second before the 14 days are up',
      new Date(Date.parse(expiresAt) - 1000).toISOString(),
      false,
    ],
    ['exactly 14 days after the request', expiresAt, true],
    ['a day later', new Date(Date.parse(expiresAt) + 86_400_000).toISOString(), true],
  ])('a pending request is expired %s: %s → %s', (_name, now, expired) => {
    expect(isConcessionExpired(pending(), now, 14)).toBe(expired);
  });

  test('a decided request never expires', () => {
    const decided: ConcessionState = { ...pending(), status: 'approved' };
    expect(isConcessionExpired(decided, '2099-01-01T00:00:00Z', 14)).toBe(false);
  });

  test('expires the number of days after the request', () => {
    expect(concessionExpiresAt('2026-02-01T10:00:00.000Z', 14)).toBe('2026-02-15T10:00:00.000Z');
  });
});
