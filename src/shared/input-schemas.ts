/**
 * The input rules shared by the tab API, the HaloPSA webhook and the bot's card data: text without
 * NUL or bidirectional overrides and of bounded length, record ids that fit a PostgreSQL `bigint`
 * (positive safe integers), links that are https only, and months within a sane range. Hostile input
 * fails these checks at the edge (a 400 or a refusal card), never deeper down as a 500.
 */
import { z } from 'zod';

/** NUL, and the bidirectional embedding / override / isolate controls that disguise text. */
const FORBIDDEN_CHARACTERS = /[\u0000\u202A-\u202E\u2066-\u2069]/;

/** True when `text` holds no NUL and no bidirectional override. */
export function isCleanText(text: string): boolean {
  return !FORBIDDEN_CHARACTERS.test(text);
}

/** Text of at most `max` characters with no NUL and no bidirectional override. */
export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine(isCleanText, 'must not contain NUL or bidirectional control characters');
}

/** The largest id a record may have: ids are stored as `bigint` and handled as JS numbers. */
export const MAX_RECORD_ID = Number.MAX_SAFE_INTEGER;

/** A positive safe integer id (a JSON number). */
export const recordId = z.number().int().positive().max(MAX_RECORD_ID);

/** A positive safe integer id given as digits (path and query parameters, form fields). */
export const recordIdText = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(recordId);

/** An id given as a number or as digits (JSON bodies of older clients send either). */
export const recordIdLoose = z.union([recordId, recordIdText]);

/** Reads an id from untrusted data (card data, payloads): the id, or null when it is not one. */
export function toRecordId(value: unknown): number | null {
  const parsed = recordIdLoose.safeParse(typeof value === 'string' ? value.trim() : value);
  return parsed.success ? parsed.data : null;
}

/**
 * Reads a text id (a gate id) from untrusted card data: the id, or null when it is not clean text
 * of at most `max` characters. The tab API holds path ids to the same rule; an id past it cannot
 * name a record, and written to the audit log as a refusal's subject it would fail the insert.
 */
export function toTextId(value: unknown, max = 100): string | null {
  // safeText's rule, checked directly: this runs on every card click.
  if (typeof value !== 'string' || value === '' || value.length > max) return null;
  return isCleanText(value) ? value : null;
}

/** An https link of at most 2000 characters: no javascript:, data:, file:, ms-* or plain http. */
export const httpsUrl = z
  .string()
  .max(2000)
  .url()
  .refine(isCleanText, 'must not contain NUL or bidirectional control characters')
  .refine((url) => {
    try {
      return new URL(url).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https link');

/** The first and last year a month parameter may name. */
export const MONTH_RANGE = { from: 2000, to: 2100 } as const;

/** `YYYY-MM` between 2000-01 and 2100-12. */
export const yearMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
  .refine((month) => {
    const year = Number(month.slice(0, 4));
    return year >= MONTH_RANGE.from && year <= MONTH_RANGE.to;
  }, `must be a month from ${MONTH_RANGE.from} to ${MONTH_RANGE.to}`);

/** `YYYY-MM-DD`, a real calendar day between 2000 and 2100. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((day) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    if (y < MONTH_RANGE.from || y > MONTH_RANGE.to || m < 1 || m > 12 || d < 1) return false;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
    return d <= last;
  }, 'must be a real day between 2000 and 2100');
