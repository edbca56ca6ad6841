/**
 * Response headers every answer carries (issue 16): the tab may be framed only by Teams and the
 * Microsoft 365 hosts that run Teams apps (Microsoft's tab requirements list them), never sniffed,
 * never leaking its URLs in a Referer; HTTPS is pinned in production. Request bodies are bounded per
 * route before anything reads them: small for everything, large only for the evidence upload.
 */
import { EVIDENCE_UPLOAD_BODY_BYTES } from '../shared/evidence-upload-limits';

/** Hosts allowed to frame the tab (Teams, Microsoft 365, Outlook; `*.cloud.microsoft` for the new domain). */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
] as const;

/** The headers for one response. Demo mode also lets the local Agents Playground frame the tab. */
export function securityHeaders(mode: 'demo' | 'production'): Record<string, string> {
  const ancestors = [
    "'self'",
    ...TEAMS_FRAME_ANCESTORS,
    ...(mode === 'demo' ? ['http://localhost:*', 'http://127.0.0.1:*'] : []),
  ];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // Fluent UI injects its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    ...(mode === 'production'
      ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
}

/** The largest limit of any route (the evidence upload's): what the body parser itself is given. */
export const MAX_BODY_BYTES = EVIDENCE_UPLOAD_BODY_BYTES;

/** Largest request body a route accepts, in bytes (the only large one is the evidence upload). */
export function bodyLimitFor(path: string): number {
  if (path === '/api/v1/gates/evidence') return MAX_BODY_BYTES;
  if (path === '/api/halo/webhook') return 1024 * 1024;
  return 256 * 1024;
}
