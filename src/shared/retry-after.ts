/**
 * The one `Retry-After` parser (RFC 9110 §10.2.3): `Retry-After = HTTP-date / delay-seconds`, where
 * delay-seconds is a non-negative decimal integer. Used for HaloPSA, the Bot Connector and Graph.
 */

/**
 * Milliseconds the header asks to wait, counted from `nowMs`; `null` when the header is absent or is
 * neither form ("1e3", "1.5", "-1", "soon" are refused). A date in the past gives 0.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
  // An HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) always names a weekday
  // and a month; anything else Date.parse would read ("2026", "1e3 GMT") is not one.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i.test(text)) return null;
  if (!/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/i.test(text)) return null;
  // asctime ends with the year and carries no zone: it means GMT, Date.parse would read local time.
  const at = Date.parse(/\d{4}$/.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
