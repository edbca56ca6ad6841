/** What a concession on a contract is assessed against: its monthly value and cost, type and band. */
import type { ConcessionContract, ReadinessBand } from '../../domain/renewals';
import { billingPeriodMonths } from './build-contract-facts';
import type { RenewalStore } from './renewal-store.port';

/**
 * The contract as the concession assessment reads it (per month, from HaloPSA's per-period
 * figures), or why it cannot be discounted.
 */
export async function concessionContract(
  store: Pick<RenewalStore, 'contracts' | 'snapshots'>,
  contractId: number,
): Promise<
  { ok: true; contract: ConcessionContract } | { ok: false; reason: 'not-found' | 'no-value' }
> {
  const money = (await store.contracts.contractMoney([contractId])).get(contractId);
  if (!money) return { ok: false, reason: 'not-found' };
  const months = billingPeriodMonths(money.billingPeriod) ?? 1;
  const monthlyValue = (money.periodCharge ?? 0) / months;
  if (!(monthlyValue > 0)) return { ok: false, reason: 'no-value' };
  const [latest] = await store.snapshots.snapshots(contractId, 1);
  return {
    ok: true,
    contract: {
      contractId: String(contractId),
      monthlyValue,
      monthlyCost:
        money.costPerPeriod !== null && money.costPerPeriod > 0
          ? money.costPerPeriod / months
          : null,
      contractType: money.contractType,
      band: (latest?.band as ReadinessBand | undefined) ?? 'unknown',
    },
  };
}
