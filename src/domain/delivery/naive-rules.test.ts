import { budgetAheadOfTimeRule, cpiSpiRule } from './naive-rules';
import { effort, referenceFacts } from './testing/facts-builder';

describe('naive rules (SPEC §9 baselines)', () => {
  // Reference: 20 days planned (01-06 → 01-26), as of 01-11 → 25 % elapsed.
  test.each([
    [34, false], // 34 % used ≤ 25 % + 10 %
    [35, false], // exactly at the line is not above it
    [36, true],
  ])('budget used %i %% vs 25 %% elapsed → %p', (hours, flagged) => {
    const facts = referenceFacts({
      dailyHours: [{ date: '2025-01-06', hours, cost: hours * 100 }],
    });
    expect(budgetAheadOfTimeRule(facts)).toBe(flagged);
  });

  test.each([
    [33, false], // CPI 30/33 = 0.909, SPI 1.2
    [34, true], // CPI 0.882
  ])('CPI/SPI rule at AC %i → %p', (hours, flagged) => {
    const facts = referenceFacts({
      dailyHours: [{ date: '2025-01-06', hours, cost: hours * 100 }],
    });
    expect(cpiSpiRule(facts)).toBe(flagged);
  });

  test('no budget → no opinion', () => {
    const base = referenceFacts();
    const facts = referenceFacts({
      baseline: { ...base.baseline, plannedHours: null, plannedMoney: null },
    });
    expect(budgetAheadOfTimeRule(facts)).toBeNull();
    expect(cpiSpiRule(facts)).toBeNull();
  });

  test('behind plan trips the SPI side', () => {
    const facts = referenceFacts({
      asOf: '2025-01-20',
      dailyHours: effort('2025-01-06', '2025-01-10', 6),
    });
    expect(cpiSpiRule(facts)).toBe(true);
  });
});
