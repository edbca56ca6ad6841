/**
 * Field parsers of HaloPSA records, lenient where HaloPSA is: numbers may arrive as numeric
 * strings, dates may lack a zone (read as UTC), `1900-01-01` stands for "no date", and HaloPSA
 * writes 0 or -1 for "no reference". Each adds an issue naming what is wrong instead of throwing.
 */
import { z } from 'zod';

const NUMERIC = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** A value as short text for an issue message. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A number, a numeric string, or `undefined` when the value is not numeric at all. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

function isAbsent(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/** Required positive integer (ids). */
export const id = z.unknown().transform((value, ctx): number => {
  const n = toNumber(value);
  if (n === undefined || !Number.isInteger(n) || n <= 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: isAbsent(value) ? 'is required' : `must be a positive integer, got ${show(value)}`,
    });
    return z.NEVER;
  }
  return n;
});

/** Optional reference to another record; HaloPSA writes 0 or -1 for "none", read as `null`. */
export const ref = z.unknown().transform((value, ctx): number | null => {
  if (isAbsent(value)) return null;
  const n = toNumber(value);
  if (n === undefined || !Number.isInteger(n)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be an integer id, got ${show(value)}`,
    });
    return z.NEVER;
  }
  return n > 0 ? n : null;
});

/** Optional number; numeric strings are coerced, empty strings read as `null`. */
export const num = z.unknown().transform((value, ctx): number | null => {
  if (isAbsent(value)) return null;
  const n = toNumber(value);
  if (n === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be numeric, got ${show(value)}` });
    return z.NEVER;
  }
  return n;
});

/** Optional boolean; HaloPSA and its exports also use 0/1 and "true"/"false". */
export const bool = z.unknown().transform((value, ctx): boolean | null => {
  if (isAbsent(value)) return null;
  if (value === true || value === 1 || value === 'true' || value === '1') return true;
  if (value === false || value === 0 || value === 'false' || value === '0') return false;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a boolean, got ${show(value)}` });
  return z.NEVER;
});

/** Optional text; numbers are kept as their decimal text (reference numbers arrive both ways). */
export const text = z.unknown().transform((value, ctx): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be text, got ${show(value)}` });
  return z.NEVER;
});

/**
 * Optional code whose type HaloPSA versions disagree on (an enum number or its name, e.g.
 * `billingperiod`, `paymentstatus`): kept as sent, number or text.
 */
export const code = z.unknown().transform((value, ctx): string | number | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `must be a number or text, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Required non-empty text. */
export const requiredText = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string' && value.trim() !== '') return value;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: isAbsent(value) ? 'is required' : `must be non-empty text, got ${show(value)}`,
  });
  return z.NEVER;
});

/**
 * Normalises a HaloPSA date to ISO-8601 UTC with `Z`. Zone-less values are UTC; a date-only value
 * is midnight UTC; more than 3 fractional digits (.NET ticks) are truncated. Returns `null` for
 * HaloPSA's "no date" sentinel (any year before 1901) and `undefined` when unparseable.
 */
export function normaliseHaloDate(value: string): string | null | undefined {
  const m = ISO_DATE.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac === '' ? '' : `.${frac.slice(1, 4).padEnd(3, '0')}`;
  const offset =
    zone === 'Z' || zone === 'z'
      ? 'Z'
      : zone.includes(':')
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(at.getTime())) return undefined;
  // Reject roll-overs such as 2025-02-30 that Date would silently accept.
  if (offset === 'Z' && at.getUTCDate() !== Number(d)) return undefined;
  if (at.getUTCFullYear() < 1901) return null;
  return at.toISOString();
}

/** Optional date, normalised by {@link normaliseHaloDate}. */
export const date = z.unknown().transform((value, ctx): string | null => {
  if (isAbsent(value)) return null;
  if (typeof value === 'string') {
    const iso = normaliseHaloDate(value);
    if (iso !== undefined) return iso;
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `must be an ISO-8601 date, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Required date. */
export const requiredDate = z.unknown().transform((value, ctx): string => {
  const iso = typeof value === 'string' ? normaliseHaloDate(value) : undefined;
  if (typeof iso === 'string') return iso;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: isAbsent(value) ? 'is required' : `must be an ISO-8601 date, got ${show(value)}`,
  });
  return z.NEVER;
});

/** Custom field values are kept as HaloPSA sends them. */
export const customfields = z.array(z.unknown()).nullish();
