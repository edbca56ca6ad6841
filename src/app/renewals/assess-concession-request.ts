/**
 * What a concession request would come to on a contract, from stored data: its depth, margin after,
 * expected retention effect, precedent and approver tier (SPEC §3.4). Shared by the request and by
 * its preview, so the account manager sees before submitting exactly what the approver will see.
 */
import {
  assessConcession,
  type ConcessionAssessment,
  type RenewalPolicy,
} from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import { concessionContract } from './concession-contract';
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
  const subject = await concessionContract(store, input.contractId);
  if (!subject.ok) {
    return subject.reason === 'not-found'
      ? { ok: false, reason: 'not-found', message: `There is no contract ${input.contractId}.` }
      : {
          ok: false,
          reason: 'invalid-input',
          message: 'The contract has no recurring value to discount.',
        };
  }
  const labels = await store.contracts.contractLabels([input.contractId]);
  const assessment = assessConcession(
    {
      id: 'new',
      contractId: String(input.contractId),
      requestedBy: actorKey(actor),
      discountPct: input.discountPct,
      reason: input.reason,
      requestedAt: at.toISOString(),
    },
    subject.contract,
    await concessionPrecedents(store),
    policy,
  );
  return { ok: true, assessment, label: labels.get(input.contractId) ?? null };
}
