/**
 * Approve or reject a concession (SPEC §3.4), in one short transaction. The request and everything
 * its card shows are read first, without locks, and the domain judges that snapshot: a refusal (the
 * wrong role, the requester, a stale card, a decided request) never opens a transaction and shows
 * the card as read. A decision is written by compare-and-set on (status, version), so of any number
 * of concurrent clicks exactly one decides, together with everything that must survive a crash once
 * the decider is told: the contract's timeline event, the card update for everyone (outbox) and the
 * audit entry, last, so the tenant's audit head is held only until commit. A click that lost the
 * race is refused as already decided with the card as it now stands. Approvers clicking at once
 * share one read, and while one decision is being recorded the others wait for it and are judged
 * on the request as it left it, without a transaction of their own (DecisionsInFlight). Refusals
 * change nothing, so they are recorded after the answer, outside any transaction: in the audit
 * trail (batched: many approvers refused at once take the audit head once) and on the contract's
 * timeline.
 */
import { decideConcession, type ConcessionRefusal } from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import { DecisionsInFlight } from '../../shared/decisions-in-flight';
import { FollowUps } from '../../shared/follow-ups';
import { groupRead } from '../../shared/group-commit';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { AuditTrail } from '../ports/audit.port';
import type { Transactional } from '../ports/transaction.port';
import type { ConcessionRow } from './concession-requests.port';
import {
  actorKey,
  auditActor,
  concessionStateOf,
  REFUSAL_TEXT,
  type ConcessionResult,
} from './concession-outcome';
import {
  concessionViewFrom,
  readConcessionViewParts,
  type ConcessionViewParts,
} from './present-concession';
import type { ConcessionPayload } from './renewal-payloads';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What deciding a concession needs. */
export interface DecideConcessionDeps {
  /** Reads before the decision, and the refusals' timeline events (on the pool). */
  store: Pick<RenewalStore, 'concessions' | 'contracts' | 'approvers' | 'events'>;
  /**
   * Records refusals (outside any transaction: a refusal changes nothing). The module passes a
   * trail that appends them in batches: many approvers refused at once take the audit head once.
   */
  audit: AuditTrail;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
  /** Notified after the card update was queued in the outbox. */
  outboxChanged: Signal;
  /** Told when work done after the answer failed (a refusal's audit entry was not written). */
  followUpFailed?: (error: unknown) => void;
}

/** A request and the parts of its card, as read (shared by deciders reading at once: read-only). */
interface ConcessionRead {
  row: ConcessionRow;
  parts: ConcessionViewParts;
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
  private readonly followUps = new FollowUps((error) => this.deps.followUpFailed?.(error));
  /** Decisions being recorded in this process, by request, with the request as each left it. */
  private readonly deciding = new DecisionsInFlight<ConcessionRead>(
    (left, found) => left.row.version > found.row.version,
  );

  constructor(private readonly deps: DecideConcessionDeps) {}

  async run(actor: Actor, input: ConcessionDecisionInput): Promise<ConcessionResult> {
    const at = this.deps.clock.now().toISOString();
    // What a decision made in this process just left of the request, to judge again on.
    let left: ConcessionRead | null = null;
    let waitedFor: Promise<ConcessionRead | null> | null = null;
    // Each pass answers, or waits for a decision it has not waited for before.
    for (;;) {
      const read =
        left ??
        (await this.deciding.read(String(input.concessionId), () => this.read(input.concessionId)));
      left = null;
      if (!read) {
        return {
          ok: false,
          reason: 'not-found',
          message: REFUSAL_TEXT['not-found'],
          concession: null,
        };
      }
      const { row, parts } = read;
      const judged = decideConcession(concessionStateOf(row), {
        actor: actorKey(actor),
        actorRoles: actor.roles,
        decision: input.decision,
        at,
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
      if (!judged.ok) return this.refuse(actor, input, row, parts, judged.reason, at);
      const deciding = this.deciding.other(String(row.id), waitedFor);
      if (deciding !== null) {
        waitedFor = deciding;
        left = await deciding;
        continue;
      }
      const status = judged.state.status === 'approved' ? 'approved' : 'rejected';
      const decidedBy = { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId };
      const comment = judged.state.comment;
      // The request as the compare-and-set leaves it: the card is built without reading it again.
      const decided: ConcessionRow = {
        ...row,
        status,
        version: judged.expectedVersion + 1,
        decidedBy,
        decidedAt: at,
        comment,
      };
      const view = concessionViewFrom(decided, parts);
      const applied = await this.deciding.record(
        String(row.id),
        this.deps.uow.transaction(async (tx) => {
          // The compare-and-set first: a lost race writes nothing and holds nothing.
          const swapped = await tx.concessions.decideConcession(row.id, judged.expectedVersion, {
            status,
            decidedBy,
            decidedAt: at,
            comment,
          });
          if (!swapped) return false;
          await tx.events.addEvent({
            contractId: row.contractId,
            at,
            kind: 'concession.decided',
            actor: actor.name,
            summary: `${actor.name} ${status} the ${row.discountPct} % concession${comment ? `: ${comment}` : ''}`,
            detail: { concessionId: row.id, status },
          });
          const cardKey = await tx.concessions.concessionCard(row.id);
          if (cardKey !== null) {
            const payload: ConcessionPayload = {
              concession: view,
              notice: {
                tone: 'success',
                text: `${status[0]!.toUpperCase()}${status.slice(1)} by ${actor.name} at ${at.slice(0, 16).replace('T', ' ')} UTC`,
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
          await tx.audit.append({
            subjectType: 'concession',
            subjectId: String(row.id),
            action: `concession.${status}`,
            actor: auditActor(actor),
            detail: {
              contractId: row.contractId,
              discountPct: row.discountPct,
              comment,
              approverTier: row.approverTier,
            },
          });
          return true;
        }),
        // A lost compare-and-set leaves nothing known to judge on: its waiters read again.
        (swapped) => (swapped ? { row: decided, parts } : null),
      );
      if (!applied) {
        // Someone else decided between our read and our write: show the card as it now stands.
        const now = (await this.deps.store.concessions.concession(row.id)) ?? row;
        return this.refuse(actor, input, now, parts, 'already-decided', at);
      }
      this.deps.outboxChanged.notify();
      return { ok: true, concession: view };
    }
  }

  /** Resolves when the refusals recorded after their answers so far are written. */
  idle(): Promise<void> {
    return this.followUps.idle();
  }

  /**
   * The request and its card's parts, without a transaction; null when there is no such request.
   * Deciders of the same request at once share one read begun after they all asked (`groupRead`).
   */
  private readonly read = groupRead(
    (ids: readonly number[]) => Promise.all(ids.map((id) => this.readOne(id))),
    (id) => String(id),
  );

  private async readOne(id: number): Promise<ConcessionRead | null> {
    const row = await this.deps.store.concessions.concession(id);
    return row ? { row, parts: await readConcessionViewParts(this.deps.store, row) } : null;
  }

  /**
   * Answers a refusal with the card as read, and records it after the answer (audit trail and
   * timeline, side by side): of many approvers at once, those refused do not wait for the writes.
   */
  private refuse(
    actor: Actor,
    input: ConcessionDecisionInput,
    row: ConcessionRow,
    parts: ConcessionViewParts,
    reason: ConcessionRefusal,
    at: string,
  ): ConcessionResult {
    this.followUps.add(() => this.recordRefusal(actor, input, row, reason, at));
    return {
      ok: false,
      reason,
      message: REFUSAL_TEXT[reason],
      concession: concessionViewFrom(row, parts),
    };
  }

  private async recordRefusal(
    actor: Actor,
    input: ConcessionDecisionInput,
    row: ConcessionRow,
    reason: ConcessionRefusal,
    at: string,
  ): Promise<void> {
    await Promise.all([
      this.deps.audit.append({
        subjectType: 'concession',
        subjectId: String(row.id),
        action: 'concession.refused',
        actor: auditActor(actor),
        detail: { contractId: row.contractId, reason, decision: input.decision },
      }),
      this.deps.store.events.addEvent({
        contractId: row.contractId,
        at,
        kind: 'concession.refused',
        actor: actor.name,
        summary: `${actor.name} could not ${input.decision} concession ${row.id}: ${REFUSAL_TEXT[reason]}`,
        detail: { concessionId: row.id, reason },
      }),
    ]);
  }
}
