/**
 * Who may decide a stage gate, and what a decision does (SPEC §1, §2.4). Only PMO leads decide; the
 * project's own PM (or whoever requested the gate) never does; big projects need two distinct
 * approvers; a decision applies to one pack version only. Reject and request-changes end the round
 * at once and need a comment; request-changes sends the pack back to the PM for a new version.
 */

/** What an approver chose. */
export type GateOutcome = 'approve' | 'reject' | 'request-changes';

/** Where a gate is. */
export type GateStatus = 'pending' | 'approved' | 'rejected' | 'changes-requested';

/** The person deciding, as the app resolved them. */
export interface GateDecider {
  aadObjectId: string | null;
  email: string | null;
  haloAgentId: number | null;
  roles: readonly string[];
}

/** The state a decision is taken on. */
export interface GateDecisionState {
  status: GateStatus;
  packVersion: number;
  requiredApprovals: number;
  /** Approvals recorded on the current version. */
  approvals: { aadObjectId: string | null }[];
  /** The project's PM in HaloPSA (agent id and e-mail), when known. */
  projectManager: { agentId: number | null; email: string | null };
  /** Who requested (submitted) the current version. */
  requestedBy: { aadObjectId: string | null };
}

/** What the approver asked for. */
export interface GateDecisionInput {
  outcome: GateOutcome;
  /** The version on the card the approver saw. */
  packVersion: number;
  comment: string;
}

/** Why a decision was refused. */
export type GateRefusal =
  | 'not-authorised'
  | 'own-project'
  | 'stale-pack'
  | 'already-decided'
  | 'already-approved'
  | 'comment-required';

/** The result: the next state and what to record, or a refusal with a reason. */
export type GateDecisionResult =
  | {
      ok: true;
      /** Status after this decision (`pending` when more approvals are needed). */
      status: GateStatus;
      /** 1-based slot of this decision on the version (approvals count up). */
      slot: number;
      /** True when this decision ends the round (the gate left `pending`). */
      final: boolean;
    }
  | { ok: false; reason: GateRefusal; message: string };

/** Applies the rules; pure. */
export function decideGate(
  state: GateDecisionState,
  decider: GateDecider,
  input: GateDecisionInput,
): GateDecisionResult {
  if (!decider.roles.includes('pmo_lead')) {
    return refuse('not-authorised', 'Only a PMO lead can decide a stage gate.');
  }
  if (isProjectManager(state, decider)) {
    return refuse(
      'own-project',
      'You manage this project (or requested this gate): segregation of duties means another PMO lead must decide it.',
    );
  }
  if (state.status !== 'pending') {
    return refuse('already-decided', `This gate is already ${statusWords(state.status)}.`);
  }
  if (input.packVersion !== state.packVersion) {
    return refuse(
      'stale-pack',
      `The pack changed: version ${state.packVersion} replaced the version ${input.packVersion} you saw. Review the new pack.`,
    );
  }
  if (
    state.approvals.some((a) => a.aadObjectId !== null && a.aadObjectId === decider.aadObjectId)
  ) {
    return refuse(
      'already-approved',
      `You already approved this pack; it needs ${state.requiredApprovals} distinct approvers.`,
    );
  }
  if (input.outcome !== 'approve' && input.comment.trim() === '') {
    return refuse(
      'comment-required',
      input.outcome === 'reject'
        ? 'Say why the gate is rejected.'
        : 'Say what must change before the gate can pass.',
    );
  }
  const slot = state.approvals.length + 1;
  if (input.outcome === 'reject') return { ok: true, status: 'rejected', slot, final: true };
  if (input.outcome === 'request-changes') {
    return { ok: true, status: 'changes-requested', slot, final: true };
  }
  const done = slot >= state.requiredApprovals;
  return { ok: true, status: done ? 'approved' : 'pending', slot, final: done };
}

/** Segregation of duties: matched by HaloPSA agent id, by e-mail, or as the gate's requester. */
export function isProjectManager(state: GateDecisionState, decider: GateDecider): boolean {
  const pm = state.projectManager;
  if (pm.agentId !== null && decider.haloAgentId !== null && pm.agentId === decider.haloAgentId) {
    return true;
  }
  if (
    pm.email !== null &&
    decider.email !== null &&
    pm.email.trim().toLowerCase() === decider.email.trim().toLowerCase()
  ) {
    return true;
  }
  return (
    state.requestedBy.aadObjectId !== null && state.requestedBy.aadObjectId === decider.aadObjectId
  );
}

/** "approved", "rejected", "sent back for changes", "pending". */
export function statusWords(status: GateStatus): string {
  switch (status) {
    case 'approved':
      return 'approved';
    case 'rejected':
      return 'rejected';
    case 'changes-requested':
      return 'sent back for changes';
    case 'pending':
      return 'pending';
  }
}

function refuse(reason: GateRefusal, message: string): GateDecisionResult {
  return { ok: false, reason, message };
}
