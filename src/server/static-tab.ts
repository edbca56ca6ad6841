/**
 * Serves the built Teams tab (`dist/tab`, made by `npm run build:tab`) on the one restify server:
 * hashed assets as immutable, `index.html` never cached, and `index.html` for every other non-API path
 * so deep links (`/projects/12`, `/config`, `/renewals`) load the single-page app.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, Response, Server } from 'restify';

/** Where the tab's built files are; the default finds `dist/tab` beside the repository's package.json. */
export interface StaticTabOptions {
  distDir?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg', '.txt']);
/** Paths the server answers itself: never shadowed by the single-page app. */
const SERVER_PREFIXES = ['/api/', '/healthz', '/readyz', '/metrics'];

interface CachedFile {
  mtimeMs: number;
  body: Buffer;
  gzipped: Buffer | null;
}

/** Mounts GET/HEAD for `/` and every path the server does not otherwise route. */
export function mountStaticTab(server: Server, options: StaticTabOptions = {}): void {
  const distDir = path.resolve(options.distDir ?? defaultDistDir());
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | null> => {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(file);
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      body,
      gzipped: COMPRESSIBLE.has(path.extname(file)) && body.length > 1024 ? gzipSync(body) : null,
    };
    cache.set(file, entry);
    return entry;
  };

  const handler = async (req: Request, res: Response) => {
    const pathname = safePathname(req.url ?? '/');
    if (pathname === null || SERVER_PREFIXES.some((p) => pathname.startsWith(p))) {
      res.send(404, { error: { code: 'NOT_FOUND', message: `No route for ${req.url ?? ''}` } });
      return;
    }
    if (!existsSync(path.join(distDir, 'index.html'))) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.sendRaw(
        503,
        '<!doctype html><title>Control Tower tab not built</title>' +
          '<p>The tab is not built yet: run <code>npm run build:tab</code> ' +
          '(<code>npm start</code> does it for you), then reload.</p>',
      );
      return;
    }

    const requested = path.join(distDir, pathname);
    const insideDist = requested.startsWith(distDir + path.sep);
    const asset = insideDist && pathname !== '/' ? await load(requested) : null;
    if (asset === null && (pathname.startsWith('/assets/') || !insideDist)) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.sendRaw(404, `Not found: ${pathname}`);
      return;
    }
    const file = asset ? requested : path.join(distDir, 'index.html');
    const entry = asset ?? (await load(file));
    if (entry === null) {
      res.send(404, { error: { code: 'NOT_FOUND', message: 'index.html is missing' } });
      return;
    }
    const ext = path.extname(file);
    res.setHeader('Content-Type', CONTENT_TYPES[ext] ?? 'application/octet-stream');
    res.setHeader(
      'Cache-Control',
      pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Vary', 'Accept-Encoding');
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = entry.gzipped && acceptsGzip ? entry.gzipped : entry.body;
    if (body === entry.gzipped) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.sendRaw(200, body);
  };

  for (const route of ['/', '/*']) {
    server.get(route, handler);
    server.head(route, handler);
  }
}

/** The URL's decoded path, or null when it cannot be decoded or tries to climb out (`..`). */
function safePathname(url: string): string | null {
  try {
    const pathname = decodeURIComponent(new URL(url, 'http://tab.invalid').pathname);
    if (pathname.includes('\0') || pathname.split('/').includes('..')) return null;
    return pathname;
  } catch {
    return null;
  }
}

function defaultDistDir(): string {
  // src/server (tsx) or dist/src/server (compiled): the first ancestor with a package.json is the repo
  // (or the deploy artefact's root), and the build puts the tab in its dist/tab.
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return path.join(dir, 'dist', 'tab');
}
