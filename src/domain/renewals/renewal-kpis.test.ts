import { type UpliftOpportunity } from './uplift';
import {
  averageConcessionDepth,
  grossRetention,
  grossRetentionRate,
  kpiMovement,
  kpiReport,
  upliftConversion,
} from './renewal-kpis';

const opp = (
  id: string,
  status: UpliftOpportunity['status'],
  uplift: number,
): UpliftOpportunity => ({
  id,
  kind: 'under-scoped',
  contractId: id,
  clientId: 'K',
  subject: 'user',
  estimatedMonthlyUplift: uplift,
  evidence: [],
  status,
  detectedOn: '2025-01-01',
  decidedOn: null,
  decidedBy: null,
});

describe('gross retention rate', () => {
  test('hand-computed on a small portfolio: (5000 − 2000 − 300) / 5000 = 0.54', () => {
    const r = grossRetention([
      { contractId: 'A', startingMrr: 1000, endingMrr: 1000, churned: false },
      { contractId: 'B', startingMrr: 2000, endingMrr: 0, churned: true },
      { contractId: 'C', startingMrr: 1500, endingMrr: 1200, churned: false }, // −300 contraction
      { contractId: 'D', startingMrr: 500, endingMrr: 800, churned: false }, // expansion ignored
    ]);
    expect(r).toEqual({ startingMrr: 5000, churnedMrr: 2000, contractionMrr: 300, grr: 0.54 });
  });

  test.each<[number, number, number, number | null]>([
    [1000, 0, 0, 1],
    [1000, 0, -200, 1], // capped at 100 %
    [1000, 250, 50, 0.7],
    [0, 0, 0, null],
  ])('GRR(%p, %p, %p) = %p', (s, ch, co, expected) => {
    expect(grossRetentionRate(s, ch, co)).toBe(expected);
  });
});

describe('uplift conversion', () => {
  test('accepted / (accepted + declined), and per proposed', () => {
    const r = upliftConversion([
      opp('1', 'accepted', 100),
      opp('2', 'accepted', 200),
      opp('3', 'accepted', 50),
      opp('4', 'declined', 400),
      opp('5', 'proposed', 80),
      opp('6', 'proposed', 90),
    ]);
    expect(r).toEqual({
      proposed: 6,
      accepted: 3,
      declined: 1,
      open: 2,
      conversionRate: 0.75,
      perProposedRate: 0.5,
      acceptedMonthlyUplift: 350,
    });
  });

  test('nothing answered yet has no conversion rate', () => {
    expect(upliftConversion([opp('1', 'proposed', 1)]).conversionRate).toBeNull();
    expect(upliftConversion([]).perProposedRate).toBeNull();
  });
});

describe('average concession depth', () => {
  test('mean of approved depths (10) and of all decided requests (13.75)', () => {
    expect(
      averageConcessionDepth([
        { contractId: 'A', discountPct: 5, status: 'approved' },
        { contractId: 'B', discountPct: 10, status: 'approved' },
        { contractId: 'C', discountPct: 15, status: 'approved' },
        { contractId: 'D', discountPct: 25, status: 'rejected' },
      ]),
    ).toEqual({ approvedAvgPct: 10, requestedAvgPct: 13.75, approved: 3, decided: 4 });
  });
});

describe('baseline and movement', () => {
  const baseline = { grr: 0.9, upliftConversion: 0.2, avgConcessionDepthPct: 12 };

  test('movement against the week-1 baseline knows which direction is better', () => {
    const m = kpiMovement(baseline, {
      grr: 0.92,
      upliftConversion: 0.15,
      avgConcessionDepthPct: 10,
    });
    expect(m).toEqual([
      {
        kpi: 'grr',
        baseline: 0.9,
        current: 0.92,
        delta: 0.02,
        relativeChange: 0.0222,
        improved: true,
      },
      {
        kpi: 'upliftConversion',
        baseline: 0.2,
        current: 0.15,
        delta: -0.05,
        relativeChange: -0.25,
        improved: false,
      },
      {
        kpi: 'avgConcessionDepthPct',
        baseline: 12,
        current: 10,
        delta: -2,
        relativeChange: -0.1667,
        improved: true,
      },
    ]);
  });

  test('report shows week 4 and week 8 against the first snapshot', () => {
    const r = kpiReport([
      {
        capturedOn: '2025-03-24',
        kpis: { grr: 0.95, upliftConversion: 0.3, avgConcessionDepthPct: 9 },
      },
      { capturedOn: '2025-02-03', kpis: baseline },
      {
        capturedOn: '2025-02-25',
        kpis: { grr: 0.92, upliftConversion: 0.25, avgConcessionDepthPct: 10 },
      },
    ]);
    expect(r.baseline?.capturedOn).toBe('2025-02-03');
    expect(r.week4?.[0]?.current).toBe(0.92); // day 22
    expect(r.week8?.[0]?.current).toBe(0.95); // day 49
    expect(r.latest?.[2]?.delta).toBe(-3);
  });
});
