import type { Request, Response, Server } from 'restify';
import { ZodError } from 'zod';
import { ACCESS_POLICY, NO_ROLE_MESSAGE } from '../app/identity/access-policy';
import type { AppLogger } from '../observability/logger';
import { systemClock } from '../shared/clock';
import { RefusalLimiter } from '../shared/refusal-limiter';
import { ApiError, type ApiActor, type ApiRoute, type Page } from './api-types';
import type { ApiErrorBody, DemoUsersDto } from './dto';

/** Every route of the tab API lives under this prefix. */
export const API_PREFIX = '/api/v1';

/** Resolves the caller from the request headers, or throws an `ApiError` (401/403). */
export interface ApiAuthenticator {
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<ApiActor>;
}

/** What the mount needs from the composition root. */
export interface MountApiOptions {
  routes: readonly ApiRoute[];
  auth: ApiAuthenticator;
  logger: AppLogger;
  /** Demo mode only: the users one can sign in as (`GET /api/v1/demo/users`, unauthenticated). */
  demoUsers?: () => Promise<DemoUsersDto>;
  /**
   * Refused actions per user (finding 8): past the limit, a write route answers 429 without running.
   * The composition root should pass one on the app's clock; the default uses the wall clock.
   */
  refusals?: RefusalLimiter;
}

/** Statuses of a write the service refused (and may have audited); validation 400s are not counted. */
const REFUSED_STATUSES: ReadonlySet<number> = new Set([403, 404, 409, 422]);

/** Who a refusal is counted against. */
export function refusalKey(actor: ApiActor): string {
  return `${actor.tenantId}:${actor.aadObjectId ?? actor.email ?? actor.name}`;
}

/**
 * Registers every `ApiRoute` under `/api/v1` on the one server: authenticates each request, enforces
 * the route's roles server-side, and maps failures to `{ error: { code, message, details } }`.
 */
export function mountApi(server: Server, options: MountApiOptions): void {
  const seen = new Set<string>();
  for (const route of options.routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`tab API route registered twice: ${key}`);
    seen.add(key);
  }

  const send = (res: Response, status: number, body: unknown, headers: Record<string, string>) => {
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      if (!res.getHeader('Content-Type'))
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.sendRaw(status, body);
    } else res.send(status, body);
  };

  const fail = (res: Response, req: Request, route: string, error: unknown) => {
    const { status, body } = errorResponse(error, req.id());
    if (status >= 500)
      options.logger.error({ err: error, requestId: req.id(), route }, 'tab API route failed');
    send(res, status, body, {});
  };

  const refusals = options.refusals ?? new RefusalLimiter(systemClock);
  const demoUsers = options.demoUsers;
  if (demoUsers) {
    server.get(`${API_PREFIX}/demo/users`, async (req: Request, res: Response) => {
      try {
        send(res, 200, await demoUsers(), {});
      } catch (error) {
        fail(res, req, '/demo/users', error);
      }
    });
  }

  for (const route of options.routes) {
    const writes = route.method !== 'get';
    server[route.method](`${API_PREFIX}${route.path}`, async (req: Request, res: Response) => {
      let actor: ApiActor | null = null;
      try {
        const caller = await options.auth.authenticate(req.headers);
        actor = caller;
        const wait = writes ? refusals.blocked(refusalKey(caller)) : null;
        if (wait !== null) {
          send(
            res,
            429,
            {
              error: {
                code: 'too-many-refusals',
                message: 'Too many refused actions; try again shortly.',
                details: { retryAfterSeconds: wait },
              },
            },
            { 'Retry-After': String(wait) },
          );
          return;
        }
        if (route.signedIn !== true && !ACCESS_POLICY.hasRole(caller)) {
          throw new ApiError(403, 'no-role', NO_ROLE_MESSAGE);
        }
        if (route.roles && !route.roles.some((role) => caller.roles.includes(role))) {
          throw new ApiError(
            403,
            'forbidden',
            `This needs one of these roles: ${route.roles.join(', ')}.`,
            { requiredRoles: route.roles },
          );
        }
        const result = await route.handler({
          actor: caller,
          params: singleValues(req.params as Record<string, unknown> | undefined),
          query: singleValues(req.query as Record<string, unknown> | undefined),
          body: req.body ?? null,
        });
        send(res, result.status, result.body, result.headers ?? {});
      } catch (error) {
        if (
          writes &&
          actor !== null &&
          error instanceof ApiError &&
          REFUSED_STATUSES.has(error.status)
        ) {
          refusals.refused(refusalKey(actor));
        }
        fail(res, req, route.path, error);
      }
    });
  }

  // Anything else under the prefix is a JSON 404, not restify's default body.
  for (const method of ['get', 'post', 'put', 'del'] as const) {
    server[method](`${API_PREFIX}/*`, async (_req: Request, res: Response) => {
      send(res, 404, notFoundBody(), {});
    });
  }
}

function notFoundBody(): ApiErrorBody {
  return { error: { code: 'not-found', message: 'No such tab API route.' } };
}

/** The status and JSON body an error becomes; internals of unexpected errors never leak. */
export function errorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      },
    };
  }
  if (error instanceof ZodError) {
    return {
      status: 400,
      body: {
        error: {
          code: 'invalid-request',
          message: 'The request is not valid.',
          details: error.issues.map(
            (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
          ),
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: 'internal', message: 'Something went wrong.', details: { requestId } },
    },
  };
}

/** Query and path parameters as single strings: a repeated parameter keeps its first value. */
export function singleValues(input: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input ?? {})) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[name] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') out[name] = String(first);
  }
  return out;
}

/** A validated page request. */
export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

/** `?page=&pageSize=` (1-based page; pageSize capped), or a 400 naming the bad parameter. */
export function pageRequest(
  query: Record<string, string>,
  limits: { defaultSize: number; maxSize: number } = { defaultSize: 50, maxSize: 200 },
): PageRequest {
  const page = positiveInt(query.page, 'page', 1, 1_000_000);
  const pageSize = positiveInt(query.pageSize, 'pageSize', limits.defaultSize, limits.maxSize);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

function positiveInt(text: string | undefined, name: string, fallback: number, max: number) {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new ApiError(400, 'invalid-query', `${name} must be a whole number from 1 to ${max}.`, [
      `${name}: must be a whole number from 1 to ${max}`,
    ]);
  }
  return Number(text);
}

/** A `Page<T>` from one page of items and the total over all pages. */
export function toPage<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, page: request.page, pageSize: request.pageSize, total };
}
