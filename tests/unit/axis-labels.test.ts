import { axisText, visibleLabelIndices } from '../../tab/src/charts/axis-labels';

/** x positions of `n` points spread over the line chart's 584-unit plot, as LineChart places them. */
const spread = (n: number) => Array.from({ length: n }, (_, i) => 44 + (i * 584) / (n - 1));
const weeks = (n: number) =>
  Array.from({ length: n }, (_, i) => `2026-W${String(37 + i).padStart(2, '0')}`);

/** The drawn extents (start-anchored first, end-anchored last, centred otherwise) never overlap. */
function overlaps(labels: string[], xs: number[], shown: number[]): boolean {
  const w = (i: number) => axisText(labels[i]!).length * 12 * 0.62;
  const extent = (i: number) =>
    i === labels.length - 1
      ? [xs[i]! - w(i), xs[i]!]
      : i === 0
        ? [xs[i]!, xs[i]! + w(i)]
        : [xs[i]! - w(i) / 2, xs[i]! + w(i) / 2];
  return shown.some((i, k) => k > 0 && extent(shown[k - 1]!)[1]! > extent(i)[0]!);
}

describe('x-axis labels', () => {
  test.each([2, 5, 9, 12, 26, 52])('%i weekly labels: none overlap, first and last drawn', (n) => {
    const labels = weeks(n);
    const shown = visibleLabelIndices(labels, spread(n), 12);
    expect(shown[0]).toBe(0);
    expect(shown[shown.length - 1]).toBe(n - 1);
    expect(overlaps(labels, spread(n), shown)).toBe(false);
  });

  test('twelve weeks (the KPI chart) are drawn as W37…W48, every one fitting', () => {
    expect(visibleLabelIndices(weeks(12), spread(12), 12)).toHaveLength(12);
  });

  test('long labels beside the last are dropped rather than drawn over it', () => {
    const labels = Array.from({ length: 12 }, (_, i) => `Sprint ${i + 1} review`);
    const shown = visibleLabelIndices(labels, spread(12), 12);
    expect(shown).not.toContain(10);
    expect(shown[shown.length - 1]).toBe(11);
    expect(overlaps(labels, spread(12), shown)).toBe(false);
  });

  test('90 daily dates stay legible', () => {
    const labels = Array.from({ length: 90 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const shown = visibleLabelIndices(labels, spread(90), 12);
    expect(overlaps(labels, spread(90), shown)).toBe(false);
    expect(axisText(labels[0]!)).toBe('01-01');
    expect(axisText('2026-W37')).toBe('W37');
  });
});
