import { retryDecision } from './retry-policy';

describe('retryDecision', () => {
  test.each([429, 412, 502, 503, 504, 0])('retries %i', (status) => {
    expect(retryDecision({ status, retryAfterMs: null }, 1, () => 0.5).retry).toBe(true);
  });
  test.each([400, 401, 403, 404, 500])('does not retry %i', (status) => {
    expect(retryDecision({ status, retryAfterMs: null }, 1, () => 0.5)).toEqual({ retry: false });
  });
  test('honours Retry-After over backoff', () => {
    expect(retryDecision({ status: 429, retryAfterMs: 2_000 }, 1, () => 0.5)).toEqual({
      retry: true,
      delayMs: 2_000,
    });
  });
  test('backs off exponentially with jitter, capped', () => {
    const delays = [1, 2, 3, 12].map((attempt) =>
      retryDecision({ status: 503, retryAfterMs: null }, attempt, () => 1),
    );
    expect(delays).toEqual([
      { retry: true, delayMs: 1_000 },
      { retry: true, delayMs: 2_000 },
      { retry: true, delayMs: 4_000 },
      { retry: true, delayMs: 300_000 },
    ]);
  });
  test('gives up after the last attempt', () => {
    expect(retryDecision({ status: 503, retryAfterMs: null }, 15, () => 0)).toEqual({
      retry: false,
    });
  });
});
