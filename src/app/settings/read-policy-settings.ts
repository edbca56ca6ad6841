import { DEFAULT_POLICY_CONFIG } from '../delivery/evaluate-delivery';
import type { PolicySettingsView } from './settings-views';
import type { PolicyVersions } from './tab-settings.port';

/** The tenant's delivery policy as the settings page shows it: the built-in default until one is saved. */
export async function readPolicySettings(
  versions: PolicyVersions,
  tenantId: string,
): Promise<PolicySettingsView> {
  const p = await versions.policy(tenantId);
  return { ...p, config: p.config ?? DEFAULT_POLICY_CONFIG };
}
