import type { Clock } from '../shared/clock';
import { RequestBudget } from './request-budget';

function fakeClock(): {
  clock: Clock;
  nowMs: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(t) },
    nowMs: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

describe('RequestBudget', () => {
  test('defaults to 300 requests per rolling 5 minutes', () => {
    const clock = fakeClock();
    const budget = new RequestBudget(clock);
    expect(budget.requests).toBe(300);
    expect(budget.windowMs).toBe(300_000);
    expect(budget.remaining()).toBe(300);
  });

  test('acquires without waiting while slots are free', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 3, windowMs: 1_000 });

    await budget.acquire();
    await budget.acquire();

    expect(budget.remaining()).toBe(1);
    expect(clock.slept).toEqual([]);
  });

  test('waits until the oldest request leaves the window', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 2, windowMs: 1_000 });
    const start = clock.nowMs();
    await budget.acquire();
    await clock.sleep(300);
    await budget.acquire();

    await budget.acquire();

    expect(clock.nowMs() - start).toBe(1_000);
    expect(clock.slept).toEqual([300, 700]);
    expect(budget.remaining()).toBe(0);
  });

  test('never lets more than the budget through in any rolling window', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 300, windowMs: 300_000 });
    const times: number[] = [];

    for (let i = 0; i < 910; i++) {
      await budget.acquire();
      times.push(clock.nowMs());
      if (i % 7 === 0) await clock.sleep(150);
    }

    for (const t of times) {
      expect(times.filter((u) => u > t - 300_000 && u <= t).length).toBeLessThanOrEqual(300);
    }
    expect(times[300]! - times[0]!).toBeGreaterThanOrEqual(300_000);
  });

  test('serves concurrent waiters in arrival order', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 1, windowMs: 1_000 });
    const order: number[] = [];

    await Promise.all([1, 2, 3].map((n) => budget.acquire().then(() => order.push(n))));

    expect(order).toEqual([1, 2, 3]);
    expect(budget.waitMs()).toBe(1_000);
  });

  test('rejects a budget that could never admit a request', () => {
    const clock = fakeClock();
    expect(() => new RequestBudget({ ...clock, requests: 0 })).toThrow(RangeError);
    expect(() => new RequestBudget({ ...clock, windowMs: 0 })).toThrow(RangeError);
  });
});
