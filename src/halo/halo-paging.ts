/**
 * Reading HaloPSA list answers: the records array of an envelope or a bare array, the rows of one
 * ticket kind from the shared `/api/Tickets` listing, and a page served twice.
 */
import { HaloBadResponseError } from './halo-errors';
import { classifyTicket, type HaloResourceSpec } from './halo-resources';
import type { HaloLogger } from './halo-transport';

/** A number, or a numeric string (HaloPSA sends both), else undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function idOf(record: unknown): unknown {
  return typeof record === 'object' && record !== null
    ? (record as Record<string, unknown>).id
    : undefined;
}

/** The records of one list answer and, when the envelope says, the listing's total. */
export function extractPage(
  spec: HaloResourceSpec,
  body: unknown,
  pageNo: number,
  logger: HaloLogger,
): { records: unknown[]; recordCount?: number } {
  if (Array.isArray(body)) return { records: body };
  if (typeof body === 'object' && body !== null) {
    const envelope = body as Record<string, unknown>;
    const recordCount = asNumber(envelope.record_count);
    const named = spec.envelope === null ? undefined : envelope[spec.envelope];
    if (Array.isArray(named)) return { records: named, recordCount };
    // The envelope key of some resources is only reported, not confirmed: take the one array.
    const arrays = Object.entries(envelope).filter(([, v]) => Array.isArray(v));
    const only = arrays.length === 1 ? arrays[0] : undefined;
    if (only !== undefined) {
      logger.warn(
        { path: spec.path, expected: spec.envelope, found: only[0] },
        'HaloPSA list envelope key differs from the catalogue',
      );
      return { records: only[1] as unknown[], recordCount };
    }
    if (recordCount === 0) return { records: [], recordCount };
  }
  throw new HaloBadResponseError(
    `HaloPSA list ${spec.path} page ${pageNo} has no records array` +
      (spec.envelope === null ? '' : ` (expected "${spec.envelope}")`),
    { method: 'GET', path: `/api/${spec.path}` },
  );
}

/** For a resource that shares the `/api/Tickets` listing, only the rows of its kind. */
export function selectKind(spec: HaloResourceSpec, records: unknown[]): unknown[] {
  if (spec.sharesListingWith === undefined || spec.ticketKind === undefined) return records;
  return records.filter((r) => classifyTicket(r) === spec.ticketKind);
}

/** True when `current` is the same page as `previous` (same size, same first and last id). */
export function repeatsPage(previous: unknown[], current: unknown[]): boolean {
  if (previous.length === 0 || current.length !== previous.length) return false;
  const first = idOf(current[0]);
  const last = idOf(current[current.length - 1]);
  return (
    first !== undefined &&
    first === idOf(previous[0]) &&
    last === idOf(previous[previous.length - 1])
  );
}
