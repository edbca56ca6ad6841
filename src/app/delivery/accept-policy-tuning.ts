import { applyPolicyTuning } from '../../domain/delivery/policy-tuning';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor, RefusalReason } from '../delivery-views';
import { auditActor } from '../gates/gate-actors';
import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import { saveDeliveryPolicy } from './delivery-policy-settings';
import type { DeliveryStore } from './delivery-store.port';
import { DEFAULT_POLICY_CONFIG } from './evaluate-delivery';
import type { PostProjectReviews } from './post-project-reviews.port';
import {
  POST_PROJECT_REVIEW_KIND,
  reviewCardKey,
  reviewViewOf,
  type PostProjectReviewPayload,
  type PostProjectReviewView,
} from './review-views';

export interface AcceptPolicyTuningDeps {
  tx: Transactional<{ reviews: PostProjectReviews; outbox: Outbox; audit: AuditTrail }>;
  /** The tenant's policy versions. */
  policies: Pick<DeliveryStore, 'currentPolicy' | 'savePolicy'>;
  clock: Clock;
  outboxSignal: Signal;
}

export type AcceptTuningOutcome =
  | { ok: true; policyVersion: number; review: PostProjectReviewView; notice: string }
  | { ok: false; reason: RefusalReason; message: string };

/**
 * A PMO lead accepts one policy tuning of a post-project review: the tenant's current policy with
 * that threshold changed is saved as the next version (validated like an edit in Settings), the
 * acceptance is audited on the project and the review card shows it. One tuning per review. A
 * refusal about an existing review is audited on its project too.
 */
export class AcceptPolicyTuning {
  constructor(private readonly deps: AcceptPolicyTuningDeps) {}

  async run(actor: Actor, projectId: number, tuningId: string): Promise<AcceptTuningOutcome> {
    const refuse = async (reason: RefusalReason, message: string) => {
      await this.deps.tx.transaction(({ audit }) =>
        audit.append({
          subjectType: 'project',
          subjectId: String(projectId),
          action: 'project.review.tuning-refused',
          actor: auditActor(actor),
          detail: { tuningId, reason, message },
        }),
      );
      return { ok: false as const, reason, message };
    };
    const stored = await this.deps.tx.transaction(({ reviews }) => reviews.find(projectId));
    const tuning = stored?.tunings.find((t) => t.id === tuningId);
    // Nothing to put on a timeline: an unknown review or tuning is refused without a trace.
    if (!stored || !tuning) {
      return { ok: false, reason: 'not-found', message: 'That review or tuning does not exist.' };
    }
    if (!actor.roles.includes('pmo_lead')) {
      return refuse('not-authorised', 'Only a PMO lead can change the delivery policy.');
    }
    if (stored.accepted) {
      return refuse(
        'invalid-state',
        `A tuning of this review was accepted already (policy version ${stored.accepted.policyVersion}).`,
      );
    }
    const current = (await this.deps.policies.currentPolicy()) ?? DEFAULT_POLICY_CONFIG;
    const saved = await saveDeliveryPolicy(
      this.deps.policies,
      applyPolicyTuning(current, tuning),
      actor.email ?? actor.name,
    );
    if (!saved.ok)
      return refuse('invalid-input', `The tuned policy is not valid: ${saved.problems.join('; ')}`);
    const at = this.deps.clock.now().toISOString();
    const accepted = { tuningId, policyVersion: saved.version, by: actor.name, at };
    const notice = `${actor.name} accepted "${tuning.cause} amber ${tuning.from} → ${tuning.to}" as policy version ${saved.version}`;
    const review = await this.deps.tx.transaction(async ({ reviews, audit, outbox }) => {
      const locked = await reviews.find(projectId, true);
      if (!locked || locked.accepted) return null;
      await reviews.markAccepted(projectId, accepted);
      await audit.append({
        subjectType: 'project',
        subjectId: String(projectId),
        action: 'project.review.tuning-accepted',
        actor: auditActor(actor),
        detail: { tuningId, from: tuning.from, to: tuning.to, policyVersion: saved.version },
      });
      const view = reviewViewOf({ ...locked, accepted });
      await outbox.enqueue({
        dedupeKey: `${reviewCardKey(projectId)}:accepted`,
        kind: POST_PROJECT_REVIEW_KIND,
        payload: {
          review: view,
          notice: { tone: 'success', text: notice },
        } satisfies PostProjectReviewPayload,
        updateOf: reviewCardKey(projectId),
        decision: true,
      });
      return view;
    });
    if (review === null) {
      return refuse(
        'invalid-state',
        'Another PMO lead accepted a tuning of this review meanwhile.',
      );
    }
    this.deps.outboxSignal.notify();
    return { ok: true, policyVersion: saved.version, review, notice };
  }
}
