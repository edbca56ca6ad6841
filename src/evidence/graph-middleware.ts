import https from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Sleep } from '../shared/clock';
import { parseRetryAfter } from '../shared/retry-after';

/** How the retry middleware behaves on throttling and transient failures. */
export interface GraphRetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Longest single wait; a larger Retry-After is capped to this. */
  maxDelayMs: number;
  /** First backoff when the answer carries no Retry-After (doubles each attempt, with jitter). */
  baseDelayMs: number;
  sleep: Sleep;
  /** Told about each retry (for logs); `status` 0 means the connection failed. */
  onRetry?: (info: { status: number; attempt: number; delayMs: number; url: string }) => void;
}

const RETRYABLE_STATUSES = new Set([429, 503, 504]);
// Connection failures worth another try (a dropped or refused connection, a DNS hiccup, a timeout).
// TLS failures are not among them: a certificate problem does not fix itself.
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** The Node error code of a failed request, looking through wrappers' `cause`. */
function networkCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e !== null && e !== undefined && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Retries Graph requests answered 429, 503 or 504 (honouring Retry-After) or lost to a connection
 * failure (backing off), a bounded number of times.
 * Ours rather than the SDK's RetryHandler: that one sleeps for real (untestable) and cannot report.
 * Every body we send is a Buffer or a string, so a request can be sent again as it is.
 */
export class GraphRetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly options: GraphRetryOptions) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (next === undefined) throw new Error('GraphRetryMiddleware needs a next middleware');
    for (let attempt = 1; ; attempt += 1) {
      try {
        await next.execute(context);
      } catch (error) {
        const code = networkCode(error);
        if (code === null || attempt >= this.options.maxAttempts) throw error;
        const delayMs = Math.min(this.backoff(attempt), this.options.maxDelayMs);
        this.options.onRetry?.({ status: 0, attempt, delayMs, url: urlOf(context) });
        await this.options.sleep(delayMs);
        continue;
      }
      const response = context.response;
      if (
        response === undefined ||
        !RETRYABLE_STATUSES.has(response.status) ||
        attempt >= this.options.maxAttempts
      ) {
        return;
      }
      const asked = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const delayMs = Math.min(asked ?? this.backoff(attempt), this.options.maxDelayMs);
      // Drain the refused answer so its socket is released before we ask again.
      await response.arrayBuffer().catch(() => undefined);
      this.options.onRetry?.({
        status: response.status,
        attempt,
        delayMs,
        url: urlOf(context),
      });
      await this.options.sleep(delayMs);
    }
  }

  /** Exponential backoff with jitter, for answers without Retry-After and for connection failures. */
  private backoff(attempt: number): number {
    return this.options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
  }
}

const urlOf = (context: Context): string =>
  typeof context.request === 'string' ? context.request : context.request.url;

/** Options of the HTTPS transport. */
export interface HttpsTransportOptions {
  /** Extra trusted CA certificates (PEM); undefined = the system's trust store only. */
  ca?: string | Buffer;
  /** Gives up on a request with no answer after this long. */
  timeoutMs: number;
}

/**
 * The last middleware: sends the request with node:https and hands back a fetch `Response`.
 * Why not the SDK's fetch handler: Node's built-in fetch cannot be given a CA at run time, and the
 * test double's self-signed certificate must be trusted without restarting the process. Using the same
 * transport in production keeps the tested path and the deployed path one and the same.
 */
export class HttpsTransport implements Middleware {
  constructor(private readonly options: HttpsTransportOptions) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options ?? {};
    const headers = flattenHeaders(init.headers);
    const body = await bodyBytes(init.body);
    if (body !== null) headers['content-length'] = String(body.length);
    // Errors (a reset keep-alive socket, a timeout) go up to GraphRetryMiddleware, which retries.
    context.response = await this.send(url, init.method ?? 'GET', headers, body);
  }

  private send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | null,
  ): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      const request = https.request(
        url,
        {
          method,
          headers,
          ca: this.options.ca,
          timeout: this.options.timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const status = incoming.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value === undefined) continue;
              for (const item of Array.isArray(value) ? value : [value]) {
                responseHeaders.append(name, item);
              }
            }
            const noBody = status === 204 || status === 205 || status === 304;
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), {
                status,
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(
          Object.assign(
            new Error(`no answer from ${new URL(url).host} within ${this.options.timeoutMs} ms`),
            { code: 'ETIMEDOUT' },
          ),
        ),
      );
      request.on('error', reject);
      request.end(body ?? undefined);
    });
  }
}

function flattenHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  if (headers === undefined) return flat;
  new Headers(headers).forEach((value, name) => {
    flat[name] = value;
  });
  return flat;
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Buffer | null> {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new Error('HttpsTransport sends only string, Buffer, ArrayBuffer or Blob bodies');
}
