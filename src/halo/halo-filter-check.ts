/**
 * HaloPSA ignores query parameters it does not know, so a misspelt or unsupported filter returns
 * everything. This checks each filtered answer against the filter that was asked for:
 * - an equality filter (`ticket_id`, `client_id`, …, `ticketids`) answered with a row of another
 *   value means the answer is not what was asked: {@link HaloFilterIgnoredError}, never data;
 * - a last-update window (`lastupdatefromdate`/`lastupdatetodate`) answered with rows outside it
 *   means the endpoint does not honour the window (HaloPSA documents it for Tickets, Projects and
 *   Client only): those rows are dropped and counted, the rows inside the window are kept.
 * Rows that lack the field, or carry it unreadably, cannot be checked and are kept (record
 * validation reports them). A parameter the client does not know is refused before it is sent.
 */
import { HaloFilterIgnoredError, HaloUnknownFilterError } from './halo-errors';
import { normaliseHaloDate } from './halo-fields';
import type { HaloQueryParams } from './halo-resources';

/** Query parameters that select rows by one field, and the field of the row they test. */
const EQUALITY_FILTERS: Readonly<Record<string, string>> = {
  ticket_id: 'ticket_id',
  client_id: 'client_id',
  agent_id: 'agent_id',
  parent_id: 'parent_id',
  status_id: 'status_id',
  site_id: 'site_id',
  contract_id: 'contract_id',
  milestone_id: 'milestone_id',
  priority_id: 'priority_id',
  tickettype_id: 'tickettype_id',
  requesttype_id: 'tickettype_id',
};

/**
 * Every list parameter the client may send. HaloPSA would silently ignore a misspelt one and answer
 * everything, and no check of the rows could tell what it meant: so an unlisted name is refused
 * before sending ({@link assertKnownParams}). Add a parameter here when the app starts to use it.
 */
const KNOWN_LIST_PARAMS: ReadonlySet<string> = new Set([
  ...Object.keys(EQUALITY_FILTERS),
  'ticketids',
  'agents',
  'open_only',
  'closed_only',
  'datesearch',
  'startdate',
  'enddate',
  'start_date',
  'end_date',
  'lastupdatefromdate',
  'lastupdatetodate',
  'includeinactive',
  'includelines',
  'includedetails',
  'includecolumns',
  'includetimetaken',
  'includeslatimer',
  'include_custom_fields',
  'ticketidonly',
  'order',
  'orderdesc',
  'search',
  'count',
  'pageinate',
  'page_size',
  'page_no',
]);

/** Throws {@link HaloUnknownFilterError} naming every list parameter not in the known set. */
export function assertKnownParams(path: string, params: HaloQueryParams): void {
  const unknown = Object.keys(params).filter(
    (name) => params[name] !== undefined && !KNOWN_LIST_PARAMS.has(name),
  );
  if (unknown.length === 0) return;
  throw new HaloUnknownFilterError(
    `Unknown list parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} for /api/${path}: ` +
      'HaloPSA would ignore it and answer every row (check the spelling, or add it to the known list)',
    { method: 'GET', path: `/api/${path}`, filter: unknown.join(',') },
  );
}

/** What a check kept of a page. */
export interface FilterCheck {
  /** The rows that satisfy the filters (or cannot be checked). */
  records: unknown[];
  /** Rows dropped because they fall outside the last-update window asked for. */
  outsideWindow: number;
}

/** A whole-number id from a number or numeric text (`21`, `"21"`, `21.0`), else undefined. */
function idValue(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*-?\d+(\.0+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function epochMs(value: unknown, endOfDay: boolean): number | undefined {
  if (typeof value !== 'string') return undefined;
  const iso = normaliseHaloDate(value);
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  // A date-only upper bound means the whole of that day.
  return endOfDay && /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(value) ? ms + 86_400_000 - 1 : ms;
}

function field(row: unknown, name: string): unknown {
  return typeof row === 'object' && row !== null
    ? (row as Record<string, unknown>)[name]
    : undefined;
}

/**
 * Checks one page of `GET /api/{path}` against the filters in `params`. Throws
 * {@link HaloFilterIgnoredError} when an equality filter was not applied.
 */
export function checkFilters(path: string, params: HaloQueryParams, rows: unknown[]): FilterCheck {
  for (const [param, rowField] of Object.entries(EQUALITY_FILTERS)) {
    const raw = params[param];
    if (raw === undefined || raw === '') continue;
    const wanted = idValue(raw);
    if (wanted === undefined) continue;
    // Actions name their agent in who_agentid.
    const name = param === 'agent_id' && /^actions$/i.test(path) ? 'who_agentid' : rowField;
    const stray = rows.filter((row) => {
      const got = idValue(field(row, name));
      return got !== undefined && got !== wanted && !(got <= 0 && wanted <= 0);
    });
    if (stray.length > 0) throw ignored(path, param, String(raw), stray.length, rows.length);
  }
  if (params.ticketids !== undefined && params.ticketids !== '') {
    const wanted = new Set(String(params.ticketids).split(',').map(idValue));
    const stray = rows.filter((row) => {
      const got = idValue(field(row, 'id'));
      return got !== undefined && !wanted.has(got);
    });
    if (stray.length > 0)
      throw ignored(path, 'ticketids', String(params.ticketids), stray.length, rows.length);
  }

  const from = epochMs(params.lastupdatefromdate, false);
  const to = epochMs(params.lastupdatetodate, true);
  if (from === undefined && to === undefined) return { records: rows, outsideWindow: 0 };
  const records = rows.filter((row) => {
    const at = epochMs(field(row, 'last_update') ?? field(row, 'lastupdate'), false);
    if (at === undefined) return true;
    return (from === undefined || at >= from) && (to === undefined || at <= to);
  });
  return { records, outsideWindow: rows.length - records.length };
}

function ignored(
  path: string,
  param: string,
  value: string,
  stray: number,
  total: number,
): HaloFilterIgnoredError {
  return new HaloFilterIgnoredError(
    `HaloPSA ignored the ${param}=${value} filter on /api/${path}: ${stray} of ${total} rows ` +
      `do not match it (a misspelt or unsupported parameter returns everything)`,
    { method: 'GET', path: `/api/${path}`, filter: param },
  );
}
