import type { RenewalPolicy } from '../../domain/renewals';

/** One saved version of the tenant's renewal policy. */
export interface RenewalPolicyVersion {
  version: number;
  policy: RenewalPolicy;
  createdAt: string;
  createdBy: string;
  /** Why it exists, e.g. the governance suggestion it applies. */
  reason: string;
}

/** The tenant's saved renewal policy versions (`renewal_policies`). */
export interface RenewalPolicyVersions {
  /** The newest saved version; null when none was saved (the built-in default applies). */
  newest(): Promise<RenewalPolicyVersion | null>;
  /** Every saved version, newest first. */
  versions(): Promise<RenewalPolicyVersion[]>;
  /**
   * Stores `policy` as its own `version`; false when that version already exists (someone saved
   * meanwhile), so two concurrent saves never both win.
   */
  save(entry: RenewalPolicyVersion): Promise<boolean>;
}

/** Where a use case reads the renewal policy it judges with, at the moment it judges. */
export interface CurrentRenewalPolicy {
  current(): Promise<RenewalPolicy>;
}

/** A fixed policy (tests, replay, benchmark) or the tenant's current stored version. */
export type RenewalPolicySource = RenewalPolicy | CurrentRenewalPolicy;

/** The policy `source` names now. */
export async function policyNow(source: RenewalPolicySource): Promise<RenewalPolicy> {
  return 'current' in source ? source.current() : source;
}
