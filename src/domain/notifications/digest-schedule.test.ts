import { digestDueOn, digestKey, isTimeZone, localDateAndHour } from './digest-schedule';

describe('the daily digest schedule', () => {
  test.each([
    // 07:59 in London (GMT in December) is not yet due; 08:00 is, for that local date.
    ['2026-12-03T07:59:00Z', 'Europe/London', null],
    ['2026-12-03T08:00:00Z', 'Europe/London', '2026-12-03'],
    // Sydney is UTC+11 in December: 21:00 UTC on the 2nd is 08:00 on the 3rd there.
    ['2026-12-02T20:59:00Z', 'Australia/Sydney', null],
    ['2026-12-02T21:00:00Z', 'Australia/Sydney', '2026-12-03'],
    // New York (UTC−5): 12:59 UTC is 07:59 local.
    ['2026-12-03T12:59:00Z', 'America/New_York', null],
    ['2026-12-03T13:00:00Z', 'America/New_York', '2026-12-03'],
    // Late in the local day it is still that date's digest (sent once by its key).
    ['2026-12-03T23:30:00Z', 'UTC', '2026-12-03'],
  ])('at %s in %s the digest of %s is due', (at, timeZone, expected) => {
    expect(digestDueOn(new Date(at), timeZone)).toBe(expected);
  });

  test('summer time moves the UTC hour of the local 08:00', () => {
    expect(localDateAndHour(new Date('2026-07-01T07:00:00Z'), 'Europe/London')).toEqual({
      date: '2026-07-01',
      hour: 8,
    });
  });

  test('knows IANA zone names and refuses anything else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  test('one digest key per person and local date', () => {
    expect(digestKey('aad-1', '2026-12-03')).toBe('digest:aad-1:2026-12-03');
  });
});
