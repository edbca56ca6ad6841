import { execFileSync } from 'node:child_process';
import { systemClock, type Clock } from '../../src/shared/clock';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A file the double holds, by its path under the drive root ("a/b/c.pdf"). */
export interface DoubleFile {
  path: string;
  content: Buffer;
  mimeType: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** A manifest activity type (`activities.activityTypes[]`). */
export interface ActivityTypeDeclaration {
  type: string;
  description: string;
  templateText: string;
}

/** A `sendActivityNotification` body the double accepted. */
export interface ActivityNotificationBody {
  topic: { source: 'text' | 'entityUrl'; value: string; webUrl?: string };
  activityType: string;
  previewText: { content: string };
  templateParameters: Array<{ name: string; value: string }>;
}

/** A request the double answered (for assertions on how the client behaved). */
export interface DoubleRequest {
  method: string;
  path: string;
  status: number;
  authorized: boolean;
}

interface Fault {
  status: 429 | 503 | 504;
  retryAfterSeconds: number | null;
  matches: (method: string, path: string) => boolean;
  remaining: number;
}

interface UploadSession {
  filePath: string;
  /** `@microsoft.graph.conflictBehavior: fail`: completing onto an existing file is a 409. */
  failOnConflict: boolean;
  received: Buffer[];
  nextExpected: number;
  total: number | null;
}

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  png: 'image/png',
  csv: 'text/csv',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** A self-signed certificate for IP 127.0.0.1, made with openssl (Node cannot issue certificates). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'graph-double-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } catch (error) {
    throw new Error(
      `The Graph double needs openssl on PATH to make its certificate: ${(error as Error).message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Microsoft Graph's drive API for one SharePoint site, over real HTTPS on 127.0.0.1, holding files in
 * memory by path: simple PUT `root:/{path}:/content`, `createUploadSession` + ranged PUTs (202 with
 * `nextExpectedRanges`, then 201 with the driveItem), `children`, `/content` (302 to a download URL,
 * like SharePoint). It checks the bearer token on every Graph call and can answer 429/503/504 on demand.
 */
export class GraphDouble {
  readonly files = new Map<string, DoubleFile>();
  readonly requests: DoubleRequest[] = [];
  /** Largest chunk a single upload-session PUT carried, and how many chunk PUTs there were. */
  readonly uploadStats = { chunks: 0, largestChunk: 0, sessions: 0 };
  readonly certificate: { key: string; cert: string };
  private readonly sessions = new Map<string, UploadSession>();
  private readonly downloads = new Map<string, string>();
  private faults: Fault[] = [];
  private drops: Array<{ matches: (method: string, path: string) => boolean; remaining: number }> =
    [];
  private lostAnswers: Array<{
    matches: (method: string, path: string) => boolean;
    remaining: number;
  }> = [];
  private server: Server | null = null;
  /** https://127.0.0.1:PORT/ (the Graph root, without version). */
  baseUrl = '';
  /** The page size of `children` when the client asks for none ($top). */
  pageSize = 100;
  /** Teams: the app's id in the tenant catalog (`installedApps` binds to it). */
  teamsAppCatalogId = 'catalog-control-tower';
  /** Teams: users the tenant's app policy does not let the app be installed for (403). */
  readonly installRefusedFor = new Set<string>();
  /** Teams: the catalog app ids installed per user. */
  readonly installedApps = new Map<string, Set<string>>();
  /** Teams: the installed manifest's activity types and their template texts. */
  readonly declaredActivityTypes = new Map<string, string>();
  /** Teams: activity-feed notifications accepted, in order. */
  readonly activityNotifications: Array<{ userId: string; body: ActivityNotificationBody }> = [];
  /** Teams: `sendActivityNotification` requests refused, with why. */
  readonly refusedNotifications: Array<{ userId: string; reason: string }> = [];

  /** Declares the activity types of a manifest (its `activities.activityTypes`). */
  declareActivityTypes(manifest: {
    activities?: { activityTypes?: ActivityTypeDeclaration[] };
  }): void {
    for (const t of manifest.activities?.activityTypes ?? []) {
      this.declaredActivityTypes.set(t.type, t.templateText);
    }
  }

  constructor(
    readonly siteId: string,
    readonly driveId: string,
    readonly acceptedToken: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.certificate = selfSignedCertificate();
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    this.server = createServer(
      { key: this.certificate.key, cert: this.certificate.cert },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
      },
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  /** The next `count` requests that match answer `status` (with Retry-After when given). */
  failNext(
    count: number,
    status: 429 | 503 | 504,
    retryAfterSeconds: number | null,
    matches: (method: string, path: string) => boolean = () => true,
  ): void {
    this.faults.push({ status, retryAfterSeconds, matches, remaining: count });
  }

  /** The next `count` matching requests get no answer: their connection is dropped. */
  dropNext(count: number, matches: (method: string, path: string) => boolean = () => true): void {
    this.drops.push({ matches, remaining: count });
  }

  /** The next `count` matching requests are carried out, but their answer is lost (connection dropped). */
  loseAnswerNext(
    count: number,
    matches: (method: string, path: string) => boolean = () => true,
  ): void {
    this.lostAnswers.push({ matches, remaining: count });
  }

  /** Paths of every file held, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === `Bearer ${this.acceptedToken}`;
    const lost = this.lostAnswers.find((l) => l.remaining > 0 && l.matches(method, url.pathname));
    if (lost !== undefined) lost.remaining -= 1;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      if (lost !== undefined) {
        this.requests.push({ method, path: url.pathname, status: 0, authorized });
        req.socket.destroy();
        return;
      }
      this.requests.push({ method, path: url.pathname, status, authorized });
      // restify (loaded by other suites in the same worker) patches writeHead process-wide and
      // returns nothing: never chain it.
      if (payload === undefined) {
        res.writeHead(status, headers);
        res.end();
      } else if (Buffer.isBuffer(payload)) {
        res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
        res.end(payload);
      } else {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      }
    };
    const fail = (status: number, code: string, message: string) =>
      send(status, { error: { code, message } });

    const drop = this.drops.find((d) => d.remaining > 0 && d.matches(method, url.pathname));
    if (drop !== undefined) {
      drop.remaining -= 1;
      this.requests.push({ method, path: url.pathname, status: 0, authorized });
      req.socket.destroy();
      return;
    }
    const fault = this.faults.find((f) => f.remaining > 0 && f.matches(method, url.pathname));
    if (fault !== undefined) {
      fault.remaining -= 1;
      const headers: Record<string, string> =
        fault.retryAfterSeconds === null ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      const code = fault.status === 429 ? 'activityLimitReached' : 'serviceNotAvailable';
      return send(fault.status, { error: { code, message: 'injected fault' } }, headers);
    }

    // Upload and download URLs are pre-authenticated (as in SharePoint): no bearer token needed.
    const upload = /^\/upload\/([0-9a-f]+)$/.exec(url.pathname);
    if (upload !== null) return this.handleUploadSession(method, upload[1]!, req, body, send, fail);
    const download = /^\/download\/([0-9a-f]+)$/.exec(url.pathname);
    if (download !== null && method === 'GET') {
      const file = this.files.get(this.downloads.get(download[1]!) ?? '');
      return file === undefined ? fail(404, 'itemNotFound', 'gone') : send(200, file.content);
    }

    if (!authorized)
      return fail(401, 'InvalidAuthenticationToken', 'Access token is missing or invalid.');
    const teamwork =
      /^\/v1\.0\/users\/([^/]+)\/teamwork\/(installedApps|sendActivityNotification)$/.exec(
        url.pathname,
      );
    if (teamwork !== null && method === 'POST') {
      const userId = decodeURIComponent(teamwork[1]!);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return fail(400, 'BadRequest', 'the body is not JSON');
      }
      return teamwork[2] === 'installedApps'
        ? this.handleInstall(userId, parsed, send, fail)
        : this.handleActivityNotification(userId, parsed, send, fail);
    }
    const item =
      /^\/v1\.0\/(?:sites\/([^/]+)\/drive|drives\/([^/]+))\/root:\/(.+):\/(content|children|createUploadSession)$/.exec(
        url.pathname,
      );
    if (item === null)
      return fail(400, 'invalidRequest', `the double does not serve ${url.pathname}`);
    const [, site, drive, rawPath, operation] = item;
    if (site !== undefined && decodeURIComponent(site) !== this.siteId) {
      return fail(404, 'itemNotFound', 'no such site');
    }
    if (drive !== undefined && decodeURIComponent(drive) !== this.driveId) {
      return fail(404, 'itemNotFound', 'no such drive');
    }
    const segments = rawPath!.split('/').map((s) => decodeURIComponent(s));
    if (segments.some((s) => s === '' || s === '.' || s === '..' || /["*:<>?\\|]/.test(s))) {
      return fail(400, 'invalidRequest', 'illegal path segment');
    }
    const itemPath = segments.join('/');

    if (operation === 'content' && method === 'PUT') {
      const existed = this.files.has(itemPath);
      if (existed && url.searchParams.get('@microsoft.graph.conflictBehavior') === 'fail') {
        return fail(409, 'nameAlreadyExists', 'The specified item name already exists.');
      }
      const file = this.store(itemPath, body);
      return send(existed ? 200 : 201, this.driveItem(file));
    }
    if (operation === 'content' && method === 'GET') {
      if (!this.files.has(itemPath))
        return fail(404, 'itemNotFound', 'The resource could not be found.');
      const token = randomBytes(12).toString('hex');
      this.downloads.set(token, itemPath);
      return send(302, undefined, { location: `${this.baseUrl}download/${token}` });
    }
    if (operation === 'createUploadSession' && method === 'POST') {
      let failOnConflict = false;
      try {
        const request = JSON.parse(body.toString('utf8') || '{}') as {
          item?: Record<string, unknown>;
        };
        failOnConflict = request.item?.['@microsoft.graph.conflictBehavior'] === 'fail';
      } catch {
        return fail(400, 'invalidRequest', 'the body is not JSON');
      }
      if (failOnConflict && this.files.has(itemPath)) {
        return fail(409, 'nameAlreadyExists', 'The specified item name already exists.');
      }
      const id = randomBytes(12).toString('hex');
      this.sessions.set(id, {
        filePath: itemPath,
        failOnConflict,
        received: [],
        nextExpected: 0,
        total: null,
      });
      this.uploadStats.sessions += 1;
      return send(200, {
        uploadUrl: `${this.baseUrl}upload/${id}`,
        expirationDateTime: new Date(this.clock.now().getTime() + 3_600_000).toISOString(),
        nextExpectedRanges: ['0-'],
      });
    }
    if (operation === 'children' && method === 'GET') {
      return this.handleChildren(itemPath, url, send, fail);
    }
    return fail(405, 'invalidRequest', `${method} not allowed on ${operation}`);
  }

  private handleInstall(
    userId: string,
    body: unknown,
    send: (status: number, payload?: unknown) => void,
    fail: (status: number, code: string, message: string) => void,
  ): void {
    const bind = (body as Record<string, unknown> | null)?.['teamsApp@odata.bind'];
    const match =
      typeof bind === 'string' ? /\/v1\.0\/appCatalogs\/teamsApps\/([^/]+)$/.exec(bind) : null;
    if (match === null) {
      return fail(400, 'BadRequest', 'teamsApp@odata.bind must name /appCatalogs/teamsApps/{id}');
    }
    if (match[1] !== this.teamsAppCatalogId)
      return fail(404, 'NotFound', 'no such app in the catalog');
    if (this.installRefusedFor.has(userId)) {
      return fail(
        403,
        'Forbidden',
        'the tenant app policy does not allow installing this app for the user',
      );
    }
    const apps = this.installedApps.get(userId) ?? new Set<string>();
    if (apps.has(match[1]))
      return fail(409, 'Conflict', 'the app is already installed for the user');
    apps.add(match[1]);
    this.installedApps.set(userId, apps);
    return send(201, { id: `${userId}-${match[1]}` });
  }

  /** Validates a request against Graph's `sendActivityNotification` schema and the manifest. */
  private handleActivityNotification(
    userId: string,
    body: unknown,
    send: (status: number, payload?: unknown) => void,
    fail: (status: number, code: string, message: string) => void,
  ): void {
    const reason = this.activityNotificationProblem(userId, body);
    if (reason !== null) {
      this.refusedNotifications.push({ userId, reason });
      return fail(reason.startsWith('403') ? 403 : 400, 'BadRequest', reason);
    }
    this.activityNotifications.push({ userId, body: body as ActivityNotificationBody });
    return send(204);
  }

  private activityNotificationProblem(userId: string, body: unknown): string | null {
    if (typeof body !== 'object' || body === null) return 'the body must be an object';
    const allowed = new Set([
      'topic',
      'activityType',
      'previewText',
      'templateParameters',
      'chainId',
      'teamsAppId',
    ]);
    const extra = Object.keys(body).filter((key) => !allowed.has(key));
    if (extra.length > 0) return `unknown properties: ${extra.join(', ')}`;
    const b = body as Record<string, unknown>;
    const topic = b.topic as Record<string, unknown> | undefined;
    if (typeof topic !== 'object' || topic === null) return 'topic is required';
    if (topic.source !== 'text' && topic.source !== 'entityUrl')
      return 'topic.source must be text or entityUrl';
    if (typeof topic.value !== 'string' || topic.value === '') return 'topic.value is required';
    if (
      topic.source === 'text' &&
      (typeof topic.webUrl !== 'string' || !/^https?:\/\//.test(topic.webUrl))
    ) {
      return 'topic.webUrl is required for a text topic';
    }
    if (typeof b.activityType !== 'string') return 'activityType is required';
    const template = this.declaredActivityTypes.get(b.activityType);
    if (template === undefined)
      return `activityType ${b.activityType} is not declared in the app manifest`;
    const preview = b.previewText as { content?: unknown } | undefined;
    if (typeof preview?.content !== 'string' || preview.content === '')
      return 'previewText.content is required';
    if (preview.content.length > 150) return 'previewText.content is longer than 150 characters';
    const parameters = b.templateParameters;
    if (!Array.isArray(parameters)) return 'templateParameters must be an array';
    const names = parameters.map((p) => (p as { name?: unknown }).name);
    if (parameters.some((p) => typeof (p as { value?: unknown }).value !== 'string')) {
      return 'every template parameter needs a string value';
    }
    const wanted = [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();
    if (JSON.stringify([...names].sort()) !== JSON.stringify(wanted)) {
      return `templateParameters ${JSON.stringify(names)} do not match the template's ${JSON.stringify(wanted)}`;
    }
    if (!this.installedApps.get(userId)?.has(this.teamsAppCatalogId)) {
      return '403: the app is not installed for the recipient';
    }
    return null;
  }

  private handleUploadSession(
    method: string,
    id: string,
    req: IncomingMessage,
    body: Buffer,
    send: (status: number, payload?: unknown) => void,
    fail: (status: number, code: string, message: string) => void,
  ): void {
    const session = this.sessions.get(id);
    if (session === undefined) return fail(404, 'itemNotFound', 'upload session not found');
    const status = () => ({
      expirationDateTime: new Date(this.clock.now().getTime() + 3_600_000).toISOString(),
      nextExpectedRanges: [`${session.nextExpected}-`],
    });
    if (method === 'GET') return send(200, status());
    if (method === 'DELETE') {
      this.sessions.delete(id);
      return send(204);
    }
    if (method !== 'PUT') return fail(405, 'invalidRequest', 'PUT, GET or DELETE');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
    if (range === null) return fail(400, 'invalidRequest', 'Content-Range required');
    const [from, to, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (from !== session.nextExpected || to - from + 1 !== body.length || to >= total) {
      return fail(416, 'invalidRange', `expected bytes from ${session.nextExpected}`);
    }
    if (body.length % (320 * 1024) !== 0 && to !== total - 1) {
      return fail(400, 'invalidRange', 'fragments must be multiples of 320 KiB');
    }
    session.total = total;
    session.received.push(body);
    session.nextExpected = to + 1;
    this.uploadStats.chunks += 1;
    this.uploadStats.largestChunk = Math.max(this.uploadStats.largestChunk, body.length);
    if (session.nextExpected < total) return send(202, status());
    this.sessions.delete(id);
    const existed = this.files.has(session.filePath);
    if (existed && session.failOnConflict) {
      return fail(409, 'nameAlreadyExists', 'The specified item name already exists.');
    }
    const file = this.store(session.filePath, Buffer.concat(session.received));
    return send(existed ? 200 : 201, this.driveItem(file));
  }

  private handleChildren(
    folder: string,
    url: URL,
    send: (status: number, payload?: unknown) => void,
    fail: (status: number, code: string, message: string) => void,
  ): void {
    const prefix = `${folder}/`;
    const files: DoubleFile[] = [];
    const folders = new Set<string>();
    for (const file of this.files.values()) {
      if (!file.path.startsWith(prefix)) continue;
      const rest = file.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) files.push(file);
      else folders.add(rest.slice(0, slash));
    }
    if (files.length === 0 && folders.size === 0) {
      return fail(404, 'itemNotFound', 'The resource could not be found.');
    }
    const children = [
      ...[...folders].sort().map((name) => ({ id: `folder:${prefix}${name}`, name, folder: {} })),
      ...files.sort((a, b) => a.path.localeCompare(b.path)).map((f) => this.driveItem(f)),
    ];
    const top = Number(url.searchParams.get('$top') ?? this.pageSize);
    const pageSize = Math.min(top, this.pageSize);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = children.slice(skip, skip + pageSize);
    const next = skip + pageSize < children.length ? new URL(url) : null;
    next?.searchParams.set('$skiptoken', String(skip + pageSize));
    return send(200, {
      value: page,
      ...(next === null ? {} : { '@odata.nextLink': next.toString() }),
    });
  }

  private store(filePath: string, content: Buffer): DoubleFile {
    const at = this.clock.now().toISOString();
    const extension = filePath.split('.').pop()?.toLowerCase() ?? '';
    const file: DoubleFile = {
      path: filePath,
      content,
      // SharePoint derives the type from the extension, whatever the upload said.
      mimeType: MIME_TYPES[extension] ?? 'application/octet-stream',
      createdDateTime: this.files.get(filePath)?.createdDateTime ?? at,
      lastModifiedDateTime: at,
    };
    this.files.set(filePath, file);
    return file;
  }

  private driveItem(file: DoubleFile): Record<string, unknown> {
    const name = file.path.split('/').pop()!;
    return {
      id: `item:${file.path}`,
      name,
      size: file.content.length,
      webUrl: `https://contoso.sharepoint.com/sites/tower/Shared%20Documents/${file.path
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
      createdDateTime: file.createdDateTime,
      lastModifiedDateTime: file.lastModifiedDateTime,
      file: { mimeType: file.mimeType },
      parentReference: { driveId: this.driveId, path: `/drive/root:/${file.path}` },
    };
  }
}
