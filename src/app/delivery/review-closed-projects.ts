import { ioPacer } from '../../shared/io-pace';
import { buildProjectFacts } from '../../domain/delivery/build-project-facts';
import { resolvePolicy } from '../../domain/delivery/policy';
import { suggestPolicyTunings } from '../../domain/delivery/policy-tuning';
import { buildPostProjectReview } from '../../domain/delivery/post-project-review';
import type { ProjectFacts } from '../../domain/delivery/project-facts';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import type { DeliveryHistoryReader } from './delivery-history.port';
import { deliveryHistoryByScope } from './delivery-history-scopes';
import type { DeliveryStore } from './delivery-store.port';
import type { EscalationHistory } from './escalation-history.port';
import { DEFAULT_POLICY_CONFIG } from './evaluate-delivery';
import type { PostProjectReviews } from './post-project-reviews.port';
import {
  POST_PROJECT_REVIEW_KIND,
  reviewCardKey,
  reviewViewOf,
  type PostProjectReviewPayload,
} from './review-views';

/** Closures older than this when first seen are history, not news: no review card for them. */
export const REVIEW_WINDOW_DAYS = 14;

export interface ReviewClosedProjectsDeps {
  tenantId: string;
  history: DeliveryHistoryReader;
  delivery: Pick<DeliveryStore, 'currentPolicy' | 'baselines'>;
  escalations: EscalationHistory;
  tx: Transactional<{ reviews: PostProjectReviews; outbox: Outbox; audit: AuditTrail }>;
  clock: Clock;
  /** Notified after a review card was queued. */
  outboxSignal: Signal;
  /** Projects per scoped load of the full run (default PROJECTS_PER_SCOPE). */
  projectsPerScope?: number;
}

/**
 * Produces the post-project review of every project whose closure in HaloPSA (seen by the sync or a
 * webhook) is recent and not reviewed yet: judged against its frozen baseline and policy, stored
 * once, audited on the project, and posted to the PMO's reports channel through the outbox.
 */
export class ReviewClosedProjects {
  constructor(private readonly deps: ReviewClosedProjectsDeps) {}

  async run(options: { projectIds?: readonly number[] } = {}): Promise<{ reviewed: number[] }> {
    const { tenantId, clock } = this.deps;
    const now = clock.now();
    const today = now.toISOString().slice(0, 10);
    const since = new Date(now.getTime() - REVIEW_WINDOW_DAYS * 86_400_000)
      .toISOString()
      .slice(0, 10);
    // One project scope at a time (only `projectIds` after a webhook); only the recent closures'
    // facts are kept, in project id order.
    const closed: { projectId: number; facts: ProjectFacts }[] = [];
    const scopes = deliveryHistoryByScope(this.deps.history, tenantId, {
      ...(options.projectIds ? { projectIds: options.projectIds } : {}),
      ...(this.deps.projectsPerScope ? { projectsPerScope: this.deps.projectsPerScope } : {}),
    });
    const pace = ioPacer();
    for await (const { history, projects } of scopes) {
      for (const [projectId, project] of projects) {
        await pace();
        const facts = buildProjectFacts(project, history, today);
        if (facts?.status !== 'closed' || facts.closedOn === null || facts.closedOn < since) {
          continue;
        }
        closed.push({ projectId, facts });
      }
    }
    if (closed.length === 0) return { reviewed: [] };
    const done = await this.deps.tx.transaction(({ reviews }) =>
      reviews.reviewed(closed.map((c) => c.projectId)),
    );
    const due = closed.filter((c) => !done.has(c.projectId));
    if (due.length === 0) return { reviewed: [] };
    const [config, baselines, escalations] = await Promise.all([
      this.deps.delivery.currentPolicy(),
      this.deps.delivery.baselines(),
      this.deps.escalations.all(tenantId),
    ]);
    const reviewed: number[] = [];
    for (const { projectId, facts } of due) {
      const frozen = baselines.get(projectId);
      if (frozen) facts.baseline = frozen;
      const policy = resolvePolicy(config ?? DEFAULT_POLICY_CONFIG, {
        clientId: facts.clientId,
        projectType: facts.projectType,
      });
      const review = buildPostProjectReview(facts, escalations, policy);
      const stored = {
        projectId,
        closedOn: facts.closedOn,
        review,
        tunings: suggestPolicyTunings(review, policy),
        createdAt: now.toISOString(),
      };
      const inserted = await this.deps.tx.transaction(async ({ reviews, outbox, audit }) => {
        if (!(await reviews.insert(stored))) return false;
        await audit.append({
          subjectType: 'project',
          subjectId: String(projectId),
          action: 'project.review.produced',
          actor: null,
          detail: {
            closedOn: facts.closedOn,
            riskMisses: review.riskMisses.length,
            tunings: stored.tunings.map((t) => t.id),
            policyVersion: policy.version,
          },
        });
        await outbox.enqueue({
          dedupeKey: reviewCardKey(projectId),
          kind: POST_PROJECT_REVIEW_KIND,
          payload: {
            review: reviewViewOf({ ...stored, accepted: null }),
          } satisfies PostProjectReviewPayload,
          target: {
            streams: ['reports'],
            clientId: facts.clientId ? Number(facts.clientId) : null,
          },
        });
        return true;
      });
      if (inserted) reviewed.push(projectId);
    }
    if (reviewed.length > 0) this.deps.outboxSignal.notify();
    return { reviewed };
  }
}
