import type { Clock } from '../shared/clock';
import { InMemoryRequestLog } from './in-memory-request-log';
import { RequestBudget } from './request-budget';
import type { LoggedRequest, RequestLog } from './request-log.port';
import { RollingRateLimiter } from './simulator/fault-injector';

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

/** A log that keeps only what it was given (a database shared by processes), and fails on demand. */
class FailingLog implements RequestLog {
  constructor(private readonly inner: RequestLog) {}
  failing = false;
  since(sinceMs: number): Promise<LoggedRequest[]> {
    return this.failing ? Promise.reject(new Error('log down')) : this.inner.since(sinceMs);
  }
  record(request: LoggedRequest, forgetBeforeMs: number): Promise<void> {
    return this.failing
      ? Promise.reject(new Error('log down'))
      : this.inner.record(request, forgetBeforeMs);
  }
}

describe('RequestBudget', () => {
  test('defaults to 300 requests per rolling 5 minutes with a 1 s guard', () => {
    const clock = fakeClock();
    const budget = new RequestBudget(clock);
    expect(budget.requests).toBe(300);
    expect(budget.windowMs).toBe(300_000);
    expect(budget.guardMs).toBe(1_000);
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
    const budget = new RequestBudget({ ...clock, requests: 2, windowMs: 1_000, guardMs: 0 });
    const start = clock.nowMs();
    await budget.acquire();
    await clock.sleep(300);
    await budget.acquire();

    await budget.acquire();

    expect(clock.nowMs() - start).toBe(1_000);
    expect(clock.slept).toEqual([300, 700]);
    expect(budget.remaining()).toBe(0);
  });

  test('reuses a slot only a guard interval after the window edge', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 1, windowMs: 10_000, guardMs: 1_000 });
    const start = clock.nowMs();
    await budget.acquire();

    await clock.sleep(10_000);
    expect(budget.remaining()).toBe(0);
    expect(budget.waitMs()).toBe(1_000);
    await budget.acquire();

    expect(clock.nowMs() - start).toBe(11_000);
  });

  test('counts a request from its answer when the answer comes after the reservation', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 1, windowMs: 10_000, guardMs: 0 });
    const start = clock.nowMs();
    const slot = await budget.acquire();
    await clock.sleep(2_500); // HaloPSA took 2.5 s to answer: it may have counted it as late as that.
    await slot.settle();

    await budget.acquire();

    expect(clock.nowMs() - start).toBe(12_500);
  });

  test('a process started on the same log begins with what the previous one spent', async () => {
    const clock = fakeClock();
    const log = new InMemoryRequestLog();
    const first = new RequestBudget({ ...clock, log, requests: 5, windowMs: 60_000, guardMs: 0 });
    const start = clock.nowMs();
    for (let i = 0; i < 5; i++) await (await first.acquire()).settle();
    await clock.sleep(20_000);

    const restarted = new RequestBudget({
      ...clock,
      log,
      requests: 5,
      windowMs: 60_000,
      guardMs: 0,
    });
    await restarted.load();

    expect(restarted.remaining()).toBe(0);
    expect(restarted.waitMs()).toBe(40_000);
    await restarted.acquire();
    expect(clock.nowMs() - start).toBe(60_000);
  });

  test('sees the requests of another instance on the same log before reserving', async () => {
    const clock = fakeClock();
    const log = new InMemoryRequestLog();
    const options = { ...clock, log, requests: 4, windowMs: 60_000, guardMs: 0 };
    const one = new RequestBudget(options);
    const other = new RequestBudget(options);
    await one.acquire();
    await one.acquire();
    await other.acquire();

    await other.acquire();

    expect(other.remaining()).toBe(0);
    expect(clock.slept).toEqual([]);
    await one.acquire();
    expect(clock.slept).toEqual([60_000]);
  });

  test.each([
    ['no restart', 0],
    ['a restart after 400 requests', 400],
    ['a restart after 299 requests', 299],
  ])('HaloPSA counting on arrival never refuses a request (%s)', async (_name, restartAfter) => {
    const clock = fakeClock();
    const log = new InMemoryRequestLog();
    const halo = new RollingRateLimiter({ requests: 300, windowMs: 300_000 }, clock.clock);
    const newBudget = () => new RequestBudget({ ...clock, log });
    let budget = newBudget();
    let refused = 0;

    for (let i = 0; i < 1_000; i++) {
      if (i > 0 && i === restartAfter) {
        budget = newBudget();
        await budget.load();
      }
      const slot = await budget.acquire();
      // 50 ms to 890 ms in transit (a 7-request cycle, so the window edge meets every latency),
      // then HaloPSA counts it, then the answer comes back.
      await clock.sleep(50 + ((i + 3) % 7) * 140);
      if (!halo.admit()) refused += 1;
      await clock.sleep(20);
      await slot.settle();
    }

    expect(refused).toBe(0);
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
    expect(times[300]! - times[0]!).toBeGreaterThanOrEqual(301_000);
  });

  test('serves concurrent waiters in arrival order', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ ...clock, requests: 1, windowMs: 1_000, guardMs: 0 });
    const order: number[] = [];

    await Promise.all([1, 2, 3].map((n) => budget.acquire().then(() => order.push(n))));

    expect(order).toEqual([1, 2, 3]);
    expect(budget.waitMs()).toBe(1_000);
  });

  test('a failing log fails that acquisition only, not the ones after it', async () => {
    const clock = fakeClock();
    const log = new FailingLog(new InMemoryRequestLog());
    const budget = new RequestBudget({ ...clock, log, requests: 3 });

    log.failing = true;
    await expect(budget.acquire()).rejects.toThrow('log down');
    log.failing = false;
    await budget.acquire();

    expect(budget.remaining()).toBe(2);
  });

  test('rejects a budget that could never admit a request', () => {
    const clock = fakeClock();
    expect(() => new RequestBudget({ ...clock, requests: 0 })).toThrow(RangeError);
    expect(() => new RequestBudget({ ...clock, windowMs: 0 })).toThrow(RangeError);
    expect(() => new RequestBudget({ ...clock, guardMs: -1 })).toThrow(RangeError);
  });
});
