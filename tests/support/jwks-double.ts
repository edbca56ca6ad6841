import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Bot Framework channel token issuer. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

/** Claims a test token carries (any can be overridden or removed with undefined). */
export interface TokenClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/**
 * Serves OpenID metadata and a JWKS on 127.0.0.1 under a fresh random path (the SDK caches metadata per
 * URL for the whole process), and signs RS256 tokens with its own key, as the Bot Connector would.
 */
export class JwksDouble {
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly kid: string;
  private readonly prefix = `/run-${randomBytes(6).toString('hex')}`;
  private server: Server | null = null;
  url = '';

  constructor(endorsements: string[] = ['msteams']) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.kid = createHash('sha256').update(randomBytes(16)).digest('hex').slice(0, 16);
    this.publicJwk = {
      ...publicKey.export({ format: 'jwk' }),
      kid: this.kid,
      use: 'sig',
      alg: 'RS256',
      endorsements,
    };
  }

  /** The OpenID metadata URL to configure as `ToBotFromChannelOpenIdMetadataUrl`. */
  get metadataUrl(): string {
    return `${this.url}${this.prefix}/openidconfiguration`;
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === `${this.prefix}/openidconfiguration`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${this.url}${this.prefix}/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          }),
        );
      } else if (path === `${this.prefix}/keys`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [this.publicJwk] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** A channel token for `appId` and `serviceUrl`, valid for an hour; `overrides` change claims. */
  token(appId: string, serviceUrl: string, overrides: TokenClaims = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      iss: CHANNEL_ISSUER,
      aud: appId,
      serviceurl: serviceUrl,
      iat: now - 10,
      nbf: now - 10,
      exp: now + 3600,
      ...overrides,
    };
    return this.signWith(this.privateKey, claims);
  }

  /** The same token signed by a key the JWKS does not hold (same kid): a forgery. */
  forgedToken(appId: string, serviceUrl: string): string {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    return this.signWith(privateKey, {
      iss: CHANNEL_ISSUER,
      aud: appId,
      serviceurl: serviceUrl,
      nbf: now - 10,
      exp: now + 3600,
    });
  }

  /** An unsigned token (`alg: none`) with otherwise valid claims. */
  unsignedToken(appId: string, serviceUrl: string): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: this.kid }));
    const payload = b64url(
      JSON.stringify({
        iss: CHANNEL_ISSUER,
        aud: appId,
        serviceurl: serviceUrl,
        nbf: now - 10,
        exp: now + 3600,
      }),
    );
    return `${header}.${payload}.`;
  }

  private signWith(key: KeyObject, claims: TokenClaims): string {
    const header = b64url(
      JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid }),
    );
    const payload = b64url(JSON.stringify(claims));
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key);
    return `${header}.${payload}.${b64url(signature)}`;
  }
}
