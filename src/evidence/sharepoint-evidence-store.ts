import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  GraphError,
  LargeFileUploadTask,
  RedirectHandler,
  ResponseType,
  type AuthenticationProvider,
  type FileObject,
  type Range,
  type UploadResult,
} from '@microsoft/microsoft-graph-client';
import type {
  EvidenceLocation,
  EvidenceStore,
  StoredEvidenceFile,
} from '../app/gates/evidence-store.port';
import {
  assertAcceptableSize,
  assertValidFileName,
  EvidenceError,
  evidenceFolderSegments,
  storedPathSegments,
} from './evidence-paths';
import { realSleep, type Sleep } from '../shared/clock';
import { GraphRetryMiddleware, HttpsTransport } from './graph-middleware';

/** Files up to this size go in one PUT; larger ones through an upload session (Graph's advice: 4 MB). */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
/** Upload session slice: a multiple of 320 KiB, as Graph requires. */
export const UPLOAD_SLICE_BYTES = 10 * 320 * 1024;
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const MAX_RESUMES = 2;

/** Settings of the SharePoint adapter. */
export interface SharePointEvidenceStoreOptions {
  /** Graph site id (`host,siteCollectionId,webId` or as Graph returns it). */
  siteId: string;
  /** Document library (drive) id; null = the site's default library. */
  driveId: string | null;
  /** App-only credential (client secret or managed identity). */
  credential: TokenCredential;
  /** Graph root without version; tests point it at the double. Default https://graph.microsoft.com/ */
  graphBaseUrl?: string;
  /** Extra CA certificates to trust (tests: the double's self-signed certificate). */
  ca?: string | Buffer;
  /** Retry tuning; defaults: 5 attempts, waits capped at 30 s. */
  retry?: { maxAttempts?: number; maxDelayMs?: number; baseDelayMs?: number; sleep?: Sleep };
  /** Told about each throttling retry. */
  onRetry?: (info: { status: number; attempt: number; delayMs: number; url: string }) => void;
  clock: { now(): Date };
  /** Largest file accepted; defaults to MAX_EVIDENCE_BYTES. */
  maxBytes?: number;
  /** Per-request timeout. Default 120 s. */
  timeoutMs?: number;
}

interface DriveItem {
  id?: string;
  name?: string;
  size?: number;
  webUrl?: string;
  lastModifiedDateTime?: string;
  createdDateTime?: string;
  file?: { mimeType?: string };
  folder?: unknown;
}

/** Asks the credential for an app-only Graph token on every request (the credential caches it). */
class CredentialAuthProvider implements AuthenticationProvider {
  constructor(private readonly credential: TokenCredential) {}
  async getAccessToken(): Promise<string> {
    const token = await this.credential.getToken(GRAPH_SCOPE);
    if (token === null) throw new Error('the Graph credential returned no token');
    return token.token;
  }
}

/** A Buffer as the upload task's file object; slices stay Buffers (the SDK copies other views whole). */
function bufferFile(name: string, content: Buffer): FileObject<Buffer> {
  return {
    content,
    name,
    size: content.length,
    sliceFile: (range: Range) => content.subarray(range.minValue, range.maxValue + 1),
  };
}

/** Evidence in a SharePoint document library through Microsoft Graph (app-only). */
export class SharePointEvidenceStore implements EvidenceStore {
  readonly kind = 'sharepoint' as const;
  private readonly client: Client;
  private readonly drive: string;

  constructor(private readonly options: SharePointEvidenceStoreOptions) {
    const baseUrl = options.graphBaseUrl ?? 'https://graph.microsoft.com/';
    const auth = new AuthenticationHandler(new CredentialAuthProvider(options.credential));
    const retry = new GraphRetryMiddleware({
      maxAttempts: options.retry?.maxAttempts ?? 5,
      maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
      baseDelayMs: options.retry?.baseDelayMs ?? 1_000,
      sleep: options.retry?.sleep ?? realSleep,
      onRetry: options.onRetry,
    });
    const redirect = new RedirectHandler();
    const transport = new HttpsTransport({
      ca: options.ca,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    auth.setNext(retry);
    retry.setNext(redirect);
    redirect.setNext(transport);
    this.client = Client.initWithMiddleware({
      middleware: auth,
      baseUrl,
      defaultVersion: 'v1.0',
      // The SDK attaches the bearer token only to Graph hosts and these.
      customHosts: new Set([new URL(baseUrl).hostname]),
    });
    this.drive =
      options.driveId === null
        ? `/sites/${encodeURIComponent(options.siteId)}/drive`
        : `/drives/${encodeURIComponent(options.driveId)}`;
  }

  async put(
    location: EvidenceLocation,
    fileName: string,
    content: Buffer,
    contentType: string,
  ): Promise<StoredEvidenceFile> {
    assertValidFileName(fileName);
    assertAcceptableSize(fileName, content.length, this.options.maxBytes);
    const segments = [...evidenceFolderSegments(location), fileName];
    const item = this.itemPath(segments);
    const sha256 = createHash('sha256').update(content).digest('hex');
    let stored: DriveItem;
    try {
      if (content.length <= SIMPLE_UPLOAD_LIMIT) {
        // Write-once: Graph answers 409 instead of replacing a file of that name.
        stored = (await this.client
          .api(`${item}:/content`)
          .query({ '@microsoft.graph.conflictBehavior': 'fail' })
          .header('Content-Type', contentType)
          .put(content)) as DriveItem;
      } else {
        const session = await LargeFileUploadTask.createUploadSession(
          this.client,
          `${item}:/createUploadSession`,
          { item: { '@microsoft.graph.conflictBehavior': 'fail' } },
        );
        const task = new LargeFileUploadTask(this.client, bufferFile(fileName, content), session, {
          rangeSize: UPLOAD_SLICE_BYTES,
        });
        stored = (await uploadWithResume(task)).responseBody as DriveItem;
      }
    } catch (error) {
      if (isConflict(error)) {
        throw new EvidenceError(
          'EVIDENCE_EXISTS',
          `${segments.join('/')} exists already; evidence is never replaced.`,
          { cause: error, status: 409 },
        );
      }
      throw upstreamError(`storing ${segments.join('/')}`, error);
    }
    if (stored.size !== undefined && stored.size !== content.length) {
      throw new EvidenceError(
        'EVIDENCE_UPSTREAM',
        `SharePoint stored ${stored.size} bytes of ${segments.join('/')} instead of ${content.length}.`,
      );
    }
    return {
      path: segments.join('/'),
      name: fileName,
      size: content.length,
      sha256,
      contentType: stored.file?.mimeType ?? contentType,
      webUrl: stored.webUrl ?? null,
      storedAt: stored.lastModifiedDateTime ?? this.options.clock.now().toISOString(),
    };
  }

  async get(location: EvidenceLocation, fileName: string): Promise<Buffer | null> {
    assertValidFileName(fileName);
    return this.read([...evidenceFolderSegments(location), fileName]);
  }

  async sha256Of(storedPath: string): Promise<string | null> {
    const content = await this.read(storedPathSegments(storedPath));
    return content === null ? null : createHash('sha256').update(content).digest('hex');
  }

  private async read(segments: string[]): Promise<Buffer | null> {
    try {
      const bytes = (await this.client
        .api(`${this.itemPath(segments)}:/content`)
        .responseType(ResponseType.ARRAYBUFFER)
        .get()) as ArrayBuffer;
      return Buffer.from(bytes);
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 404) return null;
      throw upstreamError(`reading ${segments.join('/')}`, error);
    }
  }

  /**
   * Lists the folder. SharePoint keeps no SHA-256 of a file, so each file is read once to hash it:
   * a gate's evidence is a handful of files, and the hash is what makes the list trustworthy.
   */
  async list(location: EvidenceLocation): Promise<StoredEvidenceFile[]> {
    const segments = evidenceFolderSegments(location);
    const items: DriveItem[] = [];
    try {
      let page = (await this.client
        .api(`${this.itemPath(segments)}:/children`)
        .select(['id', 'name', 'size', 'webUrl', 'lastModifiedDateTime', 'file', 'folder'])
        .top(200)
        .get()) as { value?: DriveItem[]; '@odata.nextLink'?: string };
      for (;;) {
        items.push(...(page.value ?? []));
        const nextLink = page['@odata.nextLink'];
        if (nextLink === undefined) break;
        page = (await this.client.api(nextLink).get()) as typeof page;
      }
    } catch (error) {
      if (error instanceof GraphError && error.statusCode === 404) return [];
      throw upstreamError(`listing ${segments.join('/')}`, error);
    }
    const files: StoredEvidenceFile[] = [];
    for (const item of items) {
      if (item.file === undefined || item.name === undefined) continue;
      // Read by path, not via get(): a name someone put there by hand may not pass our validation.
      const content = await this.read([...segments, item.name]);
      if (content === null) continue; // deleted between the listing and the read
      files.push({
        path: [...segments, item.name].join('/'),
        name: item.name,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        contentType: item.file.mimeType ?? 'application/octet-stream',
        webUrl: item.webUrl ?? null,
        storedAt: item.lastModifiedDateTime ?? item.createdDateTime ?? '',
      });
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `/sites/{id}/drive/root:/a/b/c` with each segment percent-encoded. */
  private itemPath(segments: string[]): string {
    return `${this.drive}/root:/${segments.map(encodeURIComponent).join('/')}`;
  }
}

/**
 * Runs an upload session to the end. When a slice fails for good (its answer lost and the resend
 * refused as out of range, or retries exhausted), asks the session which bytes it still expects and
 * goes on from there, at most MAX_RESUMES times.
 */
async function uploadWithResume(task: LargeFileUploadTask<Buffer>): Promise<UploadResult> {
  for (let resumes = 0; ; resumes += 1) {
    try {
      return resumes === 0 ? await task.upload() : ((await task.resume()) as UploadResult);
    } catch (error) {
      if (resumes >= MAX_RESUMES) throw error;
    }
  }
}

/** Graph's "that name is taken" (409 nameAlreadyExists), from a PUT or an upload session. */
function isConflict(error: unknown): boolean {
  if (error instanceof GraphError) return error.statusCode === 409;
  const code = (error as { error?: { code?: unknown } } | null)?.error?.code;
  return code === 'nameAlreadyExists';
}

function upstreamError(action: string, error: unknown): EvidenceError {
  if (error instanceof EvidenceError) return error;
  const status = error instanceof GraphError && error.statusCode > 0 ? error.statusCode : undefined;
  return new EvidenceError(
    'EVIDENCE_UPSTREAM',
    `SharePoint failed ${action} (${describe(error)}).`,
    {
      cause: error,
      status,
    },
  );
}

/** One line about a Graph failure, whichever of its shapes the SDK produced. */
function describe(error: unknown): string {
  if (error instanceof GraphError) {
    const where = error.statusCode > 0 ? `HTTP ${error.statusCode}` : 'no answer';
    // A transport failure arrives with an empty message and the original error as text in `body`.
    const what = error.message !== '' ? error.message : String(error.body ?? '');
    return `${where}${error.code ? ` ${error.code}` : ''}: ${what}`;
  }
  // The upload task rethrows a refused slice's parsed body: {error: {code, message}}.
  const body = (error as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (body !== undefined && body !== null) return `${String(body.code)}: ${String(body.message)}`;
  return error instanceof Error ? error.message : JSON.stringify(error);
}
