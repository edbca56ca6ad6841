/**
 * HaloPSA REST client: OAuth2 client credentials (token cached, refreshed early, refreshed once on
 * a 401), paging over list envelopes and bare arrays, a client-side rolling request budget, a
 * timeout on every request and retries with backoff on 429, 5xx, timeouts and network failures.
 * It returns raw JSON; `halo-records.ts` validates it. Secrets and tokens are never logged.
 */
import { realSleep } from '../shared/clock';
import { parseRetryAfter } from '../shared/retry-after';
import { backoffDelayMs } from './backoff';
import {
  HaloAuthFailedError,
  HaloBadResponseError,
  HaloForbiddenError,
  HaloNotFoundError,
  HaloRateLimitedError,
  HaloRequestRejectedError,
  HaloTimeoutError,
  HaloUnavailableError,
  HaloUnknownResourceError,
} from './halo-errors';
import {
  classifyTicket,
  haloResource,
  type HaloQueryParams,
  type HaloResourceName,
  type HaloResourceSpec,
} from './halo-resources';
import { RequestBudget } from './request-budget';

/** The logging surface the client needs; a pino logger fits. */
export interface HaloLogger {
  /** Routine events. */
  info(obj: Record<string, unknown>, msg?: string): void;
  /** Retries, fallbacks and odd responses. */
  warn(obj: Record<string, unknown>, msg?: string): void;
  /** Failures given up on. */
  error(obj: Record<string, unknown>, msg?: string): void;
  /** Every request. */
  debug(obj: Record<string, unknown>, msg?: string): void;
}

/** One HTTP exchange with HaloPSA, reported to `onRequest` (e.g. for metrics). */
export interface HaloRequestEvent {
  /** HTTP method. */
  method: string;
  /** URL path without the query string. */
  path: string;
  /** HTTP status, or 0 when no response arrived (timeout or network failure). */
  status: number;
  /** Time from sending to the full body (or the failure), by the injected clock. */
  durationMs: number;
}

/** Options of a {@link HaloClient}. */
export interface HaloClientOptions {
  /** Instance root, e.g. `https://msp.halopsa.com` (no `/api`). */
  baseUrl: string;
  /** API application client id. */
  clientId: string;
  /** API application client secret (never logged). */
  clientSecret: string;
  /** Tenant for Halo-hosted instances, sent as `?tenant=` on the token request. */
  tenant?: string;
  /** OAuth scopes, sent space-separated. */
  scopes: string[];
  /** Records per page asked for (default 100, HaloPSA's documented maximum). */
  pageSize?: number;
  /** Request budget settings (default 300 per 5 minutes), or a budget shared with other clients. */
  budget?: { requests?: number; windowMs?: number } | RequestBudget;
  /** Per-request timeout in milliseconds, body included (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network failures (default 4). */
  maxRetries?: number;
  /** Backoff tuning (see `backoff.ts`). */
  backoff?: { baseMs?: number; maxMs?: number; retryAfterCapMs?: number };
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Waits the given milliseconds (default a real timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** Logger (default silent). */
  logger?: HaloLogger;
  /** Called after every HTTP exchange, including auth requests and failed attempts. */
  onRequest?: (event: HaloRequestEvent) => void;
}

/** One page of a listing. */
export interface HaloPage {
  /** Raw records of this page (for `tasks`/`tickets`, only the rows of that kind). */
  records: unknown[];
  /** 1-based page number. */
  pageNo: number;
  /** Total records of the listing, when the envelope says (`record_count`). */
  recordCount?: number;
}

/** Options of {@link HaloClient.listPages}. */
export interface HaloListOptions {
  /** First page to read (1-based, default 1): resumes a listing a crashed sync left part-way. */
  startPage?: number;
}

/** Counters of a {@link HaloClient}. */
export interface HaloClientStats {
  /** HTTP requests sent, auth included, every attempt counted. */
  requests: number;
  /** Requests by HTTP status (`"200"`, `"429"`), or `"timeout"` / `"network"`. */
  byStatus: Record<string, number>;
  /** Requests the budget allows right now. */
  budgetRemaining: number;
}

/** Options of {@link HaloClient.post}. */
export interface HaloPostOptions {
  /** Query parameters. */
  params?: HaloQueryParams;
  /**
   * Also retry after a timeout, a network failure once sent, or a 5xx other than 503. Off by
   * default: HaloPSA may have applied a write whose response was lost, and a retry would apply it
   * twice. 429, 503 and refused connections are always retried (nothing was applied).
   */
  retryUnsafe?: boolean;
}

type Method = 'GET' | 'POST';

interface HttpRequest {
  method: Method;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Whether a retry could apply the request twice (POST writes). */
  unsafe: boolean;
}

interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 4;
const DEFAULT_EXPIRES_IN_S = 3600;
const REFRESH_MARGIN_MS = 60_000;
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

const silentLogger: HaloLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function idOf(record: unknown): unknown {
  return typeof record === 'object' && record !== null
    ? (record as Record<string, unknown>).id
    : undefined;
}

/**
 * The HaloPSA client. One instance per HaloPSA instance; it holds the token cache, the request
 * budget and the counters, and is safe to share between concurrent callers.
 */
export class HaloClient {
  private readonly baseUrl: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly tenant?: string;
  private readonly scopes: string[];
  private readonly pageSize: number;
  private readonly budget: RequestBudget;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: { baseMs?: number; maxMs?: number; retryAfterCapMs?: number };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly logger: HaloLogger;
  private readonly onRequest?: (event: HaloRequestEvent) => void;

  private authUrl?: Promise<string>;
  private token?: CachedToken;
  private tokenInFlight?: Promise<string>;
  private requestCount = 0;
  private readonly statusCounts: Record<string, number> = {};
  /** Largest page HaloPSA has returned: a shorter page can only be the last one. */
  private largestPageSeen = 0;

  constructor(options: HaloClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.tenant = options.tenant === '' ? undefined : options.tenant;
    this.scopes = [...options.scopes];
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.backoff = options.backoff ?? {};
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    this.onRequest = options.onRequest;
    this.budget =
      options.budget instanceof RequestBudget
        ? options.budget
        : new RequestBudget({ ...options.budget, now: this.now, sleep: this.sleep });
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
    }
  }

  /** Request counters and the budget left right now. */
  stats(): HaloClientStats {
    return {
      requests: this.requestCount,
      byStatus: { ...this.statusCounts },
      budgetRemaining: this.budget.remaining(),
    };
  }

  /**
   * Pages through a catalogued resource (`pageinate=true&page_size&page_no`, 1-based), yielding
   * each page. Stops when `record_count` records have been read, on an empty page, or on a page
   * shorter than the largest seen (HaloPSA may cap the page size below what was asked). Resources
   * that do not page are read in one request. `params` (e.g. `lastupdatefromdate`) pass through.
   * `options.startPage` resumes an interrupted listing at that page.
   *
   * `tickets` yields every row of `/api/Tickets` (service tickets, tasks, and projects if the
   * server includes them): partition with `classifyTicket`. `tasks`, which shares that listing,
   * yields only task rows.
   */
  async *listPages(
    resource: HaloResourceName | HaloResourceSpec,
    params: HaloQueryParams = {},
    options: HaloListOptions = {},
  ): AsyncGenerator<HaloPage> {
    const spec = this.spec(resource);
    const startPage = options.startPage ?? 1;
    if (!Number.isInteger(startPage) || startPage < 1) {
      throw new RangeError(`startPage must be a positive integer, got ${startPage}`);
    }
    const query = { ...spec.listParams, ...params };
    if (!spec.pages) {
      if (startPage > 1) return;
      const body = await this.request('GET', spec.path, query);
      const { records, recordCount } = this.extract(spec, body, 1);
      yield { records: this.select(spec, records), pageNo: 1, recordCount };
      return;
    }
    let read: number | undefined = startPage === 1 ? 0 : undefined;
    let largestThisListing = 0;
    let previous: unknown[] = [];
    for (let pageNo = startPage; ; pageNo++) {
      const body = await this.request('GET', spec.path, {
        ...query,
        pageinate: true,
        page_size: this.pageSize,
        page_no: pageNo,
      });
      const { records, recordCount } = this.extract(spec, body, pageNo);
      if (pageNo > startPage && this.repeats(previous, records)) {
        // The endpoint ignored page_no and served page 1 again: everything has been read.
        this.logger.warn(
          { path: spec.path, pageNo },
          'HaloPSA ignored paging (repeated page); stopping',
        );
        return;
      }
      if (records.length === 0 && pageNo > 1) return;
      // Resuming: the skipped pages held at least this many records each (an underestimate
      // costs at most one extra request; an overestimate would stop early and lose records).
      read ??=
        (startPage - 1) * Math.max(records.length, Math.min(this.pageSize, this.largestPageSeen));
      read += records.length;
      yield { records: this.select(spec, records), pageNo, recordCount };
      const shorterThanSeen =
        records.length < largestThisListing ||
        records.length < Math.min(this.pageSize, this.largestPageSeen);
      largestThisListing = Math.max(largestThisListing, records.length);
      this.largestPageSeen = Math.max(
        this.largestPageSeen,
        Math.min(records.length, this.pageSize),
      );
      if (records.length === 0) return;
      if (recordCount !== undefined && read >= recordCount) return;
      if (shorterThanSeen) return;
      previous = records;
    }
  }

  /**
   * Reads every record of a resource (all pages). Convenience over {@link listPages} for small
   * resources and tests; a sync should stream pages instead.
   */
  async listAll(
    resource: HaloResourceName | HaloResourceSpec,
    params: HaloQueryParams = {},
  ): Promise<unknown[]> {
    const all: unknown[] = [];
    for await (const page of this.listPages(resource, params)) all.push(...page.records);
    return all;
  }

  /**
   * `GET /api/{path}/{id}`: one record, or `null` when HaloPSA answers 404 (deleted or never
   * existed — an expected outcome when a webhook hint arrives late).
   */
  async get(path: string, id: number | string, params: HaloQueryParams = {}): Promise<unknown> {
    try {
      return await this.request(
        'GET',
        `${path.replace(/\/+$/, '')}/${encodeURIComponent(id)}`,
        params,
      );
    } catch (error) {
      if (error instanceof HaloNotFoundError) return null;
      throw error;
    }
  }

  /** The full record of a catalogued resource (its detail read, e.g. a project with milestones). */
  async getRecord(resource: HaloResourceName, id: number): Promise<unknown> {
    const spec = this.spec(resource);
    return spec.detail === null
      ? this.get(spec.path, id)
      : this.get(spec.detail.path, id, spec.detail.params);
  }

  /**
   * `POST /api/{path}` with a JSON array body (HaloPSA creates and updates this way; an update
   * carries `id`). Returns HaloPSA's answer as parsed JSON (`null` for an empty body).
   */
  async post(path: string, records: object[], options: HaloPostOptions = {}): Promise<unknown> {
    if (!Array.isArray(records)) throw new TypeError('HaloPSA writes take an array of records');
    return this.request('POST', path, options.params ?? {}, JSON.stringify(records), {
      unsafe: options.retryUnsafe !== true,
    });
  }

  // ---- requests under /api ----

  private async request(
    method: Method,
    path: string,
    params: HaloQueryParams,
    body?: string,
    flags: { unsafe: boolean } = { unsafe: false },
  ): Promise<unknown> {
    const url = this.apiUrl(path, params);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const attempt = async (token: string): Promise<HttpResponse> =>
      this.send({
        method,
        url,
        headers: { ...headers, Authorization: `Bearer ${token}` },
        body,
        unsafe: flags.unsafe,
      });

    const token = await this.accessToken();
    let response = await attempt(token);
    if (response.status === 401) {
      this.logger.info(
        { method, path: url.pathname },
        'HaloPSA refused the token; refreshing once',
      );
      this.invalidateToken(token);
      response = await attempt(await this.accessToken());
      if (response.status === 401) {
        throw new HaloAuthFailedError('HaloPSA refused a freshly issued token (401)', {
          method,
          path: url.pathname,
          status: 401,
        });
      }
    }
    return this.interpret(method, url, response);
  }

  private interpret(method: Method, url: URL, response: HttpResponse): unknown {
    const context = { method, path: url.pathname, status: response.status };
    const { status } = response;
    if (status >= 200 && status < 300) {
      if (response.text.trim() === '') return null;
      try {
        return JSON.parse(response.text) as unknown;
      } catch (error) {
        throw new HaloBadResponseError(
          `HaloPSA answered ${status} with a body that is not JSON: ${snippet(response.text)}`,
          { ...context, cause: error },
        );
      }
    }
    if (status === 403) {
      throw new HaloForbiddenError(
        `HaloPSA refused ${method} ${url.pathname} (403): check the API application's permissions`,
        context,
      );
    }
    if (status === 404) {
      throw new HaloNotFoundError(`HaloPSA has no ${url.pathname} (404)`, context);
    }
    if (status === 429) {
      throw new HaloRateLimitedError(`HaloPSA rate limit (${method} ${url.pathname})`, context);
    }
    if (status >= 500) {
      // Only a write that was not retried reaches here: it may or may not have been applied.
      throw new HaloUnavailableError(
        `HaloPSA answered ${status} to ${method} ${url.pathname}; not retried, it may have been applied`,
        context,
      );
    }
    throw new HaloRequestRejectedError(
      `HaloPSA rejected ${method} ${url.pathname} (${status}): ${snippet(response.text)}`,
      context,
    );
  }

  private apiUrl(path: string, params: HaloQueryParams): URL {
    const clean = path.replace(/^\/+/, '');
    const relative = /^api(\/|$)/i.test(clean) ? clean : `api/${clean}`;
    const url = new URL(`${this.baseUrl}/${relative}`);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  // ---- paging helpers ----

  private spec(resource: HaloResourceName | HaloResourceSpec): HaloResourceSpec {
    if (typeof resource !== 'string') return resource;
    const spec = haloResource(resource);
    if (spec === undefined) {
      throw new HaloUnknownResourceError(`"${String(resource)}" is not a catalogued resource`);
    }
    return spec;
  }

  private extract(
    spec: HaloResourceSpec,
    body: unknown,
    pageNo: number,
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
        this.logger.warn(
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

  private select(spec: HaloResourceSpec, records: unknown[]): unknown[] {
    if (spec.sharesListingWith === undefined || spec.ticketKind === undefined) return records;
    return records.filter((r) => classifyTicket(r) === spec.ticketKind);
  }

  private repeats(previous: unknown[], current: unknown[]): boolean {
    if (previous.length === 0 || current.length !== previous.length) return false;
    const first = idOf(current[0]);
    const last = idOf(current[current.length - 1]);
    return (
      first !== undefined &&
      first === idOf(previous[0]) &&
      last === idOf(previous[previous.length - 1])
    );
  }

  // ---- authentication ----

  private async accessToken(): Promise<string> {
    if (this.token !== undefined && this.now() < this.token.refreshAt) return this.token.value;
    this.tokenInFlight ??= this.fetchToken().finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  /** Drops the cached token if it is still the one that was refused (so concurrent 401s refresh once). */
  private invalidateToken(refused: string): void {
    if (this.token?.value === refused) this.token = undefined;
  }

  private discoverAuthUrl(): Promise<string> {
    this.authUrl ??= (async () => {
      const fallback = `${this.baseUrl}/auth`;
      const url = new URL(`${this.baseUrl}/api/authinfo`);
      const response = await this.send({
        method: 'GET',
        url,
        headers: { Accept: 'application/json' },
        unsafe: false,
      });
      if (response.status >= 200 && response.status < 300) {
        try {
          const info = JSON.parse(response.text) as { auth_url?: unknown };
          if (typeof info.auth_url === 'string' && info.auth_url.trim() !== '') {
            return info.auth_url.trim().replace(/\/+$/, '');
          }
        } catch {
          // An unparseable discovery answer is treated like a missing one: use the fallback.
        }
      }
      this.logger.info(
        { status: response.status, authUrl: fallback },
        'HaloPSA auth discovery gave no auth_url; using the self-hosted default',
      );
      return fallback;
    })().catch((error: unknown) => {
      // Let a later call retry discovery rather than caching the failure.
      this.authUrl = undefined;
      throw error;
    });
    return this.authUrl;
  }

  private async fetchToken(): Promise<string> {
    const authUrl = await this.discoverAuthUrl();
    const url = new URL(`${authUrl}/token`);
    if (this.tenant !== undefined) url.searchParams.set('tenant', this.tenant);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.clientSecret,
      scope: this.scopes.join(' '),
    });
    const response = await this.send({
      method: 'POST',
      url,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      unsafe: false,
    });
    const context = { method: 'POST', path: url.pathname, status: response.status };
    let parsed: Record<string, unknown> = {};
    try {
      const json = JSON.parse(response.text) as unknown;
      if (typeof json === 'object' && json !== null) parsed = json as Record<string, unknown>;
    } catch {
      // Handled below: a missing access_token or an error status says what went wrong.
    }
    if (response.status < 200 || response.status >= 300) {
      const oauthError = typeof parsed.error === 'string' ? parsed.error : undefined;
      const description =
        typeof parsed.error_description === 'string' ? `: ${parsed.error_description}` : '';
      if (response.status >= 400 && response.status < 500) {
        throw new HaloAuthFailedError(
          `HaloPSA refused the client credentials (${response.status} ${oauthError ?? 'error'}${description})`,
          { ...context, oauthError },
        );
      }
      throw new HaloUnavailableError(`HaloPSA token endpoint answered ${response.status}`, context);
    }
    const value = parsed.access_token;
    if (typeof value !== 'string' || value === '') {
      throw new HaloBadResponseError('HaloPSA token response has no access_token', context);
    }
    const expiresInMs = (asNumber(parsed.expires_in) ?? DEFAULT_EXPIRES_IN_S) * 1000;
    // Refresh a minute early; for very short-lived tokens, halfway through their life.
    const margin = Math.min(REFRESH_MARGIN_MS, expiresInMs / 2);
    this.token = { value, refreshAt: this.now() + expiresInMs - margin };
    this.logger.info({ expiresInS: expiresInMs / 1000 }, 'HaloPSA access token issued');
    return value;
  }

  // ---- one HTTP exchange, with budget, timeout and retries ----

  private async send(request: HttpRequest): Promise<HttpResponse> {
    const { method, url } = request;
    const path = url.pathname;
    for (let attempt = 0; ; attempt++) {
      await this.budget.acquire();
      const started = this.now();
      const outcome = await this.exchange(request);
      const durationMs = this.now() - started;
      const statusKey = 'status' in outcome ? String(outcome.status) : outcome.failure;
      this.requestCount += 1;
      this.statusCounts[statusKey] = (this.statusCounts[statusKey] ?? 0) + 1;
      const status = 'status' in outcome ? outcome.status : 0;
      this.onRequest?.({ method, path, status, durationMs });
      this.logger.debug(
        { method, path, status: statusKey, durationMs, attempt },
        'HaloPSA request',
      );

      const retryable = this.retryable(request, outcome);
      if (!retryable) {
        if ('status' in outcome) return outcome;
        throw this.failure(request, outcome, attempt + 1);
      }
      if (attempt >= this.maxRetries) {
        throw this.failure(request, outcome, attempt + 1);
      }
      const retryAfter =
        'status' in outcome
          ? parseRetryAfter(outcome.headers.get('retry-after'), this.now())
          : null;
      const delayMs = backoffDelayMs(attempt, { ...this.backoff, random: this.random }, retryAfter);
      this.logger.warn(
        { method, path, status: statusKey, attempt: attempt + 1, delayMs },
        'HaloPSA request failed; retrying',
      );
      await this.sleep(delayMs);
    }
  }

  private retryable(
    request: HttpRequest,
    outcome: HttpResponse | { failure: 'timeout' | 'network'; error: unknown },
  ): boolean {
    if ('status' in outcome) {
      if (outcome.status === 429 || outcome.status === 503) return true;
      return outcome.status >= 500 && !request.unsafe;
    }
    if (!request.unsafe) return true;
    // A connection that was never made cannot have applied a write.
    return outcome.failure === 'network' && NEVER_SENT_CODES.has(errorCode(outcome.error) ?? '');
  }

  private failure(
    request: HttpRequest,
    outcome: HttpResponse | { failure: 'timeout' | 'network'; error: unknown },
    attempts: number,
  ): Error {
    const context = { method: request.method, path: request.url.pathname, attempts };
    const where = `${request.method} ${request.url.pathname}`;
    if ('status' in outcome) {
      const withStatus = { ...context, status: outcome.status };
      if (outcome.status === 429) {
        return new HaloRateLimitedError(
          `HaloPSA rate limit persisted after ${attempts} attempts (${where})`,
          withStatus,
        );
      }
      return new HaloUnavailableError(
        `HaloPSA answered ${outcome.status} after ${attempts} attempts (${where})`,
        withStatus,
      );
    }
    if (outcome.failure === 'timeout') {
      return new HaloTimeoutError(
        `HaloPSA did not answer within ${this.timeoutMs} ms after ${attempts} attempts (${where})`,
        context,
      );
    }
    return new HaloUnavailableError(
      `HaloPSA could not be reached after ${attempts} attempts (${where}): ${errorCode(outcome.error) ?? 'network error'}`,
      { ...context, cause: outcome.error },
    );
  }

  private async exchange(
    request: HttpRequest,
  ): Promise<HttpResponse | { failure: 'timeout' | 'network'; error: unknown }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      return { failure: timedOut ? 'timeout' : 'network', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
