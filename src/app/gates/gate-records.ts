/** The persistence port of the stage-gate use cases (the SQL adapter is src/store/gate-records.ts). */
import type { EvidencePack } from '../../domain/gates/evidence-pack';
import type { GateOutcome, GateStatus } from '../../domain/gates/gate-decision';
import type { Db } from '../../store/db';
import type { GateMilestoneOption, GatePerson } from './gate-views';

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

/** A stored evidence file. */
export interface GateFileRow {
  id: string;
  gateId: string;
  projectId: number;
  milestoneId: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  contentType: string;
  webUrl: string | null;
  storedAt: string;
  uploadedBy: GatePerson;
}

/** The project around a gate, from the HaloPSA mirror. */
export interface GateProjectContext {
  project: { id: number; name: string };
  client: { id: number; name: string };
  moneyBudget: number | null;
  projectManager: { agentId: number | null; email: string | null };
  ticketTypeId: number | null;
  milestones: Omit<GateMilestoneOption, 'gate'>[];
}

/** A HaloPSA write to perform later from the write-back queue. */
export interface GateWritebackIntent {
  dedupeKey: string;
  kind: 'note' | 'milestone-complete';
  subjectType: string;
  subjectId: string;
  ticketId: number;
  payload: Record<string, unknown>;
  /** Text the written record carries, so a retry can tell whether the write already happened. */
  marker: string;
}

/** Reads and writes of gates; every method runs on the Db it is given (a transaction's, inside one). */
export interface GateRecords {
  projectContext(db: Db, projectId: number): Promise<GateProjectContext | null>;
  findProjects(
    db: Db,
    text: string,
  ): Promise<{ id: number; name: string; clientName: string; exact: boolean }[]>;
  find(db: Db, gateId: string, forUpdate?: boolean): Promise<GateRow | null>;
  list(
    db: Db,
    filter: { statuses?: GateStatus[]; requestedBy?: string; projectManagerAgentId?: number },
  ): Promise<GateRow[]>;
  saveRequest(
    tx: Db,
    gate: Omit<GateRow, 'decidedAt' | 'updatedAt' | 'approvals' | 'status'>,
    pack: EvidencePack,
    canonical: string,
    now: string,
  ): Promise<void>;
  pack(db: Db, gateId: string, version: number): Promise<EvidencePack | null>;
  compareAndSet(
    tx: Db,
    gateId: string,
    expected: { status: GateStatus; packVersion: number; approvals: number },
    next: { status: GateStatus; approvals: number; decidedAt: string | null; updatedAt: string },
  ): Promise<boolean>;
  insertDecision(tx: Db, gateId: string, decision: GateDecisionRow): Promise<boolean>;
  decisions(db: Db, gateId: string, packVersion?: number): Promise<GateDecisionRow[]>;
  approvers(db: Db): Promise<{ aadObjectId: string; email: string | null }[]>;
  agentByEmail(db: Db, email: string): Promise<number | null>;
  insertFile(tx: Db, file: GateFileRow): Promise<void>;
  files(db: Db, gateId: string): Promise<GateFileRow[]>;
  markSlaNotice(
    tx: Db,
    gateId: string,
    packVersion: number,
    kind: 'reminder' | 'escalation',
    now: string,
  ): Promise<boolean>;
  slaNoticesSent(
    db: Db,
    gateId: string,
    packVersion: number,
  ): Promise<Set<'reminder' | 'escalation'>>;
  enqueueWriteback(tx: Db, intent: GateWritebackIntent, now: string): Promise<void>;
  /** The gates of one project with their evidence file counts. */
  byProject(db: Db, projectId: number): Promise<(GateRow & { fileCount: number })[]>;
}

/** The gate id of a project milestone (one gate per milestone). */
export function gateIdOf(projectId: number, milestoneId: number): string {
  return `g-${projectId}-${milestoneId}`;
}
