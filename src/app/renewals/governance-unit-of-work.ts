import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { ConcessionApprovers } from './concession-requests.port';
import type { GovernanceReviews } from './governance-reviews.port';
import type { RenewalPolicyVersions } from './renewal-policies.port';

/** What one governance transaction writes: reviews, policy versions, audit and outbox, atomically. */
export interface GovernanceUnitOfWork {
  reviews: GovernanceReviews;
  policies: RenewalPolicyVersions;
  /** Who decides (the cs leads' Entra ids for the card's refresh). */
  approvers: ConcessionApprovers;
  audit: AuditTrail;
  outbox: Outbox;
}
