import { request } from 'node:http';
import { Writable } from 'node:stream';
import type { Server } from 'restify';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import {
  EVIDENCE_UPLOAD_BODY_BYTES,
  MAX_EVIDENCE_UPLOAD_BYTES,
} from '../shared/evidence-upload-limits';
import { createHttpServer, listen } from './http-server';

const quiet = new Writable({ write: (_c, _e, done) => done() });

describe.each(['demo', 'production'] as const)('security headers and body limits (%s)', (mode) => {
  let server: Server;
  let url: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const handler = async (input: { body: unknown }) => {
      seen.push(JSON.stringify(input.body).slice(0, 20));
      return { status: 201, body: { ok: true } };
    };
    server = createHttpServer({
      logger: createLogger('silent', {}, quiet),
      metrics: createMetrics(),
      readiness: async () => ({ ready: true, checks: {} }),
      routes: [
        { method: 'post', path: '/api/v1/projects', handler },
        { method: 'post', path: '/api/v1/gates/evidence', handler },
      ],
      mode,
    });
    url = `http://127.0.0.1:${await listen(server, 0)}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('every answer carries CSP with the Teams frame ancestors, Referrer-Policy and nosniff', async () => {
    const response = await fetch(`${url}/healthz`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(
      "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com",
    );
    expect(csp).toContain('https://*.cloud.microsoft');
    expect(csp).toContain("script-src 'self'");
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toBe(
      mode === 'production' ? 'max-age=31536000; includeSubDomains' : null,
    );
    expect(csp.includes('http://localhost:*')).toBe(mode === 'demo');
  });

  /**
   * Announces a body of `bytes` and sends none of it: the server must answer from the headers
   * alone (a refusal never waits for, nor reads, the body).
   */
  const announce = (path: string, bytes: number) =>
    new Promise<{ status: number; body: { error: { code: string; message: string } } }>(
      (resolve, reject) => {
        const req = request(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(bytes) },
        });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );

  test('a 10 MB body to an ordinary route is refused with 413 before it is read', async () => {
    seen.length = 0;
    const answer = await announce('/api/v1/projects', 10 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('TOO_LARGE');
    expect(seen).toEqual([]);
  });

  test('the evidence upload route refuses a body past its one limit, derived from the file limit', async () => {
    seen.length = 0;
    expect(EVIDENCE_UPLOAD_BODY_BYTES).toBe(
      4 * Math.ceil(MAX_EVIDENCE_UPLOAD_BYTES / 3) + 64 * 1024,
    );
    const answer = await announce('/api/v1/gates/evidence', EVIDENCE_UPLOAD_BODY_BYTES + 1);
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toContain(`limited to ${EVIDENCE_UPLOAD_BODY_BYTES} bytes`);
    expect(seen).toEqual([]);
  });

  test('a chunked body without a length is refused on ordinary routes', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/v1/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"a":');
      req.end('1}');
    });
    expect(status).toBe(411);
  });

  test('the evidence upload route takes a large body; small bodies pass everywhere', async () => {
    seen.length = 0;
    const upload = await fetch(`${url}/api/v1/gates/evidence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contentBase64: 'A'.repeat(3 * 1024 * 1024) }),
    });
    expect(upload.status).toBe(201);
    const small = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ok' }),
    });
    expect(small.status).toBe(201);
    expect(seen).toHaveLength(2);
  });

  test.each([
    ['a NUL in the body', '/api/v1/projects', JSON.stringify({ name: 'a\u0000b' })],
    ['a NUL in a body key', '/api/v1/projects', '{"a\\u0000":1}'],
    ['a NUL in the query', '/api/v1/projects?q=%00', '{}'],
    ['a broken percent-encoding', '/api/v1/%E0%A4%A', '{}'],
  ])('%s → 400 and no route runs', async (_name, path, body) => {
    seen.length = 0;
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect(seen).toEqual([]);
  });
});
