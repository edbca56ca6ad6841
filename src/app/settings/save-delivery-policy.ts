import type { DeliveryPolicyConfig } from '../../domain/delivery/policy';
import { saveDeliveryPolicy } from '../delivery/delivery-policy-settings';
import type { DeliveryStore } from '../delivery/delivery-store.port';
import { readPolicySettings } from './read-policy-settings';
import type { PolicySettingsView } from './settings-views';
import type { PolicyVersions } from './tab-settings.port';

/** Saving a policy set from the settings page. */
export type SavePolicyOutcome =
  | { ok: true; settings: PolicySettingsView }
  | { ok: false; code: 'version-conflict'; message: string }
  | { ok: false; code: 'invalid-policy'; message: string; problems: string[] };

/**
 * Saves an edited delivery policy as the tenant's next version, only if the editor started from the
 * current version (else `version-conflict`) and the set is valid (else `invalid-policy`).
 */
export class SaveDeliveryPolicy {
  constructor(
    private readonly versions: PolicyVersions,
    /** The tenant's delivery store (policy versions), per tenant. */
    private readonly policyStore: (tenantId: string) => Pick<DeliveryStore, 'savePolicy'>,
  ) {}

  async run(
    tenantId: string,
    config: DeliveryPolicyConfig,
    baseVersion: number | null,
    by: string,
  ): Promise<SavePolicyOutcome> {
    const current = await this.versions.policy(tenantId);
    if ((baseVersion ?? 0) !== (current.version ?? 0)) {
      return {
        ok: false,
        code: 'version-conflict',
        message: `The policy changed meanwhile (now version ${current.version ?? 'default'}); reload and try again.`,
      };
    }
    const saved = await saveDeliveryPolicy(this.policyStore(tenantId), config, by);
    if (!saved.ok) {
      return {
        ok: false,
        code: 'invalid-policy',
        message: 'The policy is not valid.',
        problems: saved.problems,
      };
    }
    return { ok: true, settings: await readPolicySettings(this.versions, tenantId) };
  }
}
