/** OAuth2 client-credentials tokens as HaloPSA issues them (scopes, expiry on the injected clock). */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock';

/** Scopes HaloPSA knows; one unknown scope rejects the whole request. */
export const KNOWN_SCOPES = [
  'read:projects',
  'read:tickets',
  'read:timesheets',
  'read:contracts',
  'read:customers',
  'read:invoices',
  'edit:tickets',
  'edit:projects',
  'edit:customers',
  'all',
] as const;

/** Result of a token request: a body and an HTTP status. */
export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Default lifetime of an access token in seconds (about an hour, as HaloPSA issues them). */
export const TOKEN_LIFETIME_S = 3600;

/** Issues and checks bearer tokens. */
export class TokenIssuer {
  private readonly tokens = new Map<string, { expiresAt: number; scopes: Set<string> }>();

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly tenant: string | undefined,
    private readonly clock: Clock,
    /** Lifetime of an issued token in seconds. */
    private readonly lifetimeSeconds: number = TOKEN_LIFETIME_S,
  ) {}

  /** Handles a token request's form fields (query `tenant` merged in by the caller). */
  issue(form: URLSearchParams, queryTenant: string | undefined): TokenResponse {
    const fail = (status: number, error: string, description: string): TokenResponse => ({
      status,
      body: { error, error_description: description },
    });
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const tenant = queryTenant || form.get('tenant') || '';
    if (this.tenant && tenant && tenant !== this.tenant) {
      return fail(400, 'invalid_client', `Unknown tenant ${tenant}`);
    }
    if (
      form.get('client_id') !== this.clientId ||
      form.get('client_secret') !== this.clientSecret
    ) {
      return fail(401, 'invalid_client', 'Invalid client credentials');
    }
    const requested = (form.get('scope') ?? 'all').split(/\s+/).filter(Boolean);
    const unknown = requested.filter((s) => !(KNOWN_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0)
      return fail(400, 'invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
    const scopes = requested.length > 0 ? requested : ['all'];
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, {
      expiresAt: this.clock.now().getTime() + this.lifetimeSeconds * 1000,
      scopes: new Set(scopes),
    });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: this.lifetimeSeconds,
        scope: scopes.join(' '),
      },
    };
  }

  /** Forgets every issued token (HaloPSA revoking sessions): the next API call with one is a 401. */
  revokeAll(): void {
    this.tokens.clear();
  }

  /** The scopes of a valid bearer header, or undefined when missing, unknown or expired. */
  check(authorization: string | undefined): Set<string> | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m?.[1]) return undefined;
    const t = this.tokens.get(m[1]);
    if (!t) return undefined;
    if (this.clock.now().getTime() >= t.expiresAt) {
      this.tokens.delete(m[1]);
      return undefined;
    }
    return t.scopes;
  }
}
