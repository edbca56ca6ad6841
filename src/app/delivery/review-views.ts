/** What the post-project review card and the acceptance of a tuning show. */
import type { PolicyTuning } from '../../domain/delivery/policy-tuning';
import type { AcceptedTuning, StoredPostProjectReview } from './post-project-reviews.port';

/** Outbox kind of the review card. */
export const POST_PROJECT_REVIEW_KIND = 'post-project-review';

/** Dedupe key of a project's review card (updates replace it in place). */
export function reviewCardKey(projectId: number): string {
  return `post-project-review:${projectId}`;
}

/** The review as the card shows it. */
export interface PostProjectReviewView {
  projectId: number;
  name: string;
  closedOn: string | null;
  budgetHours: number | null;
  actualHours: number;
  budgetRatio: number | null;
  caughtInTime: number;
  riskMisses: number;
  falsePositives: number;
  correctiveActions: string[];
  templateSuggestions: string[];
  policySuggestions: string[];
  tunings: PolicyTuning[];
  accepted: AcceptedTuning | null;
}

/** Payload of a `post-project-review` outbox row. */
export interface PostProjectReviewPayload {
  review: PostProjectReviewView;
  notice?: { tone: 'success' | 'refused'; text: string } | null;
}

/** The stored review as its card shows it. */
export function reviewViewOf(stored: StoredPostProjectReview): PostProjectReviewView {
  const r = stored.review;
  return {
    projectId: stored.projectId,
    name: r.name,
    closedOn: stored.closedOn,
    budgetHours: r.budgetHours,
    actualHours: r.actualHours,
    budgetRatio: r.budgetRatio,
    caughtInTime: r.caughtInTime,
    riskMisses: r.riskMisses.length,
    falsePositives: r.falsePositives.length,
    correctiveActions: r.correctiveActions.map((a) => a.action),
    templateSuggestions: r.templateSuggestions,
    policySuggestions: r.policySuggestions,
    tunings: stored.tunings,
    accepted: stored.accepted,
  };
}
