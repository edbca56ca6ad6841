/** When a person's daily digest is due: 08:00 on their own clock. */

/** The local hour the digest goes out. */
export const DIGEST_HOUR = 8;

/** True for an IANA time zone name the runtime knows ("Europe/London", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date (YYYY-MM-DD) and hour at `at` in `timeZone`. */
export function localDateAndHour(at: Date, timeZone: string): { date: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/**
 * The local date whose digest is due at `at` (from 08:00 local time on), or null before 08:00.
 * Each date's digest is sent once (its key carries the date), so a check every few minutes sends
 * it in the first run at or after 08:00.
 */
export function digestDueOn(at: Date, timeZone: string): string | null {
  const local = localDateAndHour(at, timeZone);
  return local.hour >= DIGEST_HOUR ? local.date : null;
}

/** The digest's outbox key for one person and local date. */
export function digestKey(aadObjectId: string, localDate: string): string {
  return `digest:${aadObjectId}:${localDate}`;
}
