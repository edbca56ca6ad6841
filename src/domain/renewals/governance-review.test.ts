import { governanceReview, tuningFromOverrides, type OverrideLog } from './governance-review';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';

const override = (
  direction: OverrideLog['direction'],
  outcome: OverrideLog['outcome'],
  score = 80,
): OverrideLog => ({
  contractId: `C-${Math.random()}`,
  loggedOn: '2025-05-01',
  computedBand: direction === 'owner-more-pessimistic' ? 'ready' : 'at-risk',
  computedScore: score,
  ownerCall: direction === 'owner-more-pessimistic' ? 'churn' : 'renew',
  direction,
  outcome,
});

describe('tuning suggestions from overrides', () => {
  test('pessimistic owners proven right three times → the score is too optimistic', () => {
    const s = tuningFromOverrides(
      [1, 2, 3].map(() => override('owner-more-pessimistic', 'churned', 82)),
      P,
    );
    expect(s).toHaveLength(1);
    expect(s[0]?.area).toBe('readiness-bands');
    expect(s[0]?.evidence).toContain('3 contracts scored 82');
  });

  test('optimistic owners proven right → loosen; fewer than three or pending → nothing', () => {
    expect(
      tuningFromOverrides(
        [1, 2, 3].map(() => override('owner-more-optimistic', 'renewed', 50)),
        P,
      )[0]?.area,
    ).toBe('readiness-weights');
    expect(
      tuningFromOverrides(
        [
          override('owner-more-optimistic', 'renewed'),
          override('owner-more-optimistic', 'renewed'),
          override('owner-more-optimistic', 'pending'),
        ],
        P,
      ),
    ).toEqual([]);
  });
});

describe('monthly governance review', () => {
  test('summarises retention risk, conversion, discount pressure and override accuracy', () => {
    const r = governanceReview({
      month: '2025-06',
      policy: P,
      standings: [
        {
          contractId: 'A',
          clientName: 'A',
          monthlyValue: 1000,
          band: 'at-risk',
          previousBand: 'watch',
          stage: '60',
          topDrivers: ['SLA attainment'],
          flagged: true,
        },
        {
          contractId: 'B',
          clientName: 'B',
          monthlyValue: 3000,
          band: 'at-risk',
          previousBand: 'at-risk',
          stage: 'none',
          topDrivers: [],
          flagged: false,
        },
        {
          contractId: 'C',
          clientName: 'C',
          monthlyValue: 500,
          band: 'ready',
          previousBand: null,
          stage: '90',
          topDrivers: [],
          flagged: false,
        },
        {
          contractId: 'D',
          clientName: 'D',
          monthlyValue: 500,
          band: 'unknown',
          previousBand: null,
          stage: 'none',
          topDrivers: [],
          flagged: false,
        },
      ],
      opportunities: [],
      concessions: [
        { contractId: 'A', discountPct: 5, status: 'approved' },
        { contractId: 'B', discountPct: 20, status: 'rejected' },
      ],
      overrides: [
        override('owner-more-pessimistic', 'churned'),
        override('owner-more-optimistic', 'churned'),
      ],
    });
    expect(r.retentionRisk).toMatchObject({
      atRiskCount: 2,
      atRiskMrr: 4000,
      newlyAtRisk: ['A'],
      flaggedCount: 1,
      unknownCount: 1,
    });
    expect(r.retentionRisk.atRiskInWindow).toEqual([
      { contractId: 'A', clientName: 'A', stage: '60', why: ['SLA attainment'] },
    ]);
    expect(r.discountPressure).toEqual({
      requests: 2,
      approvedAvgPct: 5,
      requestedAvgPct: 12.5,
      deepShare: 0.5,
    });
    expect(r.overrides).toEqual({ total: 2, resolved: 2, ownerRightRate: 0.5 });
  });
});
