import { SlidingWindowLimiter, TEAMS_CONVERSATION_WINDOWS } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  test('allows 7 sends in a second, then makes the 8th wait until the first leaves the window', () => {
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    for (let i = 0; i < 7; i += 1) {
      expect(limiter.delayFor('c', 1_000 + i * 10)).toBe(0);
      limiter.record('c', 1_000 + i * 10);
    }
    expect(limiter.delayFor('c', 1_070)).toBe(930);
    expect(limiter.delayFor('other', 1_070)).toBe(0);
  });

  test('the 2-second window allows only 8', () => {
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    for (let i = 0; i < 7; i += 1) limiter.record('c', 0);
    limiter.record('c', 1_000);
    expect(limiter.delayFor('c', 1_500)).toBe(500);
  });

  test('a Retry-After block holds the key until it ends', () => {
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_WINDOWS);
    limiter.blockUntil('c', 5_000);
    expect(limiter.delayFor('c', 3_000)).toBe(2_000);
    expect([...limiter.blockedKeys(3_000)]).toEqual([['c', 5_000]]);
    expect(limiter.delayFor('c', 5_000)).toBe(0);
  });
});
