import fc from 'fast-check';
import {
  addDays,
  addWorkingDays,
  dayNumber,
  daysBetween,
  fromDayNumber,
  isIsoDate,
  isoWeek,
  isWorkingDay,
  workingDaysBetween,
} from './dates';
import { median, round, safeDivide } from './numbers';

/** The Date-based definitions the arithmetic fast paths must agree with. */
const viaDate = {
  dayNumber: (date: string): number => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)!;
    return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
  },
  fromDayNumber: (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10),
};
const digits = (n: number) =>
  fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));

describe('day numbers', () => {
  it('dayNumber agrees with Date.UTC for any YYYY-MM-DD prefix, odd months and days included', () => {
    fc.assert(
      fc.property(
        digits(4),
        digits(2),
        digits(2),
        fc.constantFrom('', 'T10:00:00Z', 'x'),
        (y, m, d, tail) => {
          const date = `${y}-${m}-${d}${tail}`;
          expect(dayNumber(date)).toBe(viaDate.dayNumber(date));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('fromDayNumber agrees with Date for days inside and outside its cache, and inverts dayNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 2_900_000 }), (day) => {
        expect(fromDayNumber(day)).toBe(viaDate.fromDayNumber(day));
        expect(fromDayNumber(day)).toBe(viaDate.fromDayNumber(day));
        if (day >= -600_000) expect(dayNumber(fromDayNumber(day))).toBe(day);
      }),
      { numRuns: 5000 },
    );
    for (const day of [0, 99_999, 100_000, -1, 20_000]) {
      expect(fromDayNumber(day)).toBe(viaDate.fromDayNumber(day));
    }
  });

  it('rejects what is not a date', () => {
    expect(() => dayNumber('2024/01/01')).toThrow(RangeError);
    expect(() => dayNumber('')).toThrow(RangeError);
  });
});

describe('dates', () => {
  test.each([
    ['2025-01-06', '2025-01-10', 4], // Mon → Fri
    ['2025-01-10', '2025-01-13', 1], // Fri → Mon
    ['2025-01-11', '2025-01-12', 0], // Sat → Sun
    ['2025-01-06', '2025-01-20', 10],
    ['2025-01-20', '2025-01-06', -10],
    ['2025-01-06', '2025-01-06', 0],
  ])('working days from %s to %s is %i', (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  test.each([
    ['2025-01-06', 4, '2025-01-10'],
    ['2025-01-10', 1, '2025-01-13'],
    ['2025-01-11', 1, '2025-01-13'],
    ['2025-01-06', 10, '2025-01-20'],
    ['2025-01-20', -10, '2025-01-06'],
    ['2025-01-11', 0, '2025-01-13'],
    ['2025-01-08', 23, '2025-02-10'],
  ])('adding working days to %s by %i gives %s', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
    if (n !== 0 && isWorkingDay(date)) expect(workingDaysBetween(date, expected)).toBe(n);
  });

  test('calendar helpers', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2024-12-31', '2025-01-01')).toBe(1);
    expect(isIsoDate('2025-02-30')).toBe(false);
    expect(isIsoDate('2025-02-28')).toBe(true);
  });

  test.each([
    ['2025-01-01', '2025-W01'],
    ['2024-12-30', '2025-W01'],
    ['2021-01-03', '2020-W53'],
    ['2025-06-15', '2025-W24'],
  ])('ISO week of %s is %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });
});

describe('numbers', () => {
  test('guards division', () => {
    expect(safeDivide(1, 0)).toBeNull();
    expect(safeDivide(null, 2)).toBeNull();
    expect(safeDivide(3, 2)).toBe(1.5);
  });
  test('median and round', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(round(-1.005, 1)).toBe(-1);
    expect(round(2.345, 2)).toBe(2.35);
  });
});
