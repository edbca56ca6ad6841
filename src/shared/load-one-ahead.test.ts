import { loadOneAhead } from './load-one-ahead';

describe('loadOneAhead', () => {
  test('yields every item in order, starting the next load before the caller is done with this one', async () => {
    const events: string[] = [];
    const load = async (n: number) => {
      events.push(`load ${n}`);
      return n * 10;
    };
    for await (const value of loadOneAhead([1, 2, 3], load)) events.push(`use ${value}`);
    expect(events).toEqual(['load 1', 'load 2', 'use 10', 'load 3', 'use 20', 'use 30']);
  });

  test('nothing to load yields nothing', async () => {
    const seen: number[] = [];
    for await (const value of loadOneAhead([], async (n: number) => n)) seen.push(value);
    expect(seen).toEqual([]);
  });

  test('a failed load surfaces when its turn comes; a caller that stopped early never sees it', async () => {
    const load = async (n: number) => {
      if (n === 2) throw new Error('load 2 failed');
      return n;
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of loadOneAhead([1, 2, 3], load)) seen.push(value);
      })(),
    ).rejects.toThrow('load 2 failed');
    expect(seen).toEqual([1]);
    for await (const value of loadOneAhead([1, 2], load)) {
      expect(value).toBe(1);
      break;
    }
  });
});
