/** Day arithmetic on UTC day numbers (days since 1970-01-01); the generator works in whole days. */
export const DAY_MS = 86_400_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;

/** The UTC day number of an ISO date or date-time string. */
export function dayOf(iso: string): number {
  const ms = Date.parse(iso.length <= 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(ms)) throw new Error(`Invalid date: ${iso}`);
  return Math.floor(ms / DAY_MS);
}

/** Milliseconds at the start (00:00 UTC) of a day number. */
export function dayMs(day: number): number {
  return day * DAY_MS;
}

/** True on Saturday and Sunday. */
export function isWeekend(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7;
  return dow === 0 || dow === 6;
}

/** The working day n working days after `day` (n may be 0: the day itself or the next working day). */
export function addWorkingDays(day: number, n: number): number {
  let d = day;
  while (isWeekend(d)) d++;
  let left = n;
  while (left > 0) {
    d++;
    if (!isWeekend(d)) left--;
  }
  return d;
}

/** Number of working days in (from, to]; negative when to < from. */
export function workingDaysBetween(from: number, to: number): number {
  if (to < from) return -workingDaysBetween(to, from);
  let n = 0;
  for (let d = from + 1; d <= to; d++) if (!isWeekend(d)) n++;
  return n;
}

/** ISO-8601 with a Z zone, e.g. 2025-01-02T09:30:00.000Z. */
export function isoZ(ms: number): string {
  return new Date(ms).toISOString();
}

/** Zone-less ISO-8601 as HaloPSA often serves it, e.g. 2025-01-02T09:30:00 (meaning UTC). */
export function isoLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** YYYY-MM-DD of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of the first day of the month containing `day`, shifted by `months`. */
export function monthStart(day: number, months = 0): number {
  const d = new Date(day * DAY_MS);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1) / DAY_MS);
}
