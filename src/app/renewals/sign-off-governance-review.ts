/**
 * The cs lead signs the month's governance review off once every suggestion is answered; the
 * sign-off is audited and the card updated for everyone.
 */
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { auditActor } from './concession-outcome';
import type { GovernanceRefusal, GovernanceResult } from './governance-outcome';
import {
  decidesGovernance,
  GOVERNANCE_DECIDER_ROLES,
  governanceCardKey,
  governanceReviewView,
  type GovernanceReviewPayload,
} from './governance-review-view';
import type { GovernanceUnitOfWork } from './governance-unit-of-work';

/** What signing off needs. */
export interface SignOffGovernanceReviewDeps {
  uow: Transactional<GovernanceUnitOfWork>;
  /** The audit trail outside any transaction (for refusals). */
  audit: AuditTrail;
  clock: Clock;
  outboxChanged: Signal;
}

/** Sign a governance review off. */
export class SignOffGovernanceReview {
  constructor(private readonly deps: SignOffGovernanceReviewDeps) {}

  async run(actor: Actor, input: { month: string }): Promise<GovernanceResult> {
    const refuse = async (
      reason: GovernanceRefusal,
      message: string,
    ): Promise<GovernanceResult> => {
      // A refused attempt on a review is audited; a month or suggestion that does not exist is bad
      // input, answered 404 and leaving nothing behind.
      if (reason !== 'not-found') {
        await this.deps.audit.append({
          subjectType: 'governance-review',
          subjectId: input.month,
          action: 'governance-review.sign-off.refused',
          actor: auditActor(actor),
          detail: { reason },
        });
      }
      return { ok: false, reason, message };
    };
    if (!decidesGovernance(actor)) {
      return refuse(
        'not-authorised',
        'Only the cs lead (or the msp owner) signs the governance review off.',
      );
    }
    const result = await this.deps.uow.transaction(async (tx): Promise<GovernanceResult> => {
      const stored = await tx.reviews.review(input.month);
      if (stored === null) {
        return {
          ok: false,
          reason: 'not-found',
          message: `There is no governance review for ${input.month}.`,
        };
      }
      const open = governanceReviewView(stored, actor).openSuggestions;
      if (open > 0) {
        return {
          ok: false,
          reason: 'invalid-state',
          message: `Answer every suggestion first (${open} still open).`,
        };
      }
      if (!(await tx.reviews.signOff(input.month, auditActor(actor), this.deps.clock.now()))) {
        return {
          ok: false,
          reason: 'already-decided',
          message: `The ${input.month} review is already signed off.`,
        };
      }
      await tx.audit.append({
        subjectType: 'governance-review',
        subjectId: input.month,
        action: 'governance-review.signed-off',
        actor: auditActor(actor),
        detail: {
          decisions: stored.decisions.map((d) => ({ id: d.suggestionId, decision: d.decision })),
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
        dedupeKey: `${governanceCardKey(input.month)}:signed-off`,
        kind: 'governance-review',
        payload,
        updateOf: governanceCardKey(input.month),
        decision: true,
      });
      return { ok: true, review: governanceReviewView(after, actor) };
    });
    if (!result.ok) return refuse(result.reason, result.message);
    this.deps.outboxChanged.notify();
    return result;
  }
}
