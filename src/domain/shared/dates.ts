/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`) in UTC, with Monday–Friday working days.
 * Pure: never reads the wall clock; every "today" is passed in.
 */

/** An ISO calendar date, `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Digit value of the character at `i`, or NaN when it is not 0–9. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date with month 1–12 (any day, counted on from the
 * first of the month), by integer arithmetic (the civil-days algorithm): no Date, no allocation.
 */
function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 for an ISO date (or the date part of an ISO timestamp). Throws on garbage. */
export function dayNumber(date: IsoDate): number {
  // The engine calls this millions of times per evaluation: the common shape is read digit by
  // digit; anything else (a year before 100, a month out of range) goes the Date.UTC way.
  if (date.length >= 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const year =
      digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3);
    const month = digitAt(date, 5) * 10 + digitAt(date, 6);
    const day = digitAt(date, 8) * 10 + digitAt(date, 9);
    if (year >= 100 && month >= 1 && month <= 12 && day >= 0) return civilDays(year, month, day);
  }
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
}

/** Day numbers whose ISO dates are cached: 1970-01-01 to 2243 (dates are immutable strings). */
const CACHED_DAYS = 100_000;
const isoOfDay: string[] = [];

/** The ISO date for a day number (inverse of {@link dayNumber}). */
export function fromDayNumber(day: number): IsoDate {
  if (Number.isInteger(day) && day >= 0 && day < CACHED_DAYS) {
    return (isoOfDay[day] ??= new Date(day * MS_PER_DAY).toISOString().slice(0, 10));
  }
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** True when the string is a valid ISO calendar date. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m || value.length !== 10) return false;
  return fromDayNumber(dayNumber(value)) === value;
}

/** `date` plus `days` calendar days (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** True for Monday–Friday. */
export function isWorkingDay(date: IsoDate): boolean {
  const d = weekday(date);
  return d >= 1 && d <= 5;
}

function workingDaysUpTo(day: number): number {
  // Working days in [epoch Monday, day] counted arithmetically; 1970-01-05 was a Monday (day 4).
  const offset = day - 4;
  const weeks = Math.floor(offset / 7);
  const rest = offset - weeks * 7; // 0 = Monday … 6 = Sunday
  return weeks * 5 + Math.min(rest + 1, 5);
}

/**
 * Working days from `from` to `to`: the count of working days in (from, to] when `to` is later,
 * its negative when `to` is earlier, 0 when equal.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  return workingDaysUpTo(dayNumber(to)) - workingDaysUpTo(dayNumber(from));
}

/**
 * Day numbers whose ISO dates read back to the same day number (years 100–9999): inside it, working
 * days are counted on day numbers alone.
 */
const ROUND_TRIP_FIRST = civilDays(100, 1, 1);
const ROUND_TRIP_LAST = civilDays(9999, 12, 31);

/** True for a day number falling Monday–Friday. */
export function isWorkingDayNumber(day: number): boolean {
  const d = (((day + 4) % 7) + 7) % 7;
  return d >= 1 && d <= 5;
}

/**
 * The day number `n` working days after day number `day` (before it when negative), by the rule of
 * {@link addWorkingDays}.
 */
export function addWorkingDayNumbers(day: number, n: number): number {
  return walkWorkingDays(day, n, isWorkingDayNumber);
}

function walkWorkingDays(start: number, n: number, isWd: (day: number) => boolean): number {
  let day = start;
  if (n === 0) {
    while (!isWd(day)) day += 1;
    return day;
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(Math.trunc(n));
  // Whole weeks first so long horizons stay cheap.
  const weeks = Math.floor((left - 1) / 5);
  if (weeks > 0 && isWd(day)) {
    day += step * weeks * 7;
    left -= weeks * 5;
  }
  while (left > 0) {
    day += step;
    if (isWd(day)) left -= 1;
  }
  return day;
}

/**
 * The date `n` working days after `date` (before it when negative). `n = 0` returns `date` itself
 * when it is a working day, otherwise the next working day.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  const start = dayNumber(date);
  const end = walkWorkingDays(start, n, isWorkingDayNumber);
  if (Math.min(start, end) >= ROUND_TRIP_FIRST && Math.max(start, end) <= ROUND_TRIP_LAST) {
    return fromDayNumber(end);
  }
  // Beyond the round trip, each day is judged by its ISO date read back, as it always was.
  return fromDayNumber(walkWorkingDays(start, n, (d) => isWorkingDay(fromDayNumber(d))));
}

/** The most recent working day on or before `date`. */
export function latestWorkingDayOnOrBefore(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

/** ISO-8601 week label, e.g. `2025-W03`. */
export function isoWeek(date: IsoDate): string {
  const day = dayNumber(date);
  const dow = weekday(date) === 0 ? 7 : weekday(date);
  const thursday = day + 4 - dow;
  const year = Number(fromDayNumber(thursday).slice(0, 4));
  const jan1 = dayNumber(`${year}-01-01`);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Hours between two ISO timestamps (positive when `to` is later). */
export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 3_600_000;
}

/** An ISO timestamp `hours` after `at`. */
export function addHours(at: string, hours: number): string {
  return new Date(Date.parse(at) + hours * 3_600_000).toISOString();
}

/** Earlier of two ISO dates. */
export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/** Later of two ISO dates. */
export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}
