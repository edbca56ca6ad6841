/**
 * An account manager requests a discount on a contract's renewal, with a reason (SPEC §3.4). The
 * request is assessed (depth, margin after, expected retention effect, precedent) and routed to the
 * approver tier the policy names. The request, the contract's timeline event, the audit entry and
 * the card in the renewals channel are written in one transaction; every refusal is audited too.
 */
import { concessionPendingNotice } from '../../domain/notifications/personal-notices';
import type { Clock } from '../../shared/clock';
import { peopleKey, personalIntent } from '../notifications/personal-intent';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import { assessConcessionRequest } from './assess-concession-request';
import {
  actorKey,
  auditActor,
  CONCESSION_REQUESTER_ROLES,
  concessionCardKey,
  REFUSAL_TEXT,
  type ConcessionResult,
  type ConcessionServiceRefusal,
} from './concession-outcome';
import { presentConcession } from './present-concession';
import type { ConcessionPayload } from './renewal-payloads';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';

/** What requesting a concession needs. */
export interface RequestConcessionDeps {
  store: Pick<RenewalStore, 'contracts' | 'snapshots' | 'concessions' | 'approvers'>;
  /** The audit trail outside any transaction (for refusals). */
  audit: AuditTrail;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
  /** The tenant's policy, read at each use. */
  policy: RenewalPolicySource;
  /** Notified after the card was queued in the outbox. */
  outboxChanged: Signal;
}

/** Request `discountPct` % off a contract's renewal. */
export class RequestConcession {
  constructor(private readonly deps: RequestConcessionDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; discountPct: number; reason: string },
  ): Promise<ConcessionResult> {
    const { store, clock } = this.deps;
    const refuse = async (
      reason: ConcessionServiceRefusal,
      message: string,
    ): Promise<ConcessionResult> => {
      await this.deps.audit.append({
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'concession.request.refused',
        actor: auditActor(actor),
        detail: { reason, discountPct: input.discountPct },
      });
      return { ok: false, reason, message, concession: null };
    };
    if (!actor.roles.some((r) => (CONCESSION_REQUESTER_ROLES as readonly string[]).includes(r))) {
      return refuse('not-authorised', REFUSAL_TEXT['not-authorised']);
    }
    const at = clock.now();
    const policy = await policyNow(this.deps.policy);
    const assessed = await assessConcessionRequest(store, policy, actor, input, at);
    if (!assessed.ok) return refuse(assessed.reason, assessed.message);
    const { assessment, label } = assessed;
    if (assessment.problems.length > 0) {
      return refuse('invalid-input', `Not requested: ${assessment.problems.join('; ')}.`);
    }
    const result = await this.deps.uow.transaction(async (tx) => {
      const id = await tx.concessions.insertConcession({
        contractId: input.contractId,
        clientId: label?.clientId ?? null,
        discountPct: input.discountPct,
        reason: input.reason.trim(),
        assessment: assessment as unknown as Record<string, unknown>,
        approverTier: assessment.approverTier,
        requestedBy: { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId },
        requestedByKey: actorKey(actor),
        requestedAt: at.toISOString(),
      });
      if (id === null) return null;
      const row = (await tx.concessions.concession(id))!;
      const view = await presentConcession(tx, row);
      await tx.events.addEvent({
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'concession.requested',
        actor: actor.name,
        summary: `${actor.name} requested a ${input.discountPct} % concession (${assessment.approverTier.replace('_', ' ')} approves): ${input.reason.trim()}`,
        detail: { concessionId: id, tier: assessment.approverTier },
      });
      await tx.audit.append({
        subjectType: 'concession',
        subjectId: String(id),
        action: 'concession.requested',
        actor: auditActor(actor),
        detail: {
          contractId: input.contractId,
          discountPct: input.discountPct,
          reason: input.reason.trim(),
          approverTier: assessment.approverTier,
          marginAfterPct: assessment.marginAfterPct,
        },
      });
      const payload: ConcessionPayload = { concession: view, notice: null };
      await tx.outbox.enqueue({
        dedupeKey: concessionCardKey(id),
        kind: 'concession',
        payload,
        target: { streams: ['renewals'], clientId: label?.clientId ?? null },
      });
      await tx.outbox.enqueue(
        personalIntent(
          peopleKey(concessionCardKey(id)),
          concessionPendingNotice({
            contractId: input.contractId,
            clientName: view.clientName,
            discountPct: input.discountPct,
            eligibleApproverAadObjectIds: view.approverAadObjectIds,
          }),
          { kind: 'concession', payload },
        ),
      );
      await tx.concessions.setConcessionCard(id, concessionCardKey(id));
      return view;
    });
    if (result === null) return refuse('already-pending', REFUSAL_TEXT['already-pending']);
    this.deps.outboxChanged.notify();
    return { ok: true, concession: result };
  }
}
