/**
 * The monthly governance review as the tab page and the governance card show it: the stored
 * review, each suggestion with its answer, the sign-off, and what the viewer may do.
 */
import {
  describePolicyChange,
  type GovernanceReview,
  type TuningSuggestion,
} from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import type { AuditActor } from '../ports/audit.port';
import type { StoredGovernanceReview } from './governance-reviews.port';

/** Roles that answer tuning suggestions and sign the review off (the cs lead; the msp owner above). */
export const GOVERNANCE_DECIDER_ROLES = ['cs_lead', 'msp_owner'] as const;

/** Whether the actor answers governance suggestions. */
export function decidesGovernance(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.some((r) => (GOVERNANCE_DECIDER_ROLES as readonly string[]).includes(r));
}

/** One suggestion with its answer. */
export interface GovernanceSuggestionView extends TuningSuggestion {
  /** `readiness.bands.readyMinScore: 75 → 81` per change. */
  changeLines: string[];
  status: 'open' | 'accepted' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** The policy version an accepted suggestion became. */
  policyVersion: number | null;
}

/** The review page / card model. */
export interface GovernanceReviewView {
  month: string;
  createdAt: string;
  review: GovernanceReview;
  suggestions: GovernanceSuggestionView[];
  openSuggestions: number;
  signedOff: { by: string; at: string } | null;
  /** What the viewer may do now (the server still refuses everything else). */
  actions: { decide: boolean; signOff: boolean };
}

/** Payload of a `governance-review` outbox row. */
export interface GovernanceReviewPayload {
  review: GovernanceReviewView;
  /** The Entra object ids of the deciders, whose clients refresh the card to their own view. */
  deciderAadObjectIds: string[];
}

const nameOf = (a: AuditActor) => a.name || a.email || 'someone';

/** The view of `stored` for `actor` (null: the actor-neutral view the posted card carries). */
export function governanceReviewView(
  stored: StoredGovernanceReview,
  actor: Pick<Actor, 'roles'> | null,
): GovernanceReviewView {
  const answers = new Map(stored.decisions.map((d) => [d.suggestionId, d]));
  const suggestions = stored.review.tuningSuggestions.map((s): GovernanceSuggestionView => {
    const d = answers.get(s.id);
    return {
      ...s,
      changeLines: s.changes.map(describePolicyChange),
      status: d?.decision ?? 'open',
      decidedBy: d ? nameOf(d.decidedBy) : null,
      decidedAt: d?.decidedAt ?? null,
      comment: d?.comment ?? null,
      policyVersion: d?.policyVersion ?? null,
    };
  });
  const open = suggestions.filter((s) => s.status === 'open').length;
  const mayDecide = actor !== null && decidesGovernance(actor) && stored.signedOff === null;
  return {
    month: stored.month,
    createdAt: stored.createdAt,
    review: stored.review,
    suggestions,
    openSuggestions: open,
    signedOff: stored.signedOff
      ? { by: nameOf(stored.signedOff.by), at: stored.signedOff.at }
      : null,
    actions: { decide: mayDecide && open > 0, signOff: mayDecide && open === 0 },
  };
}

/** The outbox dedupe key of a month's governance card. */
export function governanceCardKey(month: string): string {
  return `governance-review:${month}`;
}
