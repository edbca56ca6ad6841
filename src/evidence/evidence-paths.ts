/**
 * What both evidence stores share: failures, limits, name validation and the folder layout of a
 * location (the port is src/app/gates/evidence-store.port.ts).
 */
import type { EvidenceLocation } from '../app/gates/evidence-store.port';
import {
  ILLEGAL_CHARACTERS,
  MAX_FILE_NAME_LENGTH,
  RESERVED_NAMES,
  toSafeNamePart,
  UNPAIRED_SURROGATES,
} from '../domain/gates/evidence-file-name';

export type EvidenceErrorCode =
  | 'EVIDENCE_EXISTS'
  | 'EVIDENCE_INVALID_NAME'
  | 'EVIDENCE_INVALID_LOCATION'
  | 'EVIDENCE_TOO_LARGE'
  | 'EVIDENCE_UPSTREAM';

/** An evidence store failure: `kind` says whether the caller's input was wrong or the store failed. */
export class EvidenceError extends Error {
  readonly kind: 'user' | 'operational';
  constructor(
    readonly code: EvidenceErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvidenceError';
    this.kind = code === 'EVIDENCE_UPSTREAM' ? 'operational' : 'user';
    this.status = options?.status ?? null;
  }
  /** HTTP status of the upstream failure, when there was one. */
  readonly status: number | null;
}

/** The root folder every evidence path starts with. */
export const EVIDENCE_ROOT_FOLDER = 'Control Tower Evidence';

/** Largest file the stores accept (SharePoint allows more; evidence never needs it). */
export const MAX_EVIDENCE_BYTES = 250 * 1024 * 1024;

/** Throws EvidenceError unless `name` is a plain file name the stores accept unchanged. */
export function assertValidFileName(name: string): void {
  const problems: string[] = [];
  if (name.length === 0) problems.push('it is empty');
  if (name.length > MAX_FILE_NAME_LENGTH)
    problems.push(`it is over ${MAX_FILE_NAME_LENGTH} characters`);
  if (ILLEGAL_CHARACTERS.test(name))
    problems.push('it contains one of " * : < > ? / \\ | or a control character');
  if (/^[\s.]|[\s.]$/.test(name)) problems.push('it starts or ends with a dot or a space');
  if (name.startsWith('~$')) problems.push('it starts with ~$');
  if (RESERVED_NAMES.test(name)) problems.push('it is a reserved name');
  if (name !== name.normalize('NFC')) problems.push('it is not in Unicode NFC form');
  if (new RegExp(UNPAIRED_SURROGATES.source).test(name)) problems.push('it is not valid Unicode');
  if (problems.length > 0) {
    throw new EvidenceError(
      'EVIDENCE_INVALID_NAME',
      `Invalid evidence file name ${JSON.stringify(name)}: ${problems.join('; ')}.`,
    );
  }
}

/** Throws EvidenceError when the content is larger than the stores accept. */
export function assertAcceptableSize(
  fileName: string,
  size: number,
  maxBytes = MAX_EVIDENCE_BYTES,
): void {
  if (size > maxBytes) {
    throw new EvidenceError(
      'EVIDENCE_TOO_LARGE',
      `Evidence file ${JSON.stringify(fileName)} is ${size} bytes; the limit is ${maxBytes} bytes.`,
    );
  }
}

/**
 * The folder segments of a location: root, "<clientId> <client name>", "<projectId> <project name>",
 * "gate-<gate key>". Ids first, names sanitised, so two clients can never share a folder.
 */
export function evidenceFolderSegments(location: EvidenceLocation): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(location.clientId) || location.clientId <= 0) {
    problems.push(`clientId ${String(location.clientId)} is not a positive integer`);
  }
  if (!Number.isSafeInteger(location.projectId) || location.projectId <= 0) {
    problems.push(`projectId ${String(location.projectId)} is not a positive integer`);
  }
  const gate = toSafeNamePart(location.gateKey, 60);
  if (gate === '')
    problems.push(`gateKey ${JSON.stringify(location.gateKey)} is empty once cleaned`);
  if (problems.length > 0) {
    throw new EvidenceError(
      'EVIDENCE_INVALID_LOCATION',
      `Invalid evidence location: ${problems.join('; ')}.`,
    );
  }
  const named = (id: number, name: string): string => {
    const safe = toSafeNamePart(name);
    return safe === '' ? String(id) : `${id} ${safe}`;
  };
  return [
    EVIDENCE_ROOT_FOLDER,
    named(location.clientId, location.clientName),
    named(location.projectId, location.projectName),
    `gate-${gate}`,
  ];
}

/**
 * The segments of a stored file's path (as `put` returned it), or an EvidenceError when the path is
 * not one a store writes: under the root, no empty, dot or illegal segment.
 */
export function storedPathSegments(storedPath: string): string[] {
  const segments = storedPath.split('/');
  const bad =
    segments[0] !== EVIDENCE_ROOT_FOLDER ||
    segments.length < 2 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || ILLEGAL_CHARACTERS.test(s));
  if (bad) {
    throw new EvidenceError(
      'EVIDENCE_INVALID_LOCATION',
      `Not an evidence path: ${JSON.stringify(storedPath.slice(0, 300))}.`,
    );
  }
  return segments;
}

/** The folder path of a location, segments joined with "/". */
export function evidenceFolderPath(location: EvidenceLocation): string {
  return evidenceFolderSegments(location).join('/');
}
