/**
 * The cs lead accepts or rejects one tuning suggestion of a governance review. An accepted
 * suggestion that changes thresholds becomes the tenant's next renewal policy version in the same
 * transaction as the answer, its audit entries and the card update: the next daily evaluation
 * judges with it, no deploy. Each suggestion is answered once; a signed-off review is closed.
 */
import {
  applyPolicyChanges,
  DEFAULT_RENEWAL_POLICY,
  type RenewalPolicy,
} from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { auditActor } from './concession-outcome';
import {
  GovernanceConflict,
  type GovernanceRefusal,
  type GovernanceResult,
} from './governance-outcome';
import {
  decidesGovernance,
  GOVERNANCE_DECIDER_ROLES,
  governanceCardKey,
  governanceReviewView,
  type GovernanceReviewPayload,
} from './governance-review-view';
import type { GovernanceUnitOfWork } from './governance-unit-of-work';

/** What answering a suggestion needs. */
export interface DecideGovernanceSuggestionDeps {
  uow: Transactional<GovernanceUnitOfWork>;
  /** The audit trail outside any transaction (for refusals). */
  audit: AuditTrail;
  clock: Clock;
  outboxChanged: Signal;
  /** The policy in force while no version was saved. */
  defaultPolicy?: RenewalPolicy;
}

/** One answer. */
export interface SuggestionAnswer {
  month: string;
  suggestionId: string;
  decision: 'accept' | 'reject';
  comment?: string;
}

/** Accept or reject a governance tuning suggestion. */
export class DecideGovernanceSuggestion {
  constructor(private readonly deps: DecideGovernanceSuggestionDeps) {}

  async run(actor: Actor, input: SuggestionAnswer): Promise<GovernanceResult> {
    const refuse = async (
      reason: GovernanceRefusal,
      message: string,
      problems?: string[],
    ): Promise<GovernanceResult> => {
      // A refused attempt on a review is audited; a month or suggestion that does not exist is bad
      // input, answered 404 and leaving nothing behind.
      if (reason !== 'not-found') {
        await this.deps.audit.append({
          subjectType: 'governance-review',
          subjectId: input.month,
          action: 'governance.suggestion.refused',
          actor: auditActor(actor),
          detail: { suggestionId: input.suggestionId, decision: input.decision, reason },
        });
      }
      return { ok: false, reason, message, ...(problems ? { problems } : {}) };
    };
    if (!decidesGovernance(actor)) {
      return refuse(
        'not-authorised',
        'Only the cs lead (or the msp owner) answers governance suggestions.',
      );
    }
    try {
      const result = await this.deps.uow.transaction(async (tx) => this.decide(tx, actor, input));
      if (!result.ok) return refuse(result.reason, result.message, result.problems);
      this.deps.outboxChanged.notify();
      return result;
    } catch (error) {
      if (error instanceof GovernanceConflict) return refuse('invalid-policy', error.message);
      throw error;
    }
  }

  private async decide(
    tx: GovernanceUnitOfWork,
    actor: Actor,
    input: SuggestionAnswer,
  ): Promise<GovernanceResult> {
    const stored = await tx.reviews.review(input.month);
    if (stored === null) {
      return {
        ok: false,
        reason: 'not-found',
        message: `There is no governance review for ${input.month}.`,
      };
    }
    if (stored.signedOff !== null) {
      return {
        ok: false,
        reason: 'invalid-state',
        message: `The ${input.month} review is signed off.`,
      };
    }
    const suggestion = stored.review.tuningSuggestions.find((s) => s.id === input.suggestionId);
    if (!suggestion) {
      return {
        ok: false,
        reason: 'not-found',
        message: `The ${input.month} review has no suggestion "${input.suggestionId}".`,
      };
    }
    if (stored.decisions.some((d) => d.suggestionId === suggestion.id)) {
      return {
        ok: false,
        reason: 'already-decided',
        message: 'This suggestion was already answered.',
      };
    }
    const at = this.deps.clock.now();
    const accepted = input.decision === 'accept';
    let next: RenewalPolicy | null = null;
    if (accepted && suggestion.changes.length > 0) {
      const current =
        (await tx.policies.newest())?.policy ?? this.deps.defaultPolicy ?? DEFAULT_RENEWAL_POLICY;
      const tuned = applyPolicyChanges(current, suggestion.changes, current.version + 1);
      if (!tuned.ok) {
        return {
          ok: false,
          reason: 'invalid-policy',
          message: `The suggestion no longer applies to policy version ${current.version}: ${tuned.problems.join('; ')}.`,
          problems: tuned.problems,
        };
      }
      next = tuned.policy;
    }
    const by = auditActor(actor);
    const answered = await tx.reviews.decide(input.month, {
      suggestionId: suggestion.id,
      decision: accepted ? 'accepted' : 'rejected',
      comment: input.comment?.trim() || null,
      decidedBy: by,
      decidedAt: at.toISOString(),
      policyVersion: next?.version ?? null,
    });
    if (!answered) {
      return {
        ok: false,
        reason: 'already-decided',
        message: 'This suggestion was already answered.',
      };
    }
    if (next !== null) {
      const saved = await tx.policies.save({
        version: next.version,
        policy: next,
        createdAt: at.toISOString(),
        createdBy: actor.email ?? actor.name,
        reason: `Governance review ${input.month}: ${suggestion.suggestion}`,
      });
      if (!saved) {
        throw new GovernanceConflict(
          `Renewal policy version ${next.version} was saved meanwhile; reload the review and answer again.`,
        );
      }
      await tx.audit.append({
        subjectType: 'policy',
        subjectId: 'renewal',
        action: 'renewal-policy.saved',
        actor: by,
        detail: {
          version: next.version,
          from: next.version - 1,
          changes: suggestion.changes,
          governanceReview: input.month,
          suggestionId: suggestion.id,
        },
      });
    }
    await tx.audit.append({
      subjectType: 'governance-review',
      subjectId: input.month,
      action: accepted ? 'governance.suggestion.accepted' : 'governance.suggestion.rejected',
      actor: by,
      detail: {
        suggestionId: suggestion.id,
        changes: suggestion.changes,
        policyVersion: next?.version ?? null,
        comment: input.comment ?? null,
      },
    });
    const after = await tx.reviews.review(input.month);
    if (after === null)
      throw new Error(`governance review ${input.month} vanished in its own transaction`);
    const payload: GovernanceReviewPayload = {
      review: governanceReviewView(after, null),
      deciderAadObjectIds: await tx.approvers.aadObjectIdsWithRoles(GOVERNANCE_DECIDER_ROLES),
    };
    await tx.outbox.enqueue({
      dedupeKey: `${governanceCardKey(input.month)}:${suggestion.id}`,
      kind: 'governance-review',
      payload,
      updateOf: governanceCardKey(input.month),
      decision: true,
    });
    return { ok: true, review: governanceReviewView(after, actor) };
  }
}
