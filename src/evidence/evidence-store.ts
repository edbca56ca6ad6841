/**
 * The evidence store port: where stage-gate evidence files live (SharePoint in production, a local
 * folder in demo mode). One folder per client / project / gate; ids come first in every folder name so
 * one client's folder can never receive another client's files, whatever the names say.
 */

/** Which client, project and gate a file belongs to (ids are HaloPSA ids; names are for humans). */
export interface EvidenceLocation {
  clientId: number;
  clientName: string;
  projectId: number;
  projectName: string;
  gateKey: string;
}

/** A file as stored. `path` is the folder path plus "/" plus the name, as the store holds it. */
export interface StoredEvidenceFile {
  /** e.g. "Control Tower Evidence/12 Contoso/345 Intranet/gate-uat/uat-signoff.pdf" */
  path: string;
  name: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  contentType: string;
  /** Link a person can open (SharePoint); null for the local store. */
  webUrl: string | null;
  /** ISO timestamp of when the store received the file. */
  storedAt: string;
}

/** Port implemented by the local and SharePoint adapters. */
export interface EvidenceStore {
  readonly kind: 'local' | 'sharepoint';
  /** Stores (or replaces) a file in the location's folder and returns what was stored. */
  put(
    location: EvidenceLocation,
    fileName: string,
    content: Buffer,
    contentType: string,
  ): Promise<StoredEvidenceFile>;
  /** The file's bytes, or null when the location holds no file of that name. */
  get(location: EvidenceLocation, fileName: string): Promise<Buffer | null>;
  /** Every file in the location's folder (empty when the folder does not exist yet). */
  list(location: EvidenceLocation): Promise<StoredEvidenceFile[]>;
}

/** Stable codes of evidence store failures. */
export type EvidenceErrorCode =
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

// SharePoint/OneDrive refuse these characters in names; control characters are never useful.
const ILLEGAL_CHARACTERS = /["*:<>?/\\|\u0000-\u001f\u007f]/;
const ILLEGAL_CHARACTERS_GLOBAL = /["*:<>?/\\|\u0000-\u001f\u007f]+/g;
const UNPAIRED_SURROGATES =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d|desktop\.ini|\.lock|_vti_)$/i;
const MAX_SEGMENT_LENGTH = 80;
const MAX_FILE_NAME_LENGTH = 200;

/** Makes free text safe as part of a folder name: illegal characters become "-", no leading/trailing dots or spaces. */
export function toSafeNamePart(text: string, maxLength = MAX_SEGMENT_LENGTH): string {
  let cleaned = text
    .normalize('NFC')
    .replace(UNPAIRED_SURROGATES, '')
    .replace(ILLEGAL_CHARACTERS_GLOBAL, '-')
    .replace(/\s+/g, ' ');
  // Trimming can expose another leading dot or "~$" (" ~$.x"): repeat until nothing changes.
  for (let previous = ''; previous !== cleaned;) {
    previous = cleaned;
    cleaned = cleaned
      .replace(/^[\s.]+|[\s.]+$/g, '')
      .replace(/^~\$/, '')
      .slice(0, maxLength)
      .replace(/[\uD800-\uDBFF]$/, ''); // never cut a character in half
  }
  return RESERVED_NAMES.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Makes an uploaded file's name acceptable to `put` (callers that take names from users use this). */
export function toSafeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const safe = toSafeNamePart(base, MAX_FILE_NAME_LENGTH);
  return safe === '' ? 'evidence' : safe;
}

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

/** The folder path of a location, segments joined with "/". */
export function evidenceFolderPath(location: EvidenceLocation): string {
  return evidenceFolderSegments(location).join('/');
}
