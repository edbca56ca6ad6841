import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  test('grows exponentially under full jitter', () => {
    const options = { baseMs: 500, maxMs: 30_000, random: () => 0.5 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelayMs(a, options))).toEqual([
      250, 500, 1_000, 2_000, 4_000,
    ]);
  });

  test('spans 0 up to the ceiling with the random draw', () => {
    expect(backoffDelayMs(2, { baseMs: 100, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(2, { baseMs: 100, random: () => 0.999 })).toBe(399);
  });

  test('is capped at maxMs', () => {
    expect(backoffDelayMs(20, { baseMs: 500, maxMs: 30_000, random: () => 0.999 })).toBe(29_970);
  });

  test('honours Retry-After instead of the jittered delay', () => {
    expect(backoffDelayMs(0, { random: () => 0.5 }, 7_000)).toBe(7_000);
  });

  test('caps a Retry-After that asks for too long', () => {
    expect(backoffDelayMs(0, { random: () => 0.5, retryAfterCapMs: 60_000 }, 3_600_000)).toBe(
      60_000,
    );
  });
});
