import { applyPolicyChanges, describePolicyChange, firstWorkingDayOfMonth } from './policy-tuning';
import { governanceReview, tuningFromOverrides, type OverrideLog } from './governance-review';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';

const lost = (score: number): OverrideLog => ({
  contractId: `C-${score}`,
  loggedOn: '2026-11-02',
  computedBand: 'ready',
  computedScore: score,
  ownerCall: 'churn',
  direction: 'owner-more-pessimistic',
  outcome: 'churned',
});

describe('applying a tuning suggestion to the renewal policy', () => {
  test('moves the named setting and stamps the next version, leaving the original untouched', () => {
    const tuned = applyPolicyChanges(
      P,
      [{ setting: 'readiness.bands.readyMinScore', from: 75, to: 82 }],
      P.version + 1,
    );
    expect(tuned.ok).toBe(true);
    if (!tuned.ok) return;
    expect(tuned.policy.version).toBe(P.version + 1);
    expect(tuned.policy.readiness.bands.readyMinScore).toBe(82);
    expect(P.readiness.bands.readyMinScore).toBe(75);
  });

  test.each([
    [
      'an unknown setting',
      { setting: 'readiness.bands.nope', from: 1, to: 2 },
      'not a numeric setting',
    ],
    [
      'a path through a prototype',
      { setting: '__proto__.polluted', from: 0, to: 1 },
      'not a numeric setting',
    ],
    [
      'a non-numeric setting',
      { setting: 'readiness.drivers.sla.direction', from: 0, to: 1 },
      'not a numeric setting',
    ],
    [
      'a setting that moved since the review',
      { setting: 'concession.csLeadMaxPct', from: 12, to: 15 },
      'is 10 now, not 12',
    ],
    [
      'a result that is not a valid policy',
      { setting: 'readiness.bands.readyMinScore', from: 75, to: 50 },
      'watchMinScore must be below readyMinScore',
    ],
  ])('refuses %s', (_, change, problem) => {
    const tuned = applyPolicyChanges(P, [change], P.version + 1);
    expect(tuned.ok).toBe(false);
    if (tuned.ok) return;
    expect(tuned.problems.join('; ')).toContain(problem);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('describes a change in one line', () => {
    expect(describePolicyChange({ setting: 'concession.csLeadMaxPct', from: 10, to: 15 })).toBe(
      'concession.csLeadMaxPct: 10 → 15',
    );
  });
});

describe('tuning suggestions name the settings they change', () => {
  test('lost contracts the score called ready raise readyMinScore above their average score', () => {
    const [s] = tuningFromOverrides([78, 80, 82].map(lost), P);
    expect(s).toMatchObject({
      id: 'readiness-bands',
      changes: [{ setting: 'readiness.bands.readyMinScore', from: 75, to: 81 }],
    });
  });

  test('every suggestion a review makes applies cleanly to the policy it was made under', () => {
    const review = governanceReview({
      month: '2026-11',
      policy: P,
      standings: [],
      opportunities: [],
      concessions: [12, 15, 20, 8].map((discountPct, i) => ({
        contractId: String(i),
        discountPct,
        status: 'approved' as const,
      })),
      overrides: [70, 72, 74].map(lost),
    });
    expect(review.tuningSuggestions.map((s) => s.id)).toEqual([
      'readiness-bands',
      'concession-tiers',
    ]);
    for (const s of review.tuningSuggestions) {
      expect(applyPolicyChanges(P, s.changes, P.version + 1).ok).toBe(true);
    }
    expect(review.tuningSuggestions[1]!.changes).toEqual([
      { setting: 'concession.csLeadMaxPct', from: 10, to: 16 },
    ]);
  });
});

describe('the first working day of a month', () => {
  test.each([
    ['2026-11', '2026-11-02'],
    ['2026-12', '2026-12-01'],
    ['2027-05', '2027-05-03'],
    ['2026-08', '2026-08-03'],
  ])('%s → %s', (month, day) => {
    expect(firstWorkingDayOfMonth(month)).toBe(day);
  });
});
