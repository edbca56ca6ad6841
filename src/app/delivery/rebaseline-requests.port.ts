/** Re-baseline requests and baseline versions (the SQL adapter is src/store/rebaseline-requests.repository.ts). */
import type { ProjectBaseline } from '../../domain/delivery/project-facts';
import type { AuditActor } from '../ports/audit.port';

export type RebaselineStatus = 'pending' | 'approved' | 'rejected';

/** A stored request. */
export interface RebaselineRequestRow {
  id: string;
  projectId: number;
  reason: string;
  /** The baseline version the PM asked to replace. */
  fromVersion: number;
  status: RebaselineStatus;
  requestedBy: AuditActor;
  requestedAt: string;
  decidedBy: AuditActor | null;
  decidedAt: string | null;
  comment: string | null;
  /** The version the approval created. */
  toVersion: number | null;
  /** What changed, in words (`planned hours 400 → 480`). */
  changes: string[] | null;
}

/** The decision written on a pending request. */
export interface RebaselineDecision {
  status: 'approved' | 'rejected';
  decidedBy: AuditActor;
  decidedAt: string;
  comment: string | null;
  toVersion: number | null;
  changes: string[] | null;
}

/** Requests and baselines of one tenant, bound to one connection (a transaction's, inside one). */
export interface RebaselineRequests {
  pendingFor(projectId: number): Promise<RebaselineRequestRow | null>;
  find(requestId: string, forUpdate?: boolean): Promise<RebaselineRequestRow | null>;
  /** False when the project has a pending request already. */
  insert(request: RebaselineRequestRow): Promise<boolean>;
  /** Decides a pending request; false when it is not pending any more. */
  decide(requestId: string, decision: RebaselineDecision): Promise<boolean>;
  /** The project's current (highest) baseline version, or null before the first evaluation. */
  currentBaseline(projectId: number): Promise<ProjectBaseline | null>;
  /** Stores a baseline version; false when that version exists already. */
  saveBaseline(
    projectId: number,
    baseline: ProjectBaseline,
    reason: string,
    by: string,
    at: string,
  ): Promise<boolean>;
}
