/**
 * The read-only Power BI feed (issue 19): an OData v4 service at `/odata`, outside the tab API's
 * Teams sign-in. `GET /odata` is the service document, `GET /odata/$metadata` the CSDL, and
 * `GET /odata/<EntitySet>` one page of rows with `@odata.nextLink` to the next. The caller proves
 * itself with the tenant's reporting key as the HTTP Basic password (Power BI's "Basic" credential),
 * or with an Entra bearer token of a person whose role reads the whole tenant. Every failure is an
 * OData error body `{ error: { code, message } }`; hostile input is a 4xx.
 */
import type { Request, Response, Server } from 'restify';
import { ACCESS_POLICY } from '../app/identity/access-policy';
import type { ReadReportingFeed } from '../app/reporting/read-reporting-feed';
import type { ReportingKeys } from '../app/reporting/reporting-keys.port';
import { csdlDocument } from '../domain/reporting/odata-csdl';
import { ENTITY_SETS } from '../domain/reporting/odata-model';
import type { AppLogger } from '../observability/logger';
import { ApiError } from './api-types';
import type { ApiAuthenticator } from './mount-api';

/** Where the feed is served. */
export const ODATA_PREFIX = '/odata';

/**
 * What a 401 offers: Power BI's Basic credential with the reporting key, and an Entra token. Power
 * BI's "Organizational account" reads the Bearer challenge's realm and authorization_uri to know
 * which tenant to sign in to.
 */
function challenges(entraTenantId: string | null): string[] {
  const basic = 'Basic realm="Control Tower reporting", charset="UTF-8"';
  if (entraTenantId === null) return [basic, 'Bearer'];
  const authority = `https://login.microsoftonline.com/${entraTenantId}`;
  return [basic, `Bearer realm="${authority}", authorization_uri="${authority}/oauth2/authorize"`];
}
const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;
/** Query options carried into `@odata.nextLink` (the page's own `$skiptoken` is added). */
const CARRIED = ['$select', '$filter', '$orderby', '$top', '$skip', '$count', '$format'];

export interface ReportingFeedDeps {
  /** The tenant this deployment serves: the only rows the feed ever reads. */
  tenantId: string;
  feed: ReadReportingFeed;
  keys: Pick<ReportingKeys, 'verify'>;
  /** The tab API's authenticator, asked only to validate an Entra bearer token. */
  auth: ApiAuthenticator;
  /** The organisation's Entra tenant (named in the Bearer challenge), when sign-in is configured. */
  entraTenantId: string | null;
  logger: AppLogger;
}

class FeedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Registers `/odata`, `/odata/$metadata` and `/odata/<EntitySet>` on the one server. */
export function mountReportingFeed(server: Server, deps: ReportingFeedDeps): void {
  const handle =
    (answer: (req: Request, base: string) => Promise<{ body: unknown; type: string }>) =>
    async (req: Request, res: Response) => {
      res.setHeader('OData-Version', '4.0');
      res.setHeader('Cache-Control', 'no-store');
      try {
        const base = baseUrl(req);
        await authorise(deps, req.headers);
        const { body, type } = await answer(req, base);
        res.setHeader('Content-Type', type);
        res.sendRaw(200, typeof body === 'string' ? body : JSON.stringify(body));
      } catch (error) {
        const failure = asFeedError(error);
        if (failure.status >= 500)
          deps.logger.error({ err: error, requestId: req.id() }, 'reporting feed failed');
        if (failure.status === 401)
          res.setHeader('WWW-Authenticate', challenges(deps.entraTenantId));
        res.setHeader('Content-Type', JSON_TYPE);
        res.sendRaw(
          failure.status,
          JSON.stringify({ error: { code: failure.code, message: failure.message } }),
        );
      }
    };

  const serviceDocument = handle(async (_req, base) => ({
    type: JSON_TYPE,
    body: {
      '@odata.context': `${base}${ODATA_PREFIX}/$metadata`,
      value: ENTITY_SETS.map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name })),
    },
  }));
  server.get(ODATA_PREFIX, serviceDocument);
  server.get(`${ODATA_PREFIX}/`, serviceDocument);
  server.get(
    `${ODATA_PREFIX}/:resource`,
    handle(async (req, base) => {
      const resource = String((req.params as Record<string, unknown>).resource ?? '');
      if (resource === '$metadata') {
        return { type: 'application/xml;charset=utf-8', body: csdlDocument() };
      }
      const outcome = await deps.feed.run(deps.tenantId, resource, queryOptions(req));
      if (!outcome.ok) {
        throw new FeedError(
          outcome.reason === 'unknown-set' ? 404 : 400,
          outcome.reason === 'unknown-set' ? 'NotFound' : 'BadRequest',
          outcome.message,
        );
      }
      const { set, query, rows, count, nextSkipToken } = outcome.page;
      const context = `${base}${ODATA_PREFIX}/$metadata#${set.name}${query.selected ? `(${query.select.join(',')})` : ''}`;
      const body: Record<string, unknown> = { '@odata.context': context };
      if (count !== null) body['@odata.count'] = count;
      body.value = rows;
      if (nextSkipToken !== null) {
        body['@odata.nextLink'] = nextLink(base, set.name, req, nextSkipToken);
      }
      return { type: JSON_TYPE, body };
    }),
  );
  server.get(
    `${ODATA_PREFIX}/*`,
    handle(async () => {
      throw new FeedError(
        404,
        'NotFound',
        'The feed serves /odata, /odata/$metadata and /odata/<EntitySet> (no keys, navigation or $count segments).',
      );
    }),
  );
}

/** Checks the caller: the reporting key as the Basic password, or a reporting role's Entra token. */
async function authorise(
  deps: ReportingFeedDeps,
  headers: Record<string, string | string[] | undefined>,
): Promise<void> {
  const raw = headers.authorization;
  const authorization = Array.isArray(raw) ? raw[0] : raw;
  if (!authorization) {
    throw new FeedError(
      401,
      'Unauthorized',
      'Sign in with the reporting key as the Basic password (any user name), or an Entra bearer token.',
    );
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon < 0 ? '' : decoded.slice(colon + 1);
    if (!(await deps.keys.verify(deps.tenantId, key))) {
      throw new FeedError(
        401,
        'Unauthorized',
        'The reporting key is not valid (it may have been rotated).',
      );
    }
    return;
  }
  if (!/^Bearer\s+\S+$/i.test(authorization)) {
    throw new FeedError(
      401,
      'Unauthorized',
      'Send "Authorization: Basic …" or "Authorization: Bearer …".',
    );
  }
  // Only the token goes to the tab authenticator: demo sign-in headers never open the feed.
  const actor = await deps.auth.authenticate({ authorization });
  if (actor.tenantId !== deps.tenantId || !ACCESS_POLICY.mayRead(actor, 'reporting-feed')) {
    throw new FeedError(
      403,
      'Forbidden',
      'The feed needs one of these roles: admin, delivery_director, msp_owner, pmo_lead.',
    );
  }
}

function asFeedError(error: unknown): FeedError {
  if (error instanceof FeedError) return error;
  if (error instanceof ApiError) {
    const code =
      error.status === 401 ? 'Unauthorized' : error.status === 403 ? 'Forbidden' : error.code;
    return new FeedError(error.status, code, error.message);
  }
  return new FeedError(500, 'InternalError', 'Something went wrong.');
}

/** The feed's absolute base URL as the client addressed it (behind a proxy: X-Forwarded-*). */
function baseUrl(req: Request): string {
  const first = (name: string) => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  };
  const host = first('x-forwarded-host') ?? first('host') ?? '';
  if (!HOST.test(host)) throw new FeedError(400, 'BadRequest', 'The Host header is not valid.');
  const proto = first('x-forwarded-proto') === 'https' || req.isSecure() ? 'https' : 'http';
  return `${proto}://${host}`;
}

/** The query options as strings; one given twice stays an array (refused by the parser). */
function queryOptions(req: Request): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[name] = value;
    else
      throw new FeedError(
        400,
        'BadRequest',
        `The query option ${name.slice(0, 40)} cannot be read.`,
      );
  }
  return out;
}

function nextLink(base: string, setName: string, req: Request, skipToken: number): string {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const carried = CARRIED.filter((name) => typeof query[name] === 'string').map(
    (name) => `${name}=${encodeURIComponent(query[name] as string)}`,
  );
  return `${base}${ODATA_PREFIX}/${setName}?${[...carried, `$skiptoken=${skipToken}`].join('&')}`;
}
