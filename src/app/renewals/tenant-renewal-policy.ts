import { DEFAULT_RENEWAL_POLICY, type RenewalPolicy } from '../../domain/renewals';
import type { CurrentRenewalPolicy, RenewalPolicyVersions } from './renewal-policies.port';

/**
 * The tenant's renewal policy: its newest saved version, else the built-in default.
 * Read at each use, so an accepted governance suggestion applies from the next judgement on.
 */
export class TenantRenewalPolicy implements CurrentRenewalPolicy {
  constructor(
    private readonly versions: Pick<RenewalPolicyVersions, 'newest'>,
    private readonly fallback: RenewalPolicy = DEFAULT_RENEWAL_POLICY,
  ) {}

  async current(): Promise<RenewalPolicy> {
    return (await this.versions.newest())?.policy ?? this.fallback;
  }
}
