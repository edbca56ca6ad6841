/** The persistence port of stage gates (the SQL adapter is src/store/gate.repository.ts). */
import type { EvidencePack } from '../../domain/gates/evidence-pack';
import type { GateOutcome, GateStatus } from '../../domain/gates/gate-decision';
import type { GateEvidenceFileView, GatePerson } from './gate-views';

/** A stored gate. */
export interface GateRow {
  id: string;
  projectId: number;
  milestoneId: number;
  milestoneName: string;
  status: GateStatus;
  packVersion: number;
  packHash: string;
  requiredApprovals: number;
  approvals: number;
  requestedBy: GatePerson;
  requestedAt: string;
  decidedAt: string | null;
  updatedAt: string;
}

/** A stored decision. */
export interface GateDecisionRow {
  packVersion: number;
  slot: number;
  outcome: GateOutcome;
  by: GatePerson;
  at: string;
  comment: string;
}

/** A stored evidence file: the view of it, bound to its gate and milestone. */
export interface GateFileRow extends GateEvidenceFileView {
  gateId: string;
  projectId: number;
  milestoneId: number;
}

export interface GateListFilter {
  statuses?: GateStatus[];
  /** With `projectManagerAgentId`: gates this person requested or whose project they manage. */
  requestedBy?: string;
  projectManagerAgentId?: number;
}

/** The SLA notices a gate version can receive, each at most once. */
export type GateSlaNotice = 'reminder' | 'escalation';

/**
 * Gates, their pack versions, evidence files, decisions and SLA notices of one tenant, bound to one
 * connection (a transaction's, inside one).
 */
export interface GateRepository {
  find(gateId: string, forUpdate?: boolean): Promise<GateRow | null>;
  /** The gate with its current pack version and the decisions on it, read together (one snapshot). */
  findCurrent(
    gateId: string,
  ): Promise<{ gate: GateRow; pack: EvidencePack | null; decisions: GateDecisionRow[] } | null>;
  list(filter: GateListFilter): Promise<GateRow[]>;
  /** Creates the gate or replaces its pending version, and stores the frozen pack version. */
  saveRequest(
    gate: Omit<GateRow, 'decidedAt' | 'updatedAt' | 'approvals' | 'status'>,
    pack: EvidencePack,
    canonical: string,
    now: string,
  ): Promise<void>;
  pack(gateId: string, version: number): Promise<EvidencePack | null>;
  /**
   * Records a decision by compare-and-set: updates the gate only when it still is as `expected` and
   * stores the decision row with it. False when someone changed the gate first (nothing written) or
   * the slot (or the approver on that version) is taken already: then the gate row may be updated
   * without its decision, so the caller must roll its transaction back.
   */
  recordDecision(
    gateId: string,
    expected: { status: GateStatus; packVersion: number; approvals: number },
    next: { status: GateStatus; approvals: number; decidedAt: string | null; updatedAt: string },
    decision: GateDecisionRow,
  ): Promise<boolean>;
  decisions(gateId: string, packVersion?: number): Promise<GateDecisionRow[]>;
  insertFile(file: GateFileRow): Promise<void>;
  files(gateId: string): Promise<GateFileRow[]>;
  /** False when this notice was recorded already. */
  markSlaNotice(
    gateId: string,
    packVersion: number,
    kind: GateSlaNotice,
    now: string,
  ): Promise<boolean>;
  slaNoticesSent(gateId: string, packVersion: number): Promise<Set<GateSlaNotice>>;
  /** The gates of one project with their evidence file counts. */
  byProject(projectId: number): Promise<(GateRow & { fileCount: number })[]>;
}
