import { RefusalLimiter } from './refusal-limiter';

describe('refused actions are rate-limited per user', () => {
  const at = (ms: number) => ({ now: () => new Date(Date.UTC(2026, 10, 23) + ms) });

  test('past 20 refusals in a minute a user is blocked until the oldest one leaves the window', () => {
    let ms = 0;
    const limiter = new RefusalLimiter({ now: () => at(ms).now() });
    for (let i = 0; i < 20; i += 1) {
      expect(limiter.blocked('pat')).toBeNull();
      limiter.refused('pat');
      ms += 1000;
    }
    // 20 refusals within 20 s: blocked; the first leaves the window at 60 s.
    expect(limiter.blocked('pat')).toBe(40);
    expect(limiter.blocked('dana')).toBeNull();
    ms = 59_999;
    expect(limiter.blocked('pat')).not.toBeNull();
    ms = 60_001;
    expect(limiter.blocked('pat')).toBeNull();
  });

  test('remembers a bounded number of users', () => {
    const limiter = new RefusalLimiter(at(0), { limit: 1, windowMs: 60_000, maxUsers: 2 });
    limiter.refused('a');
    limiter.refused('b');
    limiter.refused('c');
    expect(limiter.blocked('a')).toBeNull();
    expect(limiter.blocked('b')).not.toBeNull();
    expect(limiter.blocked('c')).not.toBeNull();
  });
});
