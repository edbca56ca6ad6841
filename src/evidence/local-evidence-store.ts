import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
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
  MAX_EVIDENCE_BYTES,
  storedPathSegments,
} from './evidence-paths';

/** What the local store remembers beside each file (valid evidence names never start with a dot). */
interface LocalMeta {
  sha256: string;
  size: number;
  contentType: string;
  storedAt: string;
}

const metaName = (fileName: string): string => `.${fileName}.meta.json`;

/**
 * Demo-mode evidence: a folder tree under DATA_DIR. Each file is written to a temporary name, then
 * hard-linked to its own name, which fails when that name exists: atomic and never a replacement.
 */
export class LocalEvidenceStore implements EvidenceStore {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(
    root: string,
    private readonly clock: { now(): Date },
    /** Largest file accepted; defaults to MAX_EVIDENCE_BYTES. */
    private readonly maxBytes = MAX_EVIDENCE_BYTES,
  ) {
    this.root = path.resolve(root);
  }

  async put(
    location: EvidenceLocation,
    fileName: string,
    content: Buffer,
    contentType: string,
  ): Promise<StoredEvidenceFile> {
    assertValidFileName(fileName);
    assertAcceptableSize(fileName, content.length, this.maxBytes);
    const segments = evidenceFolderSegments(location);
    const folder = this.folderOf(segments);
    const meta: LocalMeta = {
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
      contentType,
      storedAt: this.clock.now().toISOString(),
    };
    try {
      await fs.mkdir(folder, { recursive: true });
      await createExclusively(path.join(folder, fileName), content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new EvidenceError(
          'EVIDENCE_EXISTS',
          `${[...segments, fileName].join('/')} exists already; evidence is never replaced.`,
        );
      }
      throw writeError(segments, fileName, this.root, error);
    }
    try {
      // After the bytes: list() checks the meta against them, so a crash here loses only the type.
      await writeAtomically(
        path.join(folder, metaName(fileName)),
        Buffer.from(JSON.stringify(meta)),
      );
    } catch (error) {
      throw writeError(segments, fileName, this.root, error);
    }
    return { path: [...segments, fileName].join('/'), name: fileName, webUrl: null, ...meta };
  }

  async get(location: EvidenceLocation, fileName: string): Promise<Buffer | null> {
    assertValidFileName(fileName);
    const folder = this.folderOf(evidenceFolderSegments(location));
    return readOrNull(path.join(folder, fileName));
  }

  async list(location: EvidenceLocation): Promise<StoredEvidenceFile[]> {
    const segments = evidenceFolderSegments(location);
    const folder = this.folderOf(segments);
    let entries: string[];
    try {
      entries = (await fs.readdir(folder, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => entry.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files: StoredEvidenceFile[] = [];
    for (const name of entries.sort((a, b) => a.localeCompare(b))) {
      const content = await readOrNull(path.join(folder, name));
      if (content === null) continue;
      const sha256 = createHash('sha256').update(content).digest('hex');
      const metaBytes = await readOrNull(path.join(folder, metaName(name)));
      const meta =
        metaBytes === null ? null : (JSON.parse(metaBytes.toString('utf8')) as LocalMeta);
      const stat = await fs.stat(path.join(folder, name));
      files.push({
        path: [...segments, name].join('/'),
        name,
        size: content.length,
        sha256,
        // Meta that does not match the bytes (a file replaced by hand) describes another file.
        contentType: meta?.sha256 === sha256 ? meta.contentType : 'application/octet-stream',
        webUrl: null,
        storedAt: meta?.sha256 === sha256 ? meta.storedAt : stat.mtime.toISOString(),
      });
    }
    return files;
  }

  async sha256Of(storedPath: string): Promise<string | null> {
    const file = path.resolve(this.root, ...storedPathSegments(storedPath));
    if (!file.startsWith(this.root + path.sep)) {
      throw new EvidenceError('EVIDENCE_INVALID_LOCATION', `Evidence path escapes ${this.root}.`);
    }
    const content = await readOrNull(file);
    return content === null ? null : createHash('sha256').update(content).digest('hex');
  }

  /** The folder of a location, checked to be inside the root whatever the names contain. */
  private folderOf(segments: string[]): string {
    const folder = path.resolve(this.root, ...segments);
    if (!folder.startsWith(this.root + path.sep)) {
      throw new EvidenceError('EVIDENCE_INVALID_LOCATION', `Evidence folder escapes ${this.root}.`);
    }
    return folder;
  }
}

async function writeAtomically(target: string, content: Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(temp, content, { flag: 'wx' });
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Writes `content` at `target` only if nothing is there (EEXIST otherwise), all or nothing. */
async function createExclusively(target: string, content: Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(temp, content, { flag: 'wx' });
    await fs.link(temp, target);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

function writeError(segments: string[], fileName: string, root: string, error: unknown) {
  return new EvidenceError(
    'EVIDENCE_UPSTREAM',
    `Could not write ${[...segments, fileName].join('/')} under ${root}: ${(error as Error).message}`,
    { cause: error },
  );
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
