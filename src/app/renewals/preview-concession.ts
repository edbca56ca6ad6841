/**
 * Shows an account manager what a concession would come to before they request it (SPEC §3.4):
 * depth, margin after, expected retention effect, precedent and who would approve. Nothing is
 * stored; the request itself assesses again with the same function.
 */
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import { assessConcessionRequest } from './assess-concession-request';
import { CONCESSION_REQUESTER_ROLES } from './concession-outcome';
import type { RenewalStore } from './renewal-store.port';
import { refuseStep as refuse, type WorkflowResult } from './renewal-step';
import type { ConcessionPreview } from './renewal-views';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';

/** What previewing a concession needs. */
export interface PreviewConcessionDeps {
  store: Pick<RenewalStore, 'contracts' | 'snapshots' | 'concessions'>;
  clock: Clock;
  /** The tenant's policy, read at each use. */
  policy: RenewalPolicySource;
}

/** Preview a concession request. */
export class PreviewConcession {
  constructor(private readonly deps: PreviewConcessionDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; discountPct: number; reason: string },
  ): Promise<WorkflowResult<ConcessionPreview>> {
    if (!actor.roles.some((r) => (CONCESSION_REQUESTER_ROLES as readonly string[]).includes(r))) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners request concessions.',
      );
    }
    const { store, clock } = this.deps;
    const policy = await policyNow(this.deps.policy);
    const assessed = await assessConcessionRequest(store, policy, actor, input, clock.now());
    if (!assessed.ok) return refuse(assessed.reason, assessed.message);
    const a = assessed.assessment;
    return {
      ok: true,
      value: {
        contractId: input.contractId,
        discountPct: a.depthPct,
        monthlyRevenueBefore: a.monthlyRevenueBefore,
        monthlyRevenueAfter: a.monthlyRevenueAfter,
        marginBeforePct: a.marginBeforePct,
        marginAfterPct: a.marginAfterPct,
        renewalProbabilityBefore: a.expectedRetentionEffect.renewalProbabilityBefore,
        renewalProbabilityAfter: a.expectedRetentionEffect.renewalProbabilityAfter,
        expectedMonthlyRevenueDelta: a.expectedRetentionEffect.expectedMonthlyRevenueDelta,
        retention: a.expectedRetentionEffect.assumption,
        precedentAvgDepthPct: a.precedentAvgDepthPct,
        precedentCount: a.precedentCount,
        approverTier: a.approverTier,
        tierReasons: a.tierReasons,
        problems: a.problems,
      },
    };
  }
}
