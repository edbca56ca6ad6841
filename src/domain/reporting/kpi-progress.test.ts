import { addDays } from '../shared/dates';
import { baselineCandidate, kpiProgress, type KpiSnapshot } from './kpi-progress';

const START = '2026-03-02';
const daily = (from: number, to: number): KpiSnapshot[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    capturedOn: addDays(START, from + i),
    values: { rate: (from + i) / 100, unmeasured: null },
  }));

describe('kpi progress', () => {
  test('the baseline is the first snapshot on or after the pilot start, or the first with none', () => {
    const s = daily(-3, 5);
    expect(baselineCandidate(s, START)?.capturedOn).toBe(START);
    expect(baselineCandidate(s, null)?.capturedOn).toBe(addDays(START, -3));
    expect(baselineCandidate(s, addDays(START, 30))).toBeNull();
  });

  test('week 4 and week 8 are the last snapshots of days 21–27 and 49–55; now is the latest', () => {
    const s = daily(-3, 60);
    const p = kpiProgress(baselineCandidate(s, START), s);
    expect(p.baseline?.capturedOn).toBe(START);
    expect(p.week4).toMatchObject({ capturedOn: addDays(START, 27), delta: { unmeasured: null } });
    expect(p.week4?.delta.rate).toBeCloseTo(0.27, 10);
    expect(p.week8?.capturedOn).toBe(addDays(START, 55));
    expect(p.now?.capturedOn).toBe(addDays(START, 60));
  });

  test('a week without snapshots stays empty; nothing before a baseline', () => {
    const s = [...daily(0, 10), ...daily(50, 50)];
    const p = kpiProgress(s[0]!, s);
    expect(p.week4).toBeNull();
    expect(p.week8?.capturedOn).toBe(addDays(START, 50));
    expect(kpiProgress(null, s)).toEqual({ baseline: null, week4: null, week8: null, now: null });
  });
});
