/**
 * Errors raised at the HaloPSA edge. Each class carries a stable `code` (for logs, metrics and
 * callers that branch) and a `kind`: `user` (configuration or permissions the operator must fix),
 * `operational` (transient: retry later) or `bug` (our request or their response is not what the
 * contract says: report it). Messages never contain secrets or tokens.
 */

/** Who can act on an error: the operator (`user`), time (`operational`) or a developer (`bug`). */
export type ErrorKind = 'user' | 'operational' | 'bug';

/** Every stable code a HaloPSA error can carry. */
export type HaloErrorCode =
  | 'HALO_AUTH_FAILED'
  | 'HALO_RATE_LIMITED'
  | 'HALO_UNAVAILABLE'
  | 'HALO_TIMEOUT'
  | 'HALO_BAD_RESPONSE'
  | 'HALO_FORBIDDEN'
  | 'HALO_NOT_FOUND'
  | 'HALO_REQUEST_REJECTED'
  | 'HALO_FILTER_IGNORED'
  | 'HALO_UNKNOWN_FILTER'
  | 'HALO_UNKNOWN_RESOURCE';

/** Context attached to a HaloPSA error: what was asked and what came back (never credentials). */
export interface HaloErrorContext {
  /** HTTP method of the failing request. */
  method?: string;
  /** Request path as sent, without the base URL. */
  path?: string;
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** Number of attempts made before giving up. */
  attempts?: number;
  /** The underlying error (network failure, JSON parse error). */
  cause?: unknown;
}

/** Base class of every error the HaloPSA client throws. */
export abstract class HaloError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: HaloErrorCode;
  /** Who can act on this error. */
  abstract readonly kind: ErrorKind;
  /** HTTP method of the failing request. */
  readonly method?: string;
  /** Request path as sent. */
  readonly path?: string;
  /** HTTP status of the last response, if any. */
  readonly status?: number;
  /** Attempts made before giving up. */
  readonly attempts?: number;

  constructor(message: string, context: HaloErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.attempts = context.attempts;
  }
}

/** Credentials or scopes were refused (token endpoint error, or a second 401 after a refresh). */
export class HaloAuthFailedError extends HaloError {
  readonly code = 'HALO_AUTH_FAILED' as const;
  readonly kind = 'user' as const;
  /** OAuth error code from the token endpoint (`invalid_client`, `invalid_scope`), when given. */
  readonly oauthError?: string;

  constructor(message: string, context: HaloErrorContext & { oauthError?: string } = {}) {
    super(message, context);
    this.oauthError = context.oauthError;
  }
}

/** HaloPSA kept answering 429 after every retry. */
export class HaloRateLimitedError extends HaloError {
  readonly code = 'HALO_RATE_LIMITED' as const;
  readonly kind = 'operational' as const;
}

/** HaloPSA answered 5xx, or could not be reached, after every retry. */
export class HaloUnavailableError extends HaloError {
  readonly code = 'HALO_UNAVAILABLE' as const;
  readonly kind = 'operational' as const;
}

/** A request did not complete within the configured timeout, after every retry. */
export class HaloTimeoutError extends HaloError {
  readonly code = 'HALO_TIMEOUT' as const;
  readonly kind = 'operational' as const;
}

/** HaloPSA answered with something that is not the documented shape (bad JSON, no records). */
export class HaloBadResponseError extends HaloError {
  readonly code = 'HALO_BAD_RESPONSE' as const;
  readonly kind = 'bug' as const;
}

/** HaloPSA answered 403: the API application lacks a permission or scope for this resource. */
export class HaloForbiddenError extends HaloError {
  readonly code = 'HALO_FORBIDDEN' as const;
  readonly kind = 'user' as const;
}

/** HaloPSA answered 404 for a listing or a write (a single-record read returns `null` instead). */
export class HaloNotFoundError extends HaloError {
  readonly code = 'HALO_NOT_FOUND' as const;
  readonly kind = 'user' as const;
}

/** HaloPSA refused the request itself (400, 409, 422…): our request does not fit its contract. */
export class HaloRequestRejectedError extends HaloError {
  readonly code = 'HALO_REQUEST_REJECTED' as const;
  readonly kind = 'bug' as const;
}

/**
 * A filtered read came back with rows that do not match the filter: HaloPSA ignored the parameter
 * (it ignores unknown ones silently), so the answer is not what was asked and is not used as data.
 */
export class HaloFilterIgnoredError extends HaloError {
  readonly code = 'HALO_FILTER_IGNORED' as const;
  readonly kind = 'bug' as const;
  /** The query parameter that was not applied. */
  readonly filter: string;

  constructor(message: string, context: HaloErrorContext & { filter: string }) {
    super(message, context);
    this.filter = context.filter;
  }
}

/**
 * A list read was asked with a parameter the client does not know (a misspelling such as
 * `ticketid`): refused before sending, since HaloPSA would ignore it and answer every row.
 */
export class HaloUnknownFilterError extends HaloError {
  readonly code = 'HALO_UNKNOWN_FILTER' as const;
  readonly kind = 'bug' as const;
  /** The unknown parameter names, comma-separated. */
  readonly filter: string;

  constructor(message: string, context: HaloErrorContext & { filter: string }) {
    super(message, context);
    this.filter = context.filter;
  }
}

/** A resource name that is not in the catalogue was asked for. */
export class HaloUnknownResourceError extends HaloError {
  readonly code = 'HALO_UNKNOWN_RESOURCE' as const;
  readonly kind = 'bug' as const;
}

/** True when `error` is one of the HaloPSA client's errors. */
export function isHaloError(error: unknown): error is HaloError {
  return error instanceof HaloError;
}
