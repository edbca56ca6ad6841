/**
 * Approve or reject a concession (SPEC §3.4). The decision is taken once: the domain refuses the
 * wrong role, the requester, a stale card and a decided request; the store applies it with
 * compare-and-set, so of any number of concurrent clicks exactly one decides. The decision or the
 * refusal is written to the audit trail and the contract's renewal timeline, and the posted card is
 * updated for everyone through the outbox, all in the deciding transaction.
 */
import { decideConcession, type ConcessionRefusal } from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import {
  actorKey,
  auditActor,
  concessionStateOf,
  REFUSAL_TEXT,
  type ConcessionResult,
} from './concession-outcome';
import { presentConcession } from './present-concession';
import type { ConcessionPayload } from './renewal-payloads';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What deciding a concession needs. */
export interface DecideConcessionDeps {
  store: Pick<RenewalStore, 'concessions' | 'contracts' | 'approvers'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
  /** Notified after the card update was queued in the outbox. */
  outboxChanged: Signal;
}

/** What a decision asks for. */
export interface ConcessionDecisionInput {
  concessionId: number;
  decision: 'approve' | 'reject';
  comment?: string;
  /** The version the actor's card showed (optional: the API may decide without one). */
  expectedVersion?: number;
}

/** Approve or reject a pending concession. */
export class DecideConcession {
  constructor(private readonly deps: DecideConcessionDeps) {}

  async run(actor: Actor, input: ConcessionDecisionInput): Promise<ConcessionResult> {
    const { store, clock } = this.deps;
    const outcome = await this.deps.uow.transaction(async (tx) => {
      const row = await tx.concessions.concession(input.concessionId);
      if (!row) return { kind: 'not-found' as const };
      const at = clock.now().toISOString();
      const decided = decideConcession(concessionStateOf(row), {
        actor: actorKey(actor),
        actorRoles: actor.roles,
        decision: input.decision,
        at,
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
      let reason: ConcessionRefusal | null = decided.ok ? null : decided.reason;
      if (decided.ok) {
        const applied = await tx.concessions.decideConcession(row.id, decided.expectedVersion, {
          status: decided.state.status === 'approved' ? 'approved' : 'rejected',
          decidedBy: { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId },
          decidedAt: at,
          comment: decided.state.comment,
        });
        // Someone else decided between our read and our write.
        if (!applied) reason = 'already-decided';
      }
      if (reason !== null) {
        await tx.audit.append({
          subjectType: 'concession',
          subjectId: String(row.id),
          action: 'concession.refused',
          actor: auditActor(actor),
          detail: { contractId: row.contractId, reason, decision: input.decision },
        });
        await tx.events.addEvent({
          contractId: row.contractId,
          at,
          kind: 'concession.refused',
          actor: actor.name,
          summary: `${actor.name} could not ${input.decision} concession ${row.id}: ${REFUSAL_TEXT[reason]}`,
          detail: { concessionId: row.id, reason },
        });
        return { kind: 'refused' as const, reason, id: row.id };
      }
      const stored = (await tx.concessions.concession(row.id))!;
      const view = await presentConcession(tx, stored);
      const verb = stored.status === 'approved' ? 'approved' : 'rejected';
      await tx.events.addEvent({
        contractId: row.contractId,
        at,
        kind: 'concession.decided',
        actor: actor.name,
        summary: `${actor.name} ${verb} the ${row.discountPct} % concession${stored.comment ? `: ${stored.comment}` : ''}`,
        detail: { concessionId: row.id, status: stored.status },
      });
      await tx.audit.append({
        subjectType: 'concession',
        subjectId: String(row.id),
        action: `concession.${verb}`,
        actor: auditActor(actor),
        detail: {
          contractId: row.contractId,
          discountPct: row.discountPct,
          comment: stored.comment,
          approverTier: row.approverTier,
        },
      });
      const cardKey = await tx.concessions.concessionCard(row.id);
      if (cardKey !== null) {
        const payload: ConcessionPayload = {
          concession: view,
          notice: {
            tone: 'success',
            text: `${verb[0]!.toUpperCase()}${verb.slice(1)} by ${actor.name} at ${at.slice(0, 16).replace('T', ' ')} UTC`,
          },
        };
        await tx.outbox.enqueue({
          dedupeKey: `${cardKey}:decided`,
          kind: 'concession',
          payload,
          updateOf: cardKey,
          decision: true,
        });
      }
      return { kind: 'decided' as const, view };
    });
    if (outcome.kind === 'not-found') {
      return {
        ok: false,
        reason: 'not-found',
        message: REFUSAL_TEXT['not-found'],
        concession: null,
      };
    }
    if (outcome.kind === 'refused') {
      const row = await store.concessions.concession(outcome.id);
      return {
        ok: false,
        reason: outcome.reason,
        message: REFUSAL_TEXT[outcome.reason],
        concession: row ? await presentConcession(store, row) : null,
      };
    }
    this.deps.outboxChanged.notify();
    return { ok: true, concession: outcome.view };
  }
}
