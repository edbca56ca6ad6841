/** Reads of the governance page: the stored reviews and the renewal policy versions. */
import { DEFAULT_RENEWAL_POLICY, type RenewalPolicy } from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import type { GovernanceReviews } from './governance-reviews.port';
import { governanceReviewView, type GovernanceReviewView } from './governance-review-view';
import type { RenewalPolicyVersions } from './renewal-policies.port';

/** One renewal policy version as the settings and governance pages list it. */
export interface RenewalPolicyVersionView {
  version: number;
  createdAt: string | null;
  createdBy: string;
  reason: string;
  current: boolean;
  policy: RenewalPolicy;
}

/** The governance page's reads. */
export class ReadGovernance {
  constructor(
    private readonly reviews: Pick<GovernanceReviews, 'review' | 'months'>,
    private readonly policies: Pick<RenewalPolicyVersions, 'versions'>,
    private readonly defaultPolicy: RenewalPolicy = DEFAULT_RENEWAL_POLICY,
  ) {}

  /** The months with a stored review, newest first. */
  months(): Promise<string[]> {
    return this.reviews.months();
  }

  /** One month's review as `actor` sees it; null when there is none. */
  async review(month: string, actor: Actor): Promise<GovernanceReviewView | null> {
    const stored = await this.reviews.review(month);
    return stored === null ? null : governanceReviewView(stored, actor);
  }

  /** Every renewal policy version, newest first, ending with the built-in default. */
  async policyVersions(): Promise<RenewalPolicyVersionView[]> {
    const saved = await this.policies.versions();
    const views: RenewalPolicyVersionView[] = saved.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      reason: v.reason,
      current: false,
      policy: v.policy,
    }));
    views.push({
      version: this.defaultPolicy.version,
      createdAt: null,
      createdBy: 'built in',
      reason: 'The default renewal policy',
      current: false,
      policy: this.defaultPolicy,
    });
    views[0]!.current = true;
    return views;
  }
}
