/**
 * The tab API's vocabulary (`/api/v1/...`): who is asking, what a route receives and returns.
 * Route modules (delivery, gates, renewals, settings) export `ApiRoute[]`; the API mount authenticates
 * the caller (Teams SSO token in production, `X-Demo-User` in demo mode), enforces `roles`, and turns
 * an `ApiError` into its status with `{ error: { code, message, details } }`.
 */
import type { Role } from '../app/delivery-views';
import type { Page } from '../app/delivery/tab-views';

export type { Page };

/** The signed-in caller, resolved server-side; never taken from the request body. */
export interface ApiActor {
  tenantId: string;
  aadObjectId: string | null;
  email: string | null;
  name: string;
  roles: Role[];
}

/** What a route handler receives. `params` are path parameters, `query` single-valued. */
export interface ApiRequest {
  actor: ApiActor;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** What a route handler returns: an object body is sent as JSON, a string body as is (e.g. CSV). */
export interface ApiResult {
  status: number;
  body: unknown;
  /** Extra response headers, e.g. `Content-Type: text/csv` and `Content-Disposition`. */
  headers?: Record<string, string>;
}

/** One route under `/api/v1`. */
export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'del';
  /** Path under `/api/v1`, restify syntax: `/gates/:gateId/pack`. */
  path: string;
  /** Any one of these roles may call it; omitted = any signed-in user of the tenant. */
  roles?: readonly Role[];
  handler(request: ApiRequest): Promise<ApiResult>;
}

/** A refusal with an HTTP status and a stable code the tab can branch on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
