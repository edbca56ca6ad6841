import fc from 'fast-check';
import { parseRetryAfter } from './retry-after';

const now = Date.parse('2025-01-06T09:00:00Z');

describe('parseRetryAfter', () => {
  test.each([
    ['0', 0],
    ['30', 30_000],
    [' 120 ', 120_000],
    ['Mon, 06 Jan 2025 09:00:30 GMT', 30_000],
    ['Monday, 06-Jan-25 09:01:00 GMT', 60_000],
    ['Mon Jan  6 09:00:05 2025', 5_000],
    ['Mon, 06 Jan 2025 09:00:30 UTC', 30_000],
    ['Mon, 06 Jan 2025 09:00:30 +0000', 30_000],
    ['Mon, 06 Jan 2025 08:59:00 GMT', 0],
  ])('reads %j as %d ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  test.each([
    null,
    undefined,
    '',
    '   ',
    '1e3',
    '1.5',
    '-1',
    '+5',
    '0x10',
    'soon',
    'Jan 2025',
    '1e3 GMT',
  ])('refuses %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeNull();
  });

  test('any delay-seconds is that many seconds', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
      }),
    );
  });

  test('any IMF-fixdate is the time until it, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSeconds) => {
        const header = new Date(now + offsetSeconds * 1000).toUTCString();
        expect(parseRetryAfter(header, now)).toBe(Math.max(0, offsetSeconds * 1000));
      }),
    );
  });

  test('no string makes it throw or return a negative or non-finite wait', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const ms = parseRetryAfter(header, now);
        expect(ms === null || (Number.isFinite(ms) && ms >= 0)).toBe(true);
      }),
    );
  });
});
