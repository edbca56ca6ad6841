/**
 * HaloPSA REST client: OAuth2 client credentials (`halo-token.ts`), paging over list envelopes and
 * bare arrays (`halo-paging.ts`), a client-side rolling request budget, a timeout on every request
 * and retries with backoff on 429, 5xx, timeouts and network failures (`halo-transport.ts`).
 * It returns raw JSON; `halo-records.ts` validates it. Secrets and tokens are never logged.
 */
import { realSleep, systemClock, type Clock, type Sleep } from '../shared/clock';
import {
  HaloAuthFailedError,
  HaloBadResponseError,
  HaloForbiddenError,
  HaloNotFoundError,
  HaloRateLimitedError,
  HaloRequestRejectedError,
  HaloUnavailableError,
  HaloUnknownResourceError,
} from './halo-errors';
import { assertKnownParams, checkFilters } from './halo-filter-check';
import { extractPage, repeatsPage, selectKind } from './halo-paging';
import {
  haloResource,
  type HaloQueryParams,
  type HaloResourceName,
  type HaloResourceSpec,
} from './halo-resources';
import { HaloTokenSource } from './halo-token';
import {
  HaloTransport,
  silentLogger,
  type HaloLogger,
  type HaloRequestEvent,
  type HttpResponse,
  type Method,
} from './halo-transport';
import { RequestBudget } from './request-budget';

export type { HaloLogger, HaloRequestEvent } from './halo-transport';

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
  /** Clock (default the system clock). */
  clock?: Clock;
  /** Waits the given milliseconds (default a real timer). */
  sleep?: Sleep;
  /** Uniform random in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
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
  /**
   * Rows of this page dropped because they fall outside the `lastupdatefromdate`/`todate` window
   * asked for: the endpoint ignored the window (see `halo-filter-check.ts`).
   */
  outsideWindow: number;
}

export interface HaloListOptions {
  /** First page to read (1-based, default 1): resumes a listing a crashed sync left part-way. */
  startPage?: number;
}

export interface HaloClientStats {
  /** HTTP requests sent, auth included, every attempt counted. */
  requests: number;
  /** Requests by HTTP status (`"200"`, `"429"`), or `"timeout"` / `"network"`. */
  byStatus: Record<string, number>;
  /** Requests the budget allows right now. */
  budgetRemaining: number;
}

export interface HaloPostOptions {
  params?: HaloQueryParams;
  /**
   * Also retry after a timeout, a network failure once sent, or a 5xx other than 503. Off by
   * default: HaloPSA may have applied a write whose response was lost, and a retry would apply it
   * twice. 429, 503 and refused connections are always retried (nothing was applied).
   */
  retryUnsafe?: boolean;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 4;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/**
 * The HaloPSA client. One instance per HaloPSA instance; it holds the token cache, the request
 * budget and the counters, and is safe to share between concurrent callers.
 */
export class HaloClient {
  private readonly baseUrl: string;
  private readonly pageSize: number;
  private readonly budget: RequestBudget;
  private readonly logger: HaloLogger;
  private readonly transport: HaloTransport;
  private readonly tokens: HaloTokenSource;
  /** Largest page HaloPSA has returned: a shorter page can only be the last one. */
  private largestPageSeen = 0;

  constructor(options: HaloClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const clock = options.clock ?? systemClock;
    const sleep = options.sleep ?? realSleep;
    this.logger = options.logger ?? silentLogger;
    this.budget =
      options.budget instanceof RequestBudget
        ? options.budget
        : new RequestBudget({ ...options.budget, clock, sleep });
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
    }
    const nowMs = (): number => clock.now().getTime();
    this.transport = new HaloTransport({
      budget: this.budget,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      backoff: options.backoff ?? {},
      nowMs,
      sleep,
      random: options.random ?? Math.random,
      logger: this.logger,
      onRequest: options.onRequest,
    });
    this.tokens = new HaloTokenSource(
      {
        baseUrl: this.baseUrl,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        tenant: options.tenant === '' ? undefined : options.tenant,
        scopes: [...options.scopes],
      },
      this.transport,
      nowMs,
      this.logger,
    );
  }

  /** Request counters and the budget left right now. */
  stats(): HaloClientStats {
    return { ...this.transport.counters(), budgetRemaining: this.budget.remaining() };
  }

  /**
   * Pages through a catalogued resource (`pageinate=true&page_size&page_no`, 1-based), yielding
   * each page. Stops when `record_count` records have been read, on an empty page, or on a page
   * shorter than the largest seen (HaloPSA may cap the page size below what was asked). Resources
   * that do not page are read in one request. `params` (e.g. `lastupdatefromdate`) pass through,
   * and every page is checked against them (`halo-filter-check.ts`): a filter HaloPSA ignored is
   * `HALO_FILTER_IGNORED`, rows outside an ignored last-update window are dropped and counted; a
   * parameter the client does not know (a misspelling) is `HALO_UNKNOWN_FILTER`, never sent.
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
    assertKnownParams(spec.path, params);
    const query = { ...spec.listParams, ...params };
    if (!spec.pages) {
      if (startPage > 1) return;
      const body = await this.request('GET', spec.path, query);
      const { records, recordCount } = extractPage(spec, body, 1, this.logger);
      const checked = checkFilters(spec.path, params, records);
      this.warnOutsideWindow(spec.path, checked.outsideWindow, 1);
      yield {
        records: selectKind(spec, checked.records),
        pageNo: 1,
        recordCount,
        outsideWindow: checked.outsideWindow,
      };
      return;
    }
    let warned = false;
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
      const { records, recordCount } = extractPage(spec, body, pageNo, this.logger);
      if (pageNo > startPage && repeatsPage(previous, records)) {
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
      const checked = checkFilters(spec.path, params, records);
      if (!warned) warned = this.warnOutsideWindow(spec.path, checked.outsideWindow, pageNo);
      yield {
        records: selectKind(spec, checked.records),
        pageNo,
        recordCount,
        outsideWindow: checked.outsideWindow,
      };
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

  /** Logs, once per listing, that an endpoint ignored the last-update window; true if it did. */
  private warnOutsideWindow(path: string, outside: number, pageNo: number): boolean {
    if (outside === 0) return false;
    this.logger.warn(
      { path, pageNo, outside },
      'HaloPSA ignored the last-update window; rows outside it are dropped',
    );
    return true;
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
      this.transport.send({
        method,
        url,
        headers: { ...headers, Authorization: `Bearer ${token}` },
        body,
        unsafe: flags.unsafe,
      });

    const token = await this.tokens.accessToken();
    let response = await attempt(token);
    if (response.status === 401) {
      this.logger.info(
        { method, path: url.pathname },
        'HaloPSA refused the token; refreshing once',
      );
      this.tokens.invalidate(token);
      response = await attempt(await this.tokens.accessToken());
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

  private spec(resource: HaloResourceName | HaloResourceSpec): HaloResourceSpec {
    if (typeof resource !== 'string') return resource;
    const spec = haloResource(resource);
    if (spec === undefined) {
      throw new HaloUnknownResourceError(`"${String(resource)}" is not a catalogued resource`);
    }
    return spec;
  }
}
