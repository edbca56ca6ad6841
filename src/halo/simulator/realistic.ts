/**
 * The realistic profile: the habits integrators report of hosted HaloPSA (shared reference
 * `halopsa-api.md`, "Habits of hosted HaloPSA"), each switchable, all on with `realistic: true`.
 * It changes how records are served, never what they say: a client that parses ids leniently and
 * pages on the rows it actually gets reads the same data as from the default profile.
 *
 * Always on, in every profile: lookups (`/Status`, `/Agent`, `/TicketType`, `/Priority`) are bare
 * arrays while lists carry `record_count`, and unknown query parameters are silently ignored.
 */
import type { HaloResource } from './dataset';
import { Rng } from './prng';
import type { HaloRecord } from './record-collection';

/** The habits of the realistic profile; anything left out takes its realistic default. */
export interface RealisticOptions {
  /** Rows per page at most, whatever `page_size` asks (`false`: honour `page_size`). Default 100. */
  pageCap?: number | false;
  /** Path of the auth server `/api/authinfo` announces; tokens are issued only there. Default `/identity`. */
  authPath?: string;
  /** Access-token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Chance that an API request is refused with 429 at random (seeded). Default 0.03. */
  rateLimitChance?: number;
  /** Share of the random 429s that carry `Retry-After` (1 or 2 seconds). Default 0.5. */
  retryAfterShare?: number;
  /**
   * Share of records (chosen by a hash of seed, resource and id, so always the same ones) whose ids
   * are spelled `"21"` or `21.0` and whose empty references are `-1`. Default 0.25.
   */
  looseIdShare?: number;
  /**
   * Apply a row filter only where HaloPSA documents it (e.g. `lastupdatefromdate` on Tickets,
   * Projects and Client, `ticket_id` on Actions); elsewhere it is an unknown parameter and silently
   * ignored, so the answer holds every row. Default true.
   */
  documentedFiltersOnly?: boolean;
  /** Seed of the random 429s and of which records are loose. Default 1. */
  seed?: number;
}

/** How a simulator serves its data: the default profile or the realistic one. */
export interface ServingHabits {
  pageCap: number | false;
  authPath: string;
  tokenLifetimeSeconds: number;
  rateLimitChance: number;
  retryAfterShare: number;
  looseIdShare: number;
  documentedFiltersOnly: boolean;
  seed: number;
}

/** The default profile: what the simulator has always done. */
export const DEFAULT_HABITS: Readonly<ServingHabits> = {
  pageCap: false,
  authPath: '/auth',
  tokenLifetimeSeconds: 3600,
  rateLimitChance: 0,
  retryAfterShare: 0,
  looseIdShare: 0,
  documentedFiltersOnly: false,
  seed: 1,
};

/** The realistic profile with every habit on. */
export const REALISTIC_HABITS: Readonly<ServingHabits> = {
  pageCap: 100,
  authPath: '/identity',
  tokenLifetimeSeconds: 3600,
  rateLimitChance: 0.03,
  retryAfterShare: 0.5,
  looseIdShare: 0.25,
  documentedFiltersOnly: true,
  seed: 1,
};

/** The habits a simulator serves with, from its `realistic` option. */
export function servingHabits(realistic: boolean | RealisticOptions | undefined): ServingHabits {
  if (realistic === undefined || realistic === false) return { ...DEFAULT_HABITS };
  const chosen = realistic === true ? {} : realistic;
  const defined = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== undefined));
  const habits: ServingHabits = { ...REALISTIC_HABITS, ...defined };
  const problems: string[] = [];
  if (habits.pageCap !== false && (!Number.isInteger(habits.pageCap) || habits.pageCap < 1))
    problems.push('pageCap must be a positive integer or false');
  if (
    !/^\/[A-Za-z0-9/_-]*[A-Za-z0-9_-]$/.test(habits.authPath) ||
    /^\/api(\/|$)/i.test(habits.authPath)
  )
    problems.push('authPath must be a path such as /identity, outside /api');
  if (!(habits.tokenLifetimeSeconds > 0)) problems.push('tokenLifetimeSeconds must be positive');
  for (const key of ['rateLimitChance', 'retryAfterShare', 'looseIdShare'] as const) {
    if (!(habits[key] >= 0 && habits[key] <= 1)) problems.push(`${key} must be within 0..1`);
  }
  if (!Number.isInteger(habits.seed)) problems.push('seed must be an integer');
  if (problems.length > 0)
    throw new RangeError(`Invalid realistic options: ${problems.join('; ')}`);
  return habits;
}

const TICKET_FILTERS = [
  'client_id',
  'agent_id',
  'status_id',
  'site_id',
  'priority_id',
  'parent_id',
  'requesttype_id',
  'tickettype_id',
  'ticketids',
  'open_only',
  'closed_only',
  'lastupdatefromdate',
  'lastupdatetodate',
] as const;

/**
 * The row filters HaloPSA documents (or its public clients use) per list resource; under
 * `documentedFiltersOnly` any other is an unknown parameter and ignored. Paging, `count`,
 * `includeinactive`, `includelines` and the date windows of timesheets are handled elsewhere.
 */
const DOCUMENTED_FILTERS: Readonly<Record<HaloResource, ReadonlySet<string>>> = {
  Tickets: new Set(TICKET_FILTERS),
  Projects: new Set(TICKET_FILTERS),
  Actions: new Set(['ticket_id']),
  TimesheetEvent: new Set(['agent_id', 'agents']),
  Client: new Set(['lastupdatefromdate', 'lastupdatetodate']),
  Site: new Set(['client_id']),
  Users: new Set(['client_id', 'site_id']),
  ClientContract: new Set(['client_id']),
  RecurringInvoice: new Set(['client_id']),
  Invoice: new Set(['client_id']),
  Agent: new Set(),
  Status: new Set(),
  TicketType: new Set(),
  Priority: new Set(),
};

/** Whether a list read of `resource` applies the row filter `param` under these habits. */
export function honoursFilter(
  habits: ServingHabits,
  resource: HaloResource,
  param: string,
): boolean {
  return !habits.documentedFiltersOnly || DOCUMENTED_FILTERS[resource].has(param);
}

/** A random 429 to serve instead of an answer, or undefined. */
export interface RandomRefusal {
  /** `Retry-After` in seconds, or undefined to send none. */
  retryAfterSeconds?: number;
}

/** Draws the seeded random 429s, one draw per API request. */
export class RandomRateLimit {
  private readonly rng: Rng;

  constructor(private readonly habits: ServingHabits) {
    this.rng = new Rng(habits.seed ^ 0x429);
  }

  draw(): RandomRefusal | undefined {
    if (this.habits.rateLimitChance <= 0 || !this.rng.chance(this.habits.rateLimitChance))
      return undefined;
    return this.rng.chance(this.habits.retryAfterShare)
      ? { retryAfterSeconds: this.rng.int(1, 2) }
      : {};
  }
}

/** Marks a number to be written as `21.0`; JSON.stringify escapes the NUL, the pattern finds it. */
const FLOAT_MARK = '\u0000float:';
const FLOAT_MARKED = /"\\u0000float:(-?\d+)"/g;

/** Top-level fields that hold an id or a reference to another record. */
function isIdField(key: string): boolean {
  return key === 'id' || key.endsWith('_id') || key === 'who_agentid' || key === 'new_status';
}

/** FNV-1a of a string, for a stable per-resource salt. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Spells records the way hosted HaloPSA sometimes does: `"21"`, `21.0`, and `-1` for "none". */
export class LooseIds {
  private readonly salts = new Map<string, number>();

  constructor(private readonly habits: ServingHabits) {}

  get active(): boolean {
    return this.habits.looseIdShare > 0;
  }

  /** The row as JSON text, spelled loosely when it is one of the loose records. */
  serialise(resource: HaloResource, row: HaloRecord): string {
    const loose = this.loosen(resource, row, (n) => `${FLOAT_MARK}${n}`);
    const text = JSON.stringify(loose);
    return loose === row ? text : text.replace(FLOAT_MARKED, '$1.0');
  }

  /** The row as a client's JSON.parse sees it (a float id reads back as a plain number). */
  parsed(resource: HaloResource, row: HaloRecord): HaloRecord {
    return this.loosen(resource, row, (n) => n);
  }

  private loosen(
    resource: HaloResource,
    row: HaloRecord,
    float: (n: number) => unknown,
  ): HaloRecord {
    const spelling = this.spelling(resource, row.id);
    if (spelling === undefined) return row;
    const out: HaloRecord = {};
    for (const [key, value] of Object.entries(row)) {
      if (!isIdField(key)) out[key] = value;
      else if (typeof value === 'number' && Number.isInteger(value) && value > 0)
        out[key] = spelling === 'string' ? String(value) : float(value);
      else if (key !== 'id' && (value === null || value === 0)) out[key] = -1;
      else out[key] = value;
    }
    return out;
  }

  private spelling(resource: HaloResource, id: unknown): 'string' | 'float' | undefined {
    const share = this.habits.looseIdShare;
    if (share <= 0 || typeof id !== 'number' || !Number.isInteger(id)) return undefined;
    let salt = this.salts.get(resource);
    if (salt === undefined) this.salts.set(resource, (salt = fnv(resource)));
    const u = new Rng((this.habits.seed ^ salt ^ Math.imul(id, 0x9e3779b1)) >>> 0).next();
    if (u >= share) return undefined;
    return u < share / 2 ? 'string' : 'float';
  }
}
