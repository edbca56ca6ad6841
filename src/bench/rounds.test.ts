import { dealRounds, median, summariseRounds } from './rounds';

describe('latency figures over three rounds', () => {
  test('the median of an odd count is the middle value, of an even count the mean of the middle two', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  test('value and reference are the medians of the rounds; the ratio is the median of per-round ratios', () => {
    const summary = summariseRounds([
      { value: 100, reference: 50 }, // 2.0
      { value: 90, reference: 60 }, // 1.5
      { value: 300, reference: 100 }, // 3.0
    ]);

    expect(summary.value).toBe(100);
    expect(summary.reference).toBe(60);
    // Not 100 / 60: each round is compared with its own reference.
    expect(summary.ratio).toBe(2);
    expect(summary.spread).toEqual({ min: 90, max: 300 });
    expect(summary.ratioSpread).toEqual({ min: 1.5, max: 3 });
    expect(summary.rounds.map((r) => r.ratio)).toEqual([2, 1.5, 3]);
  });

  test('no rounds is an error, not a figure', () => {
    expect(() => summariseRounds([])).toThrow('at least one round');
  });

  test('items are dealt out in turn, so every round gets its share', () => {
    expect(dealRounds([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 4, 7],
      [2, 5],
      [3, 6],
    ]);
  });
});
