/** The audit trail as use cases see it: per tenant, hash-chained, append-only (src/audit implements it). */

/** Who acted; null in an entry means the system (a job, the outbox). */
export interface AuditActor {
  aadObjectId: string | null;
  email: string | null;
  name: string;
}

/** What a caller records. */
export interface AuditEntryInput {
  /** What the entry is about: `gate`, `concession`, `contract`, `project`, `escalation`, `policy`… */
  subjectType: string;
  subjectId: string;
  /** Dotted verb: `gate.requested`, `gate.approved`, `gate.refused`, `gate.writeback.done`… */
  action: string;
  actor: AuditActor | null;
  detail?: Record<string, unknown>;
}

/** A stored entry. */
export interface AuditEntry {
  tenantId: string;
  seq: number;
  at: string;
  subjectType: string;
  subjectId: string;
  action: string;
  actor: AuditActor | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * One tenant's trail, bound to the transaction of the change it records, so an entry exists exactly
 * when the change does.
 */
export interface AuditTrail {
  append(input: AuditEntryInput): Promise<AuditEntry>;
  /** Every entry about one subject, oldest first. */
  timeline(subjectType: string, subjectId: string): Promise<AuditEntry[]>;
  /** Every entry about any of the subjects, oldest first. */
  timelineOf(subjectType: string, subjectIds: string[]): Promise<AuditEntry[]>;
}
