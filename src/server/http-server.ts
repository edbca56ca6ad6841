import restify, { type Next, type Request, type Response, type Server } from 'restify';
import type { AppLogger } from '../observability/logger';
import type { AppMetrics } from '../observability/metrics';
import { bodyLimitFor, MAX_BODY_BYTES, securityHeaders } from './security-headers';

/** What /readyz reports: ready only when the database answers and a sync has succeeded. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

/** A handler for one JSON route, kept free of restify types so use cases stay testable. */
export type JsonHandler = (request: {
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
}) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;

/** A route the composition root mounts on the one server. */
export interface Route {
  method: 'get' | 'post' | 'put' | 'del';
  path: string;
  handler: JsonHandler;
}

/** Everything the HTTP server needs; the composition root provides it. */
export interface HttpServerDeps {
  logger: AppLogger;
  metrics: AppMetrics;
  readiness: () => Promise<Readiness>;
  /** Refreshes the gauges a scrape reads (cheaper than `readiness`); none when absent. */
  refreshMetrics?: () => Promise<void>;
  routes: Route[];
  /** Production pins HTTPS (HSTS); demo lets the local Agents Playground frame the tab. */
  mode?: 'demo' | 'production';
}

/** Creates the one restify server: health, readiness, metrics and the mounted JSON routes. */
export function createHttpServer(deps: HttpServerDeps): Server {
  const server = restify.createServer({ name: 'control-tower', handleUncaughtExceptions: false });
  const headers = securityHeaders(deps.mode ?? 'demo');
  server.pre((req: Request, res: Response, next: Next) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Bodies are bounded per route before anything reads them (and before authentication).
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const limit = bodyLimitFor(req.getPath());
      const length = req.headers['content-length'];
      const chunked = req.headers['transfer-encoding'] !== undefined;
      if (length === undefined ? chunked && limit < MAX_BODY_BYTES : Number(length) > limit) {
        res.setHeader('Connection', 'close');
        res.send(length === undefined ? 411 : 413, {
          error: {
            code: length === undefined ? 'LENGTH_REQUIRED' : 'TOO_LARGE',
            message:
              length === undefined
                ? 'Send a Content-Length with the body.'
                : `Bodies on this route are limited to ${limit} bytes.`,
          },
        });
        return next(false);
      }
    }
    return next();
  });
  server.pre((req: Request, res: Response, next: Next) => {
    // A path or query that does not decode, or that carries NUL, is refused before any route sees it.
    const problem = undecodable(req.url ?? '/');
    if (problem === null) return next();
    res.send(400, { error: { code: 'BAD_REQUEST', message: problem } });
    return next(false);
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES }));
  server.use((req: Request, res: Response, next: Next) => {
    // PostgreSQL cannot store NUL in text: refuse it at the edge for every route (API, bot, webhook).
    if (!containsNul(req.body)) return next();
    res.send(400, {
      error: { code: 'BAD_REQUEST', message: 'Text may not contain NUL characters.' },
    });
    return next(false);
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const readiness = await deps.readiness().catch((error: unknown) => ({
      ready: false,
      checks: { error: error instanceof Error ? error.message : String(error) },
    }));
    res.send(readiness.ready ? 200 : 503, {
      status: readiness.ready ? 'ready' : 'not ready',
      ...readiness.checks,
    });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    // Sync age, HaloPSA reachability and backlogs are read at scrape time, not per event.
    await deps
      .refreshMetrics?.()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics refresh failed'));
    const body = await deps.metrics.registry.metrics();
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.sendRaw(200, body);
  });

  for (const route of deps.routes) {
    server[route.method](route.path, async (req: Request, res: Response) => {
      const log = deps.logger.child({ requestId: req.id(), route: route.path });
      try {
        const result = await route.handler({
          body: req.body,
          headers: req.headers,
          params: (req.params ?? {}) as Record<string, string>,
          query: (req.query ?? {}) as Record<string, string | string[] | undefined>,
        });
        for (const [name, value] of Object.entries(result.headers ?? {}))
          res.setHeader(name, value);
        res.send(result.status, result.body);
      } catch (error) {
        log.error({ err: error }, 'route failed');
        res.send(500, { error: 'internal error', requestId: req.id() });
      }
    });
  }
  return server;
}

/** Why a request URL is unusable (broken percent-encoding, NUL), or null. */
function undecodable(url: string): string | null {
  try {
    const decoded = decodeURIComponent(url.replace(/\+/g, ' '));
    return decoded.includes('\u0000') ? 'The address may not contain NUL characters.' : null;
  } catch {
    return 'The address has a broken percent-encoding.';
  }
}

/** True when any string (or key) in a parsed JSON body contains NUL. */
function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Buffer.isBuffer(value)) return false;
  // for…in rather than Object.entries: every request's body passes here, and entries() builds an
  // array per object. Parsed JSON has no inherited enumerable keys.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (key.includes('\u0000') || containsNul(record[key], depth + 1)) return true;
  }
  return false;
}

/** Starts listening; resolves with the bound port (useful when `port` is 0 in tests). */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return address.port;
}
