/**
 * A timestamptz column read as text in exactly the form `Date#toISOString` gives
 * (`2026-01-05T10:00:00.000Z`, milliseconds truncated as pg's parser truncates them), so no Date is
 * built per value. Outside years 1–9999, where that form differs (`+010000-…`, BC, infinity), the
 * column comes as epoch milliseconds and {@link isoOf} turns it the old way.
 */
export function isoTimestamp(column: string): string {
  return `CASE WHEN ${column} >= '0001-01-01 00:00:00+00' AND ${column} < '10000-01-01 00:00:00+00'
    THEN to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    ELSE floor(extract(epoch FROM ${column}) * 1000)::text END`;
}

/** A column read through {@link isoTimestamp} (or as the driver's Date): its ISO text, or null. */
export function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && v.endsWith('Z')) return v;
  return new Date(v instanceof Date ? v.getTime() : Number(v)).toISOString();
}
