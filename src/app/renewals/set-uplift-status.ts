/**
 * Records the customer's answer (accepted / declined) on a proposed uplift opportunity, once, with
 * the reason the account manager gives: the answer, the timeline event and the audit entry in one
 * transaction.
 */
import { decideUplift, type UpliftOpportunity } from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import { refuseStep as refuse, runsRenewals, type WorkflowResult } from './renewal-step';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What answering an uplift opportunity needs. */
export interface SetUpliftStatusDeps {
  store: Pick<RenewalStore, 'uplift'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
}

/** Record the customer's answer on an uplift opportunity. */
export class SetUpliftStatus {
  constructor(private readonly deps: SetUpliftStatusDeps) {}

  async run(
    actor: Actor,
    input: { opportunityId: string; status: string; reason?: string },
  ): Promise<WorkflowResult<UpliftOpportunity>> {
    const { store, clock } = this.deps;
    if (!runsRenewals(actor)) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners answer uplift.',
      );
    }
    if (input.status !== 'accepted' && input.status !== 'declined') {
      return refuse('invalid-input', 'The status must be accepted or declined.');
    }
    const contractId = Number(input.opportunityId.split(':')[0]);
    const opp = Number.isInteger(contractId)
      ? (await store.uplift.uplift(contractId)).find((o) => o.id === input.opportunityId)
      : undefined;
    if (!opp) return refuse('not-found', 'There is no such uplift opportunity.');
    const reason = input.reason?.trim() || null;
    if (input.status === 'declined' && reason === null && input.reason !== undefined) {
      return refuse('invalid-input', 'Say why the customer declined.');
    }
    const at = clock.now();
    const decided = decideUplift(opp, {
      status: input.status,
      by: actor.name,
      on: at.toISOString().slice(0, 10),
    });
    if (!decided.ok) return refuse('invalid-state', `Already ${opp.status}.`);
    const done = await this.deps.uow.transaction(async (tx) => {
      const moved = await tx.uplift.decideUplift(
        opp.id,
        input.status as 'accepted' | 'declined',
        actor.name,
        at.toISOString().slice(0, 10),
        at,
        reason,
      );
      if (!moved) return false;
      await tx.events.addEvent({
        contractId,
        at: at.toISOString(),
        kind: 'uplift.decided',
        actor: actor.name,
        summary: `Uplift ${opp.kind} (${opp.subject}) ${input.status} by ${actor.name}${reason ? `: ${reason}` : ''}`,
        detail: { opportunityId: opp.id, status: input.status, reason },
      });
      await tx.audit.append({
        subjectType: 'contract',
        subjectId: String(contractId),
        action: `uplift.${input.status}`,
        actor: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
        detail: {
          opportunityId: opp.id,
          estimatedMonthlyUplift: opp.estimatedMonthlyUplift,
          reason,
        },
      });
      return true;
    });
    if (!done) return refuse('invalid-state', 'Someone answered it first.');
    return { ok: true, value: { ...decided.opportunity, decisionReason: reason } };
  }
}
