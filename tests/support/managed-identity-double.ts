import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One token request the double answered. */
export interface IdentityRequest {
  resource: string;
  clientId: string | null;
}

/**
 * The App Service managed-identity endpoint on 127.0.0.1 (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, API
 * version 2019-08-01), as @azure/identity and the Bot Framework SDK call it inside App Service: a GET
 * with `resource` and `client_id`, the secret header, and a JSON token answer. Tokens per resource are
 * configured by the test (Graph gets the token the Graph double accepts).
 */
export class ManagedIdentityDouble {
  readonly requests: IdentityRequest[] = [];
  readonly header = `identity-header-${process.pid}`;
  private server: Server | null = null;
  url = '';

  constructor(private readonly tokens: (resource: string) => string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const resource = url.searchParams.get('resource') ?? '';
      if (req.headers['x-identity-header'] !== this.header || resource === '') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request' }));
        return;
      }
      this.requests.push({ resource, clientId: url.searchParams.get('client_id') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: this.tokens(resource),
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource,
          token_type: 'Bearer',
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
