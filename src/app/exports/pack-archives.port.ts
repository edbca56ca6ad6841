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
 * The tenant's audit hash chain, checked from entry `from` to the head: from a gate's first entry,
 * its entries cannot have been altered without a broken hash or link (the work grows with what
 * was audited since the gate was requested, not with the whole log).
 */
export interface AuditChainCheck {
  verify(from: number): Promise<{ ok: boolean; entries: number; problem: string | null }>;
}
