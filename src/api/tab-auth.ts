/**
 * Who is calling the tab API. Production: the bearer token Teams SSO (`getAuthToken`) hands the tab,
 * validated as an Entra ID token — RS256 signature against the JWKS named by the OpenID metadata,
 * issuer of the token's own tenant (v2 or v1 form), audience = the tab's SSO app, expiry and not-before
 * with a small clock skew, tenant in the allow-list — then roles from the role directory by object id.
 * Demo: header `X-Demo-User` names one of the demo users; production mode refuses that header.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { signInEmail, type DemoCast, type DemoPersona } from '../app/delivery/demo-cast.port';
import type { RoleDirectory } from '../app/identity/identity.port';
import type { Mode } from '../config';
import type { Clock } from '../shared/clock';
import { ApiError, type ApiActor } from './api-types';
import type { DemoUserDto, DemoUsersDto } from './dto';
import type { ApiAuthenticator } from './mount-api';

/** The header demo mode signs people in with. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** Settings of Teams SSO token validation (from `AppConfig.tabAuth`). */
export interface TabSsoSettings {
  clientId: string | null;
  appIdUri: string | null;
  allowedTenantIds: readonly string[];
  openIdMetadataUrl: string;
}

/** Everything the tab authenticator needs. */
export interface TabAuthOptions {
  mode: Mode;
  /** The data tenant every row of this deployment carries. */
  tenantId: string;
  roles: RoleDirectory;
  /** The demo users (demo mode only; without it no demo sign-in is found). */
  demoCast?: DemoCast;
  sso: TabSsoSettings;
  clock: Clock;
  /** Accepted clock difference for `exp` / `nbf`, in seconds. */
  clockSkewSeconds?: number;
}

/** Authenticates tab API callers; `demoUsers` lists demo sign-ins (demo mode only). */
export class TabAuthenticator implements ApiAuthenticator {
  private keys: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  private personas: { at: number; list: Promise<DemoPersona[]> } | null = null;

  constructor(private readonly options: TabAuthOptions) {}

  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<ApiActor> {
    const demoUser = header(headers, DEMO_USER_HEADER);
    const authorization = header(headers, 'authorization');
    if (demoUser !== null) {
      if (this.options.mode !== 'demo') {
        throw new ApiError(
          401,
          'demo-sign-in-refused',
          'Demo sign-in (X-Demo-User) is not available in production mode: sign in through Teams.',
        );
      }
      return this.demoActor(demoUser);
    }
    if (authorization === null) {
      throw new ApiError(
        401,
        'unauthenticated',
        this.options.mode === 'demo'
          ? 'Sign in: send X-Demo-User with one of the users at /api/v1/demo/users.'
          : 'Sign in: send the Teams SSO token as "Authorization: Bearer <token>".',
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) {
      throw new ApiError(
        401,
        'invalid-token',
        'The Authorization header must be "Bearer <token>".',
      );
    }
    return this.tokenActor(match[1]);
  }

  /** The demo users (demo mode); their roles come from the role directory like everyone's. */
  async demoUsers(): Promise<DemoUsersDto> {
    const personas = await this.demoPersonas();
    const items: DemoUserDto[] = [];
    for (const p of personas) {
      const actor = await this.options.roles.resolve({
        aadObjectId: p.aadObjectId,
        name: p.name,
      });
      items.push({
        signInEmail: signInEmail(p),
        aadObjectId: p.aadObjectId,
        name: p.name,
        haloEmail: p.email,
        roles: actor.roles,
      });
    }
    return { items };
  }

  /** The demo cast, re-read at most once a minute (it is derived from the synced data). */
  private demoPersonas(): Promise<DemoPersona[]> {
    const now = this.options.clock.now().getTime();
    if (this.personas === null || now - this.personas.at > 60_000) {
      const list = this.options.demoCast?.personas() ?? Promise.resolve([]);
      this.personas = { at: now, list };
      list.catch(() => {
        this.personas = null;
      });
    }
    return this.personas.list;
  }

  private async demoActor(who: string): Promise<ApiActor> {
    const wanted = who.trim().toLowerCase();
    const personas = await this.demoPersonas();
    const persona = personas.find(
      (p) =>
        signInEmail(p).toLowerCase() === wanted ||
        p.email?.toLowerCase() === wanted ||
        p.aadObjectId === wanted,
    );
    if (!persona) {
      throw new ApiError(
        401,
        'unknown-demo-user',
        `"${who.slice(0, 100)}" is not a demo user; see /api/v1/demo/users.`,
      );
    }
    // Demo mode only: the persona's e-mail stands in for the one a sign-in token would carry.
    const actor = await this.options.roles.resolve({
      aadObjectId: persona.aadObjectId,
      name: persona.name,
      verifiedEmail: persona.email ?? signInEmail(persona),
    });
    return { tenantId: this.options.tenantId, ...actor };
  }

  private async tokenActor(token: string): Promise<ApiActor> {
    const { sso } = this.options;
    const audience = [sso.clientId, sso.appIdUri].filter((a): a is string => a !== null);
    if (audience.length === 0) {
      throw new ApiError(
        401,
        'sso-not-configured',
        'Teams SSO is not configured on this server (TAB_SSO_CLIENT_ID).',
      );
    }
    refuseUnsigned(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.jwks(), {
        algorithms: ['RS256'],
        audience,
        clockTolerance: this.options.clockSkewSeconds ?? 120,
        currentDate: this.options.clock.now(),
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
      }));
    } catch (error) {
      throw tokenError(error);
    }
    const tid = typeof payload.tid === 'string' ? payload.tid : '';
    const issuers = [
      `https://login.microsoftonline.com/${tid}/v2.0`,
      `https://sts.windows.net/${tid}/`,
    ];
    if (!issuers.includes(payload.iss ?? '')) {
      throw new ApiError(401, 'invalid-token', 'The token was not issued by its tenant.');
    }
    if (!sso.allowedTenantIds.includes(tid)) {
      throw new ApiError(
        403,
        'tenant-not-allowed',
        'Your organisation is not allowed to use this app.',
      );
    }
    const oid = String(payload.oid);
    const name = typeof payload.name === 'string' ? payload.name : oid;
    const claimedEmail = [payload.upn, payload.email, payload.preferred_username].find(
      (claim): claim is string => typeof claim === 'string' && claim.includes('@'),
    );
    const actor = await this.options.roles.resolve({
      aadObjectId: oid,
      name,
      verifiedEmail: claimedEmail ?? null,
    });
    return { tenantId: this.options.tenantId, ...actor };
  }

  /** The JWKS named by the OpenID metadata, fetched once (again after a failure). */
  private jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys === null) {
      this.keys = (async () => {
        const response = await fetch(this.options.sso.openIdMetadataUrl, {
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`OpenID metadata answered ${response.status}`);
        const metadata = (await response.json()) as { jwks_uri?: unknown };
        if (typeof metadata.jwks_uri !== 'string')
          throw new Error('OpenID metadata has no jwks_uri');
        return createRemoteJWKSet(new URL(metadata.jwks_uri));
      })();
      this.keys.catch(() => {
        this.keys = null;
      });
    }
    return this.keys;
  }
}

export { signInEmail };

/**
 * Refuses, before any network call, a token that is not a JWS signed with RS256 (`alg: none`,
 * HMAC, garbage): fetching the signing keys for it would only turn a forgery into a 503.
 */
function refuseUnsigned(token: string): void {
  let alg: unknown;
  try {
    ({ alg } = decodeProtectedHeader(token));
  } catch {
    throw new ApiError(401, 'invalid-token', 'The token was refused: it is not a signed JWT.');
  }
  if (alg !== 'RS256' || token.split('.').length !== 3 || token.endsWith('.')) {
    throw new ApiError(
      401,
      'invalid-token',
      'The token was refused: its signature or format is not valid.',
    );
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

function tokenError(error: unknown): ApiError {
  if (error instanceof joseErrors.JWTExpired) {
    return new ApiError(401, 'token-expired', 'The sign-in token has expired; sign in again.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new ApiError(
      401,
      'invalid-token',
      `The token was refused: ${error.claim} is not valid.`,
    );
  }
  if (error instanceof joseErrors.JOSEError) {
    return new ApiError(
      401,
      'invalid-token',
      'The token was refused: its signature or format is not valid.',
    );
  }
  // The metadata or key set could not be fetched: not the caller's fault.
  return new ApiError(
    503,
    'sign-in-unavailable',
    'Sign-in cannot be checked right now; try again.',
  );
}
