/** Stored post-project reviews (the SQL adapter is src/store/post-project-reviews.repository.ts). */
import type { PolicyTuning } from '../../domain/delivery/policy-tuning';
import type { PostProjectReview } from '../../domain/delivery/post-project-review';

/** A PMO lead's acceptance of one tuning. */
export interface AcceptedTuning {
  tuningId: string;
  policyVersion: number;
  by: string;
  at: string;
}

/** One project's review as stored when its closure was seen. */
export interface StoredPostProjectReview {
  projectId: number;
  closedOn: string | null;
  review: PostProjectReview;
  tunings: PolicyTuning[];
  createdAt: string;
  accepted: AcceptedTuning | null;
}

/** The reviews of one tenant, bound to one connection (a transaction's, inside one). */
export interface PostProjectReviews {
  /** The projects among `projectIds` that have a review already. */
  reviewed(projectIds: readonly number[]): Promise<Set<number>>;
  /** Stores a review; false when the project has one already (it is produced once). */
  insert(review: Omit<StoredPostProjectReview, 'accepted'>): Promise<boolean>;
  find(projectId: number, forUpdate?: boolean): Promise<StoredPostProjectReview | null>;
  markAccepted(projectId: number, accepted: AcceptedTuning): Promise<void>;
}
