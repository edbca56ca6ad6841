import { validatePolicyConfig, type DeliveryPolicyConfig } from '../../domain/delivery/policy';
import type { DeliveryStore } from './delivery-store.port';

/** Saving a policy set: the new version, or every problem that stopped it. */
export type PolicySaveResult = { ok: true; version: number } | { ok: false; problems: string[] };

/**
 * Saves a delivery policy set as the tenant's next version, only if the default and every merged
 * override are valid: a bad threshold is refused when saved, not discovered at the next evaluation.
 */
export async function saveDeliveryPolicy(
  store: Pick<DeliveryStore, 'savePolicy'>,
  config: DeliveryPolicyConfig,
  by: string,
): Promise<PolicySaveResult> {
  const checked = validatePolicyConfig(config);
  if (!checked.ok) return checked;
  return { ok: true, version: await store.savePolicy(checked.config, by) };
}
