/**
 * The evidence store port: where stage-gate evidence files live (SharePoint in production, a local
 * folder in demo mode; src/evidence implements it). One folder per client / project / gate; ids come
 * first in every folder name so one client's folder can never receive another client's files,
 * whatever the names say. Evidence is write-once: a stored file is never replaced.
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

export interface EvidenceStore {
  readonly kind: 'local' | 'sharepoint';
  /**
   * Stores a new file in the location's folder and returns what was stored. Never replaces a file:
   * a name already taken fails with the `EVIDENCE_EXISTS` error and leaves the stored bytes as they were.
   */
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
  /**
   * Lower-case hex SHA-256 of the bytes stored now at `path` (as `put` returned it), or null when
   * nothing is there: what a frozen pack's hashes are re-verified against.
   */
  sha256Of(path: string): Promise<string | null>;
}
