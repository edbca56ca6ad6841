/**
 * What a concession request would come to on a contract, from stored data: its depth, margin after,
 * expected retention effect, precedent and approver tier (SPEC §3.4). Shared by the request and by
 * its preview, so the account manager sees before submitting exactly what the approver will see.
 */
import {
  assessConcession,
  type ConcessionAssessment,
  type ReadinessBand,
  type RenewalPolicy,
} from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import { billingPeriodMonths } from './build-contract-facts';
import { actorKey } from './concession-outcome';
import type { ContractLabel } from './contract-catalog.port';
import { concessionPrecedents } from './present-concession';
import type { RenewalStore } from './renewal-store.port';

/** An assessed request, or why it cannot be assessed. */
export type AssessedConcession =
  | { ok: true; assessment: ConcessionAssessment; label: ContractLabel | null }
  | { ok: false; reason: 'not-found' | 'invalid-input'; message: string };

/** Assess `discountPct` % off `contractId` for `actor` at `at`. */
export async function assessConcessionRequest(
  store: Pick<RenewalStore, 'contracts' | 'snapshots' | 'concessions'>,
  policy: RenewalPolicy,
  actor: Actor,
  input: { contractId: number; discountPct: number; reason: string },
  at: Date,
): Promise<AssessedConcession> {
  if (!Number.isInteger(input.contractId) || input.contractId <= 0) {
    return { ok: false, reason: 'invalid-input', message: 'Say which contract (its id).' };
  }
  if (!Number.isFinite(input.discountPct)) {
    return {
      ok: false,
      reason: 'invalid-input',
      message: 'The discount must be a number of percent, e.g. 8.',
    };
  }
  const money = (await store.contracts.contractMoney([input.contractId])).get(input.contractId);
  if (!money) {
    return { ok: false, reason: 'not-found', message: `There is no contract ${input.contractId}.` };
  }
  const labels = await store.contracts.contractLabels([input.contractId]);
  const months = billingPeriodMonths(money.billingPeriod) ?? 1;
  const monthlyValue = (money.periodCharge ?? 0) / months;
  if (!(monthlyValue > 0)) {
    return {
      ok: false,
      reason: 'invalid-input',
      message: 'The contract has no recurring value to discount.',
    };
  }
  const latest = (await store.snapshots.latestSnapshots()).find(
    (s) => s.contractId === input.contractId,
  );
  const assessment = assessConcession(
    {
      id: 'new',
      contractId: String(input.contractId),
      requestedBy: actorKey(actor),
      discountPct: input.discountPct,
      reason: input.reason,
      requestedAt: at.toISOString(),
    },
    {
      contractId: String(input.contractId),
      monthlyValue,
      monthlyCost:
        money.costPerPeriod !== null && money.costPerPeriod > 0
          ? money.costPerPeriod / months
          : null,
      contractType: money.contractType,
      band: (latest?.band as ReadinessBand | undefined) ?? 'unknown',
    },
    await concessionPrecedents(store),
    policy,
  );
  return { ok: true, assessment, label: labels.get(input.contractId) ?? null };
}
