import { kpiMovement, marginOf, weeklyKpis, type WeeklyKpis } from './kpis';
import { effort, referenceFacts, task } from './testing/facts-builder';

describe('weekly KPIs', () => {
  // m1 due Thu 2025-01-16 (W03), m2 due Sun 2025-01-26 (W04).
  const onTime = referenceFacts({
    asOf: '2025-01-31',
    tasks: [
      task('t1', { status: 'closed', closedOn: '2025-01-15' }),
      task('t2', { milestoneId: 'm2', status: 'closed', closedOn: '2025-01-28' }),
    ],
  });
  const late = referenceFacts({
    projectId: 'p2',
    asOf: '2025-01-31',
    status: 'closed',
    closedOn: '2025-01-17',
    tasks: [task('t1', { status: 'closed', closedOn: '2025-01-17' })],
    dailyHours: effort('2025-01-06', '2025-01-17', 12), // 120 h on a 100 h budget
  });

  test('on-time milestone rate counts milestones due in the week', () => {
    const w3 = weeklyKpis('2025-01-13', [onTime, late]);
    expect(w3).toMatchObject({ week: '2025-W03', milestonesDue: 2, onTimeMilestoneRate: 0.5 });
    const w4 = weeklyKpis('2025-01-20', [onTime]);
    expect(w4).toMatchObject({ milestonesDue: 1, onTimeMilestoneRate: 0 });
    expect(weeklyKpis('2025-03-03', [onTime]).onTimeMilestoneRate).toBeNull();
  });

  test('budget variance and margin accuracy over projects closed in the week', () => {
    const w3 = weeklyKpis('2025-01-13', [onTime, late]);
    expect(w3.projectsClosed).toBe(1);
    expect(w3.budgetVariance).toBeCloseTo(0.2, 10);
    // Planned margin (14,000 − 10,000) / 14,000; actual (14,000 − 12,000) / 14,000.
    expect(marginOf(late)).toEqual({ planned: 4000 / 14000, actual: 2000 / 14000 });
    expect(w3.grossMarginAccuracy).toBeCloseTo(1 - 2000 / 14000, 10);
  });
});

describe('KPI movement', () => {
  const week = (n: number, rate: number | null, variance: number | null): WeeklyKpis => ({
    week: `2025-W0${n}`,
    onTimeMilestoneRate: rate,
    milestonesDue: 4,
    budgetVariance: variance,
    grossMarginAccuracy: null,
    projectsClosed: 1,
  });

  test('week-1 baseline and movement at weeks 4 and 8', () => {
    const series = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      week(n, 0.5 + n * 0.05 - 0.05, 0.2 - n * 0.01 + 0.01),
    );
    const [rate, variance, margin] = kpiMovement(series);
    expect(rate).toMatchObject({ kpi: 'onTimeMilestoneRate', baseline: 0.5 });
    expect(rate?.week4).toBeCloseTo(0.65, 10);
    expect(rate?.improvementAtWeek4).toBeCloseTo(0.3, 10);
    expect(rate?.improvementAtWeek8).toBeCloseTo(0.7, 10);
    expect(variance?.lowerIsBetter).toBe(true);
    expect(variance?.improvementAtWeek8).toBeCloseTo(0.35, 10);
    expect(margin).toMatchObject({ baseline: null, improvementAtWeek4: null });
  });
});
