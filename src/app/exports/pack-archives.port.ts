/** An evidence pack PDF as archived next to its evidence. */
export interface PackArchive {
  gateId: string;
  packVersion: number;
  path: string;
  webUrl: string | null;
  size: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  sha256: string;
  archivedAt: string;
}

/** Where the archived packs of one tenant are recorded (src/store implements it). */
export interface PackArchives {
  /** Records an archive; false when that pack version was archived already. */
  record(archive: PackArchive): Promise<boolean>;
  find(gateId: string, packVersion: number): Promise<PackArchive | null>;
  /** Approved gates whose current pack version has no archive yet, oldest decision first. */
  unarchived(limit: number): Promise<string[]>;
}

/**
 * The tenant's audit hash chain, checked from the first entry written since `since` (ISO time) to
 * the head, and the entry it started from: from the time a gate was requested, none of its entries
 * can have been altered, removed or re-assigned without a broken hash, link or sequence (the work
 * grows with what was audited since, not with the whole log).
 */
export interface AuditChainCheck {
  verify(
    since: string,
  ): Promise<{ ok: boolean; entries: number; problem: string | null; from: number }>;
}
