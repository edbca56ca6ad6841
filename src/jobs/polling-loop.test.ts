import { FakeClock } from '../../tests/bot/fakes';
import type { Sleep } from '../shared/clock';
import { PollingLoop, type CycleOutcome } from './polling-loop';

/** A sleep that records each wait and blocks until the loop is poked or stopped. */
function blockingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = (ms, signal) => {
    waits.push(ms);
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  };
  return { sleep, waits };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function loopOver(
  outcomes: (CycleOutcome | Error)[],
  options: { pollMs?: number; pokeQuietMs?: number } = {},
) {
  const clock = new FakeClock();
  const { sleep, waits } = blockingSleep();
  const errors: unknown[] = [];
  let cycles = 0;
  const loop = new PollingLoop({
    cycle: async () => {
      cycles += 1;
      const next = outcomes.shift() ?? null;
      if (next instanceof Error) throw next;
      return next;
    },
    pollMs: options.pollMs ?? 5_000,
    pokeQuietMs: options.pokeQuietMs,
    onError: (error) => errors.push(error),
    clock,
    sleep,
  });
  return { loop, clock, waits, errors, cycles: () => cycles };
}

describe('PollingLoop', () => {
  test('runs the next cycle at once after a busy cycle, then waits until the work is due', async () => {
    const clock = new FakeClock();
    const due = new Date(clock.now().getTime() + 2_000);
    const run = loopOver(['again', due]);

    run.loop.start();
    await settle();

    expect(run.cycles()).toBe(2);
    expect(run.waits).toEqual([2_000]);
    await run.loop.stop();
  });

  test('waits at most pollMs, also when nothing is waiting', async () => {
    const clock = new FakeClock();
    const run = loopOver([new Date(clock.now().getTime() + 60_000), null], { pollMs: 5_000 });

    run.loop.start();
    await settle();
    run.loop.poke();
    await settle();

    expect(run.waits).toEqual([5_000, 5_000]);
    await run.loop.stop();
  });

  test('a poke wakes a sleeping loop for another cycle', async () => {
    const run = loopOver([null, null]);
    run.loop.start();
    await settle();
    expect(run.cycles()).toBe(1);

    run.loop.poke();
    await settle();

    expect(run.cycles()).toBe(2);
    await run.loop.stop();
  });

  test('a poke during a cycle starts the next cycle without sleeping', async () => {
    const clock = new FakeClock();
    const { sleep, waits } = blockingSleep();
    let cycles = 0;
    const loop: PollingLoop = new PollingLoop({
      cycle: async () => {
        cycles += 1;
        if (cycles === 1) loop.poke();
        return null;
      },
      pollMs: 5_000,
      onError: () => undefined,
      clock,
      sleep,
    });

    loop.start();
    await settle();

    expect(cycles).toBe(2);
    expect(waits).toEqual([5_000]);
    await loop.stop();
  });

  test('a failing cycle is reported and the loop carries on', async () => {
    const failure = new Error('database gone');
    const run = loopOver([failure, null]);

    run.loop.start();
    await settle();
    run.loop.poke();
    await settle();

    expect(run.errors).toEqual([failure]);
    expect(run.cycles()).toBe(2);
    await run.loop.stop();
  });

  test('stop ends the loop: no cycle runs after it', async () => {
    const run = loopOver([null]);
    run.loop.start();
    await settle();

    await run.loop.stop();
    run.loop.poke();
    await settle();

    expect(run.cycles()).toBe(1);
  });

  describe('with pokeQuietMs', () => {
    beforeEach(() =>
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }),
    );
    afterEach(() => jest.useRealTimers());

    test('pokes in quick succession wake the loop once, quietMs after the last of them', async () => {
      const run = loopOver([null, null, null], { pokeQuietMs: 20 });
      run.loop.start();
      await settle();
      expect(run.cycles()).toBe(1);

      for (let i = 0; i < 5; i++) {
        run.loop.poke();
        jest.advanceTimersByTime(10);
        await settle();
      }
      expect(run.cycles()).toBe(1);
      jest.advanceTimersByTime(10);
      await settle();
      expect(run.cycles()).toBe(2);
      await run.loop.stop();
    });

    test('pokes that never stop still wake the loop within the window (ten quiet spells)', async () => {
      const run = loopOver([null, null, null], { pokeQuietMs: 20 });
      run.loop.start();
      await settle();
      for (let i = 0; i < 19; i++) {
        run.loop.poke();
        jest.advanceTimersByTime(10);
        await settle();
      }
      expect(run.cycles()).toBe(1);
      run.loop.poke();
      jest.advanceTimersByTime(10);
      await settle();
      expect(run.cycles()).toBe(2);
      await run.loop.stop();
    });

    test('stop does not wait for quiet', async () => {
      const run = loopOver([null], { pokeQuietMs: 20_000 });
      run.loop.start();
      await settle();
      run.loop.poke();
      await run.loop.stop();
      expect(run.cycles()).toBe(1);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
