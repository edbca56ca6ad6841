/**
 * What the stage-gate use cases return to the bot, the tab API and the outbox: plain data only.
 */
import type {
  EvidencePack,
  MissingEvidence,
  OpenRisk,
  PackSummary,
  QaOutcome,
} from '../../domain/gates/evidence-pack';
import type { GateOutcome, GateRefusal, GateStatus } from '../../domain/gates/gate-decision';

/** A person as gates record them. */
export interface GatePerson {
  aadObjectId: string | null;
  name: string;
  email: string | null;
}

/** One decision on a pack version. */
export interface GateDecisionView {
  packVersion: number;
  slot: number;
  outcome: GateOutcome;
  by: GatePerson;
  /** ISO timestamp. */
  at: string;
  comment: string;
}

/** A gate as its card and lists show it. */
export interface GateView {
  id: string;
  project: { id: number; name: string };
  client: { id: number; name: string };
  milestone: { id: number; name: string };
  status: GateStatus;
  packVersion: number;
  packHash: string;
  /** First 12 hex digits of the pack hash, shown on cards. */
  shortHash: string;
  requiredApprovals: number;
  /** Decisions on the current pack version, oldest first. */
  decisions: GateDecisionView[];
  requestedBy: GatePerson;
  requestedAt: string;
  decidedAt: string | null;
  summary: PackSummary;
  /** Entra object ids of the PMO leads who may decide (the card's `refresh.userIds`). */
  approverAadObjectIds: string[];
  /** ISO time the approvers get a reminder if still pending. */
  reminderDueAt: string;
}

/** An uploaded evidence file. */
export interface GateEvidenceFileView {
  id: string;
  name: string;
  path: string;
  size: number;
  sha256: string;
  contentType: string;
  webUrl: string | null;
  storedAt: string;
  uploadedBy: GatePerson;
}

/** One entry of the gate's audit timeline. */
export interface GateTimelineEntry {
  seq: number;
  at: string;
  action: string;
  actorName: string;
  detail: Record<string, unknown>;
  hash: string;
}

/** A frozen pack's files checked again against the store when the pack is opened. */
export interface PackIntegrity {
  /**
   * verified: every file's stored bytes still match the frozen SHA-256 (or the pack has no file);
   * mismatch: a file changed or is gone (audited); unavailable: the store could not be read.
   */
  status: 'verified' | 'mismatch' | 'unavailable';
  checkedAt: string;
  files: {
    fileId: string;
    name: string;
    frozenSha256: string;
    /** Null when the stored file is gone. */
    storedSha256: string | null;
    ok: boolean;
  }[];
}

/** Everything about one gate (the tab's pack page). */
export interface GateDetail {
  gate: GateView;
  pack: EvidencePack;
  files: GateEvidenceFileView[];
  /** Every decision on every version, oldest first. */
  decisions: GateDecisionView[];
  timeline: GateTimelineEntry[];
}

/** A gate milestone a PM can request, for the gate form. */
export interface GateMilestoneOption {
  id: number;
  name: string;
  targetDate: string | null;
  complete: boolean;
  /** The gate on it, when one was requested already. */
  gate: { id: string; status: GateStatus; packVersion: number } | null;
  /** Completed HaloPSA tasks of the milestone (they count as passed QA). */
  completedTasks: { id: number; summary: string }[];
}

/** The gate form for one project. */
export interface GateFormView {
  project: { id: number; name: string };
  client: { id: number; name: string };
  milestones: GateMilestoneOption[];
  requiredEvidence: string[];
}

/** What a PM submits: links, file ids (uploaded before), QA outcomes, acceptance notes, risks. */
export interface GateRequestInput {
  projectId: number;
  milestoneId: number;
  links: { title: string; url: string }[];
  /** Uploaded files to include; null = every file uploaded for this gate. */
  fileIds: string[] | null;
  qaOutcomes: Omit<QaOutcome, 'source' | 'taskId'>[];
  customerAcceptanceNotes: string;
  openRisks: OpenRisk[];
  noOpenRisks: boolean;
}

/** Why a request or decision could not be done, beyond the decision rules. */
export type GateInputRefusal =
  'not-found' | 'not-authorised' | 'invalid-input' | 'already-approved';

/** The outcome of requesting a gate. */
export type GateRequestResult =
  | { ok: true; gate: GateView }
  | { ok: false; reason: 'missing-evidence'; message: string; missing: MissingEvidence[] }
  | { ok: false; reason: GateInputRefusal; message: string };

/** The outcome of a decision: the gate as it stands, and what happened or why it was refused. */
export type GateDecideResult =
  | { ok: true; gate: GateView; notice: string }
  | { ok: false; reason: GateRefusal | GateInputRefusal; message: string; gate: GateView | null };

/** Gates waiting for one person (`/gates`, the tab's gate list). */
export interface WaitingGates {
  /** Pending gates this PMO lead may decide. */
  toDecide: GateView[];
  /** Gates they requested or whose project they manage. */
  requested: GateView[];
}

/** A milestone's gate on the tab's project page. */
export interface MilestoneGateState {
  gateId: string;
  status: string;
  evidenceCount: number;
  decidedAt: string | null;
}
