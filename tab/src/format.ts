/** Number and date formatting shared by the views (en-GB, like the bot's cards). */

/** A fraction as a percentage ("0.132" → "13 %"); an em dash when null. */
export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;
}

/** A number with fixed digits; an em dash when null. */
export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** A whole number with thousands separators; an em dash when null. */
export function whole(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-GB');
}

/** An ISO date or timestamp as "23 Nov 2026"; an em dash when null. */
export function day(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** An ISO timestamp as "23 Nov 2026, 14:05 UTC". */
export function instant(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${day(value)}, ${date.toISOString().slice(11, 16)} UTC`;
}

/** A score 0–100, or "unknown". */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? 'unknown' : String(Math.round(value));
}
