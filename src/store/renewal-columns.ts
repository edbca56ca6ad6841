/** Column decoding shared by the renewal repositories (drivers return jsonb as text or objects, dates in several shapes). */
export const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
export const isoOf = (v: unknown): string => new Date(v as string).toISOString();
/** A `date` column as YYYY-MM-DD: drivers return a string, a UTC midnight or a local midnight. */
export const dayOf = (v: unknown): string => {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (v instanceof Date && (v.getUTCHours() !== 0 || v.getUTCMinutes() !== 0)) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  }
  return isoOf(v).slice(0, 10);
};
export const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v);
