/**
 * OAuth2 client credentials for HaloPSA: discovers the auth server, caches the token, refreshes it
 * early, and lets concurrent callers share one refresh. Secrets and tokens are never logged.
 */
import { HaloAuthFailedError, HaloBadResponseError, HaloUnavailableError } from './halo-errors';
import { asNumber } from './halo-paging';
import type { HaloLogger, HaloTransport } from './halo-transport';

/** The credentials and instance a {@link HaloTokenSource} asks a token for. */
export interface HaloCredentials {
  /** Instance root without a trailing slash. */
  baseUrl: string;
  clientId: string;
  /** Never logged. */
  clientSecret: string;
  /** Sent as `?tenant=` on the token request (Halo-hosted instances). */
  tenant?: string;
  scopes: string[];
}

/** Where tokens come from, as `/api/authinfo` says. */
interface AuthServer {
  url: string;
  /** The instance's tenant, when authinfo names one. */
  tenant?: string;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

const DEFAULT_EXPIRES_IN_S = 3600;
const REFRESH_MARGIN_MS = 60_000;

/** Hands out a valid access token, fetching a new one only when the cached one is due. */
export class HaloTokenSource {
  private authServer?: Promise<AuthServer>;
  private token?: CachedToken;
  private tokenInFlight?: Promise<string>;

  constructor(
    private readonly credentials: HaloCredentials,
    private readonly transport: HaloTransport,
    /** Epoch milliseconds. */
    private readonly nowMs: () => number,
    private readonly logger: HaloLogger,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token !== undefined && this.nowMs() < this.token.refreshAt) return this.token.value;
    this.tokenInFlight ??= this.fetchToken().finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  /** Drops the cached token if it is still the one that was refused (so concurrent 401s refresh once). */
  invalidate(refused: string): void {
    if (this.token?.value === refused) this.token = undefined;
  }

  /**
   * `GET /api/authinfo`: the auth server's URL and the instance's tenant (used when none is
   * configured), cached; falls back to the self-hosted `{base}/auth` when the answer has no URL.
   */
  private discoverAuthServer(): Promise<AuthServer> {
    const { baseUrl } = this.credentials;
    this.authServer ??= (async () => {
      const fallback = `${baseUrl}/auth`;
      const url = new URL(`${baseUrl}/api/authinfo`);
      const response = await this.transport.send({
        method: 'GET',
        url,
        headers: { Accept: 'application/json' },
        unsafe: false,
      });
      let info: { auth_url?: unknown; tenant_id?: unknown } = {};
      if (response.status >= 200 && response.status < 300) {
        try {
          const parsed = JSON.parse(response.text) as unknown;
          if (typeof parsed === 'object' && parsed !== null) info = parsed;
        } catch {
          // An unparseable discovery answer is treated like a missing one: use the fallback.
        }
      }
      const tenant =
        typeof info.tenant_id === 'string' && info.tenant_id.trim() !== ''
          ? info.tenant_id.trim()
          : undefined;
      if (typeof info.auth_url === 'string' && info.auth_url.trim() !== '') {
        return { url: info.auth_url.trim().replace(/\/+$/, ''), tenant };
      }
      this.logger.info(
        { status: response.status, authUrl: fallback },
        'HaloPSA auth discovery gave no auth_url; using the self-hosted default',
      );
      return { url: fallback, tenant };
    })().catch((error: unknown) => {
      // Let a later call retry discovery rather than caching the failure.
      this.authServer = undefined;
      throw error;
    });
    return this.authServer;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, tenant, scopes } = this.credentials;
    const server = await this.discoverAuthServer();
    const url = new URL(`${server.url}/token`);
    // A configured tenant wins; otherwise the one authinfo names (Halo-hosted instances).
    const sentTenant = tenant ?? server.tenant;
    if (sentTenant !== undefined) url.searchParams.set('tenant', sentTenant);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: scopes.join(' '),
    });
    const response = await this.transport.send({
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
    this.token = { value, refreshAt: this.nowMs() + expiresInMs - margin };
    this.logger.info({ expiresInS: expiresInMs / 1000 }, 'HaloPSA access token issued');
    return value;
  }
}
