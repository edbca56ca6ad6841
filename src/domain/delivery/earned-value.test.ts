import { computeEarnedValue, evmFigures } from './earned-value';
import { referenceFacts, task } from './testing/facts-builder';

describe('earned value against hand-computed figures', () => {
  test('reference project', () => {
    const ev = computeEarnedValue(referenceFacts());
    expect(ev.percentComplete).toBe(0.3);
    expect(ev.plannedPercent).toBe(0.25);
    expect(ev.hoursBurnRatio).toBe(0.4);
    expect(ev.hours).toEqual({
      bac: 100,
      pv: 25,
      ev: 30,
      ac: 40,
      cv: -10,
      sv: 5,
      cpi: 0.75,
      spi: 1.2,
      eacAtBudgetRate: 110,
      eacAtCpi: 133.33,
      eacAtCpiSpi: 117.78,
      etc: 93.33,
      vac: -33.33,
      tcpi: 1.167,
      unrealisticForecast: true,
    });
    expect(ev.money?.ev).toBe(3000);
    expect(ev.money?.ac).toBe(4000);
    expect(ev.money?.cpi).toBe(0.75);
  });

  test('% complete ignores hours burned', () => {
    const a = computeEarnedValue(referenceFacts());
    const b = computeEarnedValue(
      referenceFacts({ dailyHours: [{ date: '2025-01-06', hours: 90, cost: 9000 }] }),
    );
    expect(b.percentComplete).toBe(a.percentComplete);
    expect(b.hours?.cpi).toBe(0.333);
  });

  test('unestimated tasks count at the mean estimate', () => {
    const facts = referenceFacts({
      tasks: [
        task('t1', { estimateHours: 30, status: 'closed', closedOn: '2025-01-10' }),
        task('t2', { estimateHours: null }),
      ],
    });
    expect(computeEarnedValue(facts).percentComplete).toBe(0.5);
  });

  test.each([
    ['no actuals', 100, 0, 0.3, 0.25, { cpi: null, eacAtCpi: null, etc: null, vac: null }],
    ['no plan', 100, 40, 0.3, null, { spi: null, pv: null, eacAtCpiSpi: null }],
    ['budget spent', 100, 100, 0.5, 0.5, { tcpi: null, unrealisticForecast: false }],
    ['no progress', 100, 10, 0, 0.2, { cpi: 0, eacAtCpi: null, eacAtCpiSpi: null }],
    ['no measurable progress', 100, 10, null, 0.2, { ev: null, cpi: null, eacAtBudgetRate: null }],
  ])('guards divisions: %s', (_n, bac, ac, pc, pp, expected) => {
    const f = evmFigures(bac, ac, pc, pp);
    expect(f).toMatchObject(expected);
    for (const v of Object.values(f)) {
      if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    }
  });

  // EV 50 of BAC 100: CPI = 50 / AC and TCPI = 50 / (100 − AC); |TCPI − CPI| crosses 0.1 near AC 52.5.
  test.each([
    [50, false], // CPI 1.000, TCPI 1.000
    [52, false], // CPI 0.962, TCPI 1.042: gap 0.080
    [53, true], // CPI 0.943, TCPI 1.064: gap 0.120
  ])('unrealistic forecast flag at AC %p is %p', (ac, flagged) => {
    expect(evmFigures(100, ac, 0.5, 0.5).unrealisticForecast).toBe(flagged);
  });

  test('no budget: no figures, but progress still reported', () => {
    const ev = computeEarnedValue(
      referenceFacts({
        baseline: { ...referenceFacts().baseline, plannedHours: null, plannedMoney: null },
      }),
    );
    expect(ev.hours).toBeNull();
    expect(ev.money).toBeNull();
    expect(ev.percentComplete).toBe(0.3);
  });
});
