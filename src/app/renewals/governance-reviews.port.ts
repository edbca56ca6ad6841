import type { GovernanceReview } from '../../domain/renewals';
import type { AuditActor } from '../ports/audit.port';

/** The cs lead's answer to one tuning suggestion. */
export interface SuggestionDecision {
  suggestionId: string;
  decision: 'accepted' | 'rejected';
  comment: string | null;
  decidedBy: AuditActor;
  decidedAt: string;
  /** The policy version an accepted suggestion became; null when it changed no threshold. */
  policyVersion: number | null;
}

/** A stored monthly governance review with its answers and sign-off. */
export interface StoredGovernanceReview {
  /** The month reviewed (YYYY-MM). */
  month: string;
  review: GovernanceReview;
  createdAt: string;
  decisions: SuggestionDecision[];
  signedOff: { by: AuditActor; at: string } | null;
}

/** The tenant's governance reviews (`governance_reviews`, `governance_suggestion_decisions`). */
export interface GovernanceReviews {
  /** Stores the month's review; false when that month already has one. */
  create(month: string, review: GovernanceReview, at: Date): Promise<boolean>;
  /** One month's review, or null. */
  review(month: string): Promise<StoredGovernanceReview | null>;
  /** The months with a review, newest first. */
  months(): Promise<string[]>;
  /** Records an answer; false when the suggestion was already answered. */
  decide(month: string, decision: SuggestionDecision): Promise<boolean>;
  /** Signs the review off; false when it was already signed off. */
  signOff(month: string, by: AuditActor, at: Date): Promise<boolean>;
}
