/**
 * The tab API's vocabulary (`/api/v1/...`): who is asking, what a route receives and returns.
 * Route modules (delivery, gates, renewals, settings) export `ApiRoute[]`; the API mount authenticates
 * the caller (Teams SSO token in production, `X-Demo-User` in demo mode), enforces `roles`, and turns
 * an `ApiError` into its status with `{ error: { code, message, details } }`.
 */
import type { Actor, Role } from '../app/delivery-views';
import type { Page } from '../app/delivery/tab-views';

export type { Page };

/**
 * The signed-in caller as the one identity resolver sees them (roles, e-mail, HaloPSA agent),
 * resolved server-side; never taken from the request body.
 */
export interface ApiActor extends Actor {
  tenantId: string;
}

/** What a route handler receives. `params` are path parameters, `query` single-valued. */
export interface ApiRequest {
  actor: ApiActor;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/**
 * What a route handler returns: an object body is sent as JSON, a string or a Buffer as is (CSV,
 * `.xlsx`, PDF).
 */
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
  /**
   * Any one of these roles may call it; omitted = any role, the handler applying the read rules
   * (src/app/identity/access-policy.ts). A person with no role is refused every route but those
   * marked `signedIn` (who they are, so the tab can say who to ask).
   */
  roles?: readonly Role[];
  /** Open to any signed-in person of the tenant, role or not (only `/me`). */
  signedIn?: true;
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
