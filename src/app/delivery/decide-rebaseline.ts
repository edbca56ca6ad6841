import { rebaseline } from '../../domain/delivery/baseline';
import type { Actor, RefusalReason } from '../delivery-views';
import { auditActor } from '../gates/gate-actors';
import {
  auditRebaselineRefusal,
  projectToday,
  type RebaselineDeps,
  type RebaselineOutcome,
} from './request-rebaseline';
import {
  REBASELINE_REQUEST_KIND,
  rebaselineCardKey,
  rebaselineViewOf,
  type RebaselineRequestPayload,
} from './rebaseline-views';

export type RebaselineVerdict = 'approve' | 'reject';

/**
 * A PMO lead approves or rejects a re-baseline request. Approval captures the project's live plan
 * from HaloPSA as the next baseline version (refused when nothing changed or the plan is invalid),
 * which the next evaluation measures against; both outcomes are audited on the project's timeline
 * and update the request's card. The requester cannot decide their own request.
 */
export class DecideRebaseline {
  constructor(private readonly deps: RebaselineDeps) {}

  async run(
    actor: Actor,
    requestId: string,
    verdict: RebaselineVerdict,
    commentText = '',
  ): Promise<RebaselineOutcome> {
    const comment = commentText.trim().slice(0, 2000);
    const existing = await this.deps.tx.transaction(({ requests }) => requests.find(requestId));
    if (!existing) {
      return {
        ok: false,
        reason: 'not-found',
        message: 'That re-baseline request does not exist.',
        request: null,
      };
    }
    const facts = await projectToday(this.deps, existing.projectId);
    const name = facts?.name ?? `Project ${existing.projectId}`;
    const refuse = async (why: RefusalReason, message: string) => {
      await auditRebaselineRefusal(
        this.deps,
        actor,
        existing.projectId,
        `rebaseline.${verdict}`,
        why,
        message,
      );
      return {
        ok: false as const,
        reason: why,
        message,
        request: rebaselineViewOf(existing, name),
      };
    };
    if (!actor.roles.includes('pmo_lead')) {
      return refuse('not-authorised', 'Only a PMO lead can decide a re-baseline.');
    }
    if (actor.aadObjectId !== null && actor.aadObjectId === existing.requestedBy.aadObjectId) {
      return refuse('not-authorised', 'Someone other than the requester decides a re-baseline.');
    }
    if (existing.status !== 'pending') {
      return refuse('invalid-state', `This request was ${existing.status} already.`);
    }
    const now = this.deps.clock.now().toISOString();
    const by = auditActor(actor);
    const outcome = await this.deps.tx.transaction(async ({ requests, audit, outbox }) => {
      const locked = await requests.find(requestId, true);
      if (!locked || locked.status !== 'pending')
        return {
          refused: 'invalid-state' as const,
          message: 'This request was decided meanwhile.',
        };
      let toVersion: number | null = null;
      let changes: string[] | null = null;
      if (verdict === 'approve') {
        const current = await requests.currentBaseline(locked.projectId);
        if (!current || !facts)
          return {
            refused: 'invalid-state' as const,
            message: 'The project or its baseline is gone.',
          };
        const next = rebaseline(current, facts.baseline, locked.reason, actor.name, now);
        if (!next.ok)
          return {
            refused: 'invalid-state' as const,
            message: `The plan cannot become the new baseline: ${next.problems.join('; ')}.`,
          };
        if (
          !(await requests.saveBaseline(
            locked.projectId,
            next.baseline,
            locked.reason,
            actor.email ?? actor.name,
            now,
          ))
        ) {
          return { refused: 'invalid-state' as const, message: 'The baseline changed meanwhile.' };
        }
        toVersion = next.baseline.version;
        changes = next.change.changes;
      }
      const decided = {
        status: verdict === 'approve' ? ('approved' as const) : ('rejected' as const),
        decidedBy: by,
        decidedAt: now,
        comment: comment === '' ? null : comment,
        toVersion,
        changes,
      };
      if (!(await requests.decide(requestId, decided)))
        return {
          refused: 'invalid-state' as const,
          message: 'This request was decided meanwhile.',
        };
      await audit.append({
        subjectType: 'project',
        subjectId: String(locked.projectId),
        action:
          verdict === 'approve' ? 'project.rebaseline.approved' : 'project.rebaseline.rejected',
        actor: by,
        detail: {
          requestId,
          fromVersion: locked.fromVersion,
          toVersion,
          changes,
          comment: decided.comment,
        },
      });
      const view = rebaselineViewOf({ ...locked, ...decided }, name);
      const notice =
        verdict === 'approve'
          ? `Approved by ${actor.name}: baseline version ${toVersion} is what ${name} is measured against from now on`
          : `Rejected by ${actor.name}${decided.comment ? `: ${decided.comment}` : ''}`;
      await outbox.enqueue({
        dedupeKey: `${rebaselineCardKey(requestId)}:${decided.status}`,
        kind: REBASELINE_REQUEST_KIND,
        payload: {
          request: view,
          notice: { tone: 'success', text: notice },
        } satisfies RebaselineRequestPayload,
        updateOf: rebaselineCardKey(requestId),
        decision: true,
      });
      return { view, notice };
    });
    if (outcome.refused !== undefined) return refuse(outcome.refused, outcome.message);
    this.deps.outboxSignal.notify();
    return { ok: true, request: outcome.view, notice: outcome.notice };
  }
}
