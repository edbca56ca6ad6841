import type {
  Actor,
  EscalationActionResult,
  EscalationActions,
  EscalationDecisionEffects,
} from '../delivery-views';
import { type Escalation } from '../../domain/delivery/escalation';
import {
  acknowledge,
  assignMitigationOwner,
  markFalsePositive,
  snooze,
  type EscalationActionResult as DomainResult,
} from '../../domain/delivery/escalation-human-actions';
import type { Clock } from '../../shared/clock';
import { DecisionsInFlight } from '../../shared/decisions-in-flight';
import { deepFreeze } from '../../shared/deep-freeze';
import type { EscalationRecords } from './escalation-records.port';

/** An escalation as `EscalationRecords.find` reads it, with its card's view of any state. */
type Found = NonNullable<Awaited<ReturnType<EscalationRecords['find']>>>;

/**
 * Human decisions on escalations (acknowledge, assign, snooze, not a real issue). Who may act: the
 * project's PM, the escalation's owner or mitigation owner, and delivery directors. Every outcome is
 * a value; concurrent clicks are serialised by compare-and-set on the escalation's `updatedAt`.
 */
export class EscalationActionsService implements EscalationActions {
  /** Decisions being recorded in this process, by escalation, with the escalation as each left it. */
  private readonly deciding = new DecisionsInFlight<Found>(
    (left, found) =>
      left.escalation.events.length > found.escalation.events.length ||
      left.escalation.updatedAt > found.escalation.updatedAt,
  );

  constructor(
    private readonly records: EscalationRecords,
    private readonly clock: Clock,
  ) {}

  acknowledge(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    return this.act(tenantId, escalationId, actor, (e, by, at) => acknowledge(e, by, at), effects);
  }

  assign(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    agentId: number,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    return this.act(
      tenantId,
      escalationId,
      actor,
      (e, by, at) => assignMitigationOwner(e, String(agentId), by, at),
      effects,
    );
  }

  snooze(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    until: string,
    reason: string,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    if (reason.trim() === '')
      return this.refuseInput(tenantId, escalationId, 'A snooze needs a reason.');
    if (Number.isNaN(Date.parse(until)) || Date.parse(until) <= this.clock.now().getTime()) {
      return this.refuseInput(tenantId, escalationId, 'Snooze until a date in the future.');
    }
    return this.act(
      tenantId,
      escalationId,
      actor,
      (e, by, at) => snooze(e, reason.trim(), new Date(until).toISOString(), by, at),
      effects,
    );
  }

  markFalsePositive(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    reason: string,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    if (reason.trim() === '')
      return this.refuseInput(tenantId, escalationId, 'Say why this is not a real issue.');
    return this.act(
      tenantId,
      escalationId,
      actor,
      (e, by, at) => markFalsePositive(e, reason.trim(), by, at),
      effects,
    );
  }

  /**
   * One read (the escalation with everything its card shows), the rules, then one transaction: the
   * compare-and-set with the caller's `effects` (log entry, card update). Views are built from the
   * read, so a refusal costs no further round trip.
   */
  private async act(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    reduce: (e: Escalation, by: string, at: string) => DomainResult,
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult> {
    const key = JSON.stringify([tenantId, escalationId]);
    // What a decision made in this process just left of the escalation, to judge again on.
    let left: Found | null = null;
    // The last decision waited for: never twice, whatever the map still holds.
    let waitedFor: Promise<Found | null> | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const found =
        left ?? (await this.deciding.read(key, () => this.records.find(tenantId, escalationId)));
      left = null;
      if (!found) {
        return {
          ok: false,
          reason: 'not-found',
          message: 'This escalation no longer exists.',
          escalation: null,
        };
      }
      const { escalation, pmAgentId, view } = found;
      if (!mayAct(actor, escalation, pmAgentId)) {
        return {
          ok: false,
          reason: 'not-authorised',
          message:
            'Only the project manager, the escalation owner or mitigation owner, or a delivery director can act on this escalation.',
          escalation: view(escalation),
        };
      }
      const by =
        actor.haloAgentId !== null ? String(actor.haloAgentId) : (actor.email ?? actor.name);
      const result = reduce(escalation, by, this.clock.now().toISOString());
      if (!result.ok) {
        return {
          ok: false,
          reason: 'invalid-state',
          message: `Nothing to do: ${result.problem}.`,
          escalation: view(escalation),
        };
      }
      // Frozen: it is shared with the clicks that wait for this decision (below).
      const decided = deepFreeze(view(result.escalation));
      const alongside = effects
        ? (ports: Parameters<typeof effects>[1]) => effects(decided, ports)
        : undefined;
      // Already so (a second Acknowledge): nothing to decide, so nothing is written alongside.
      if (result.escalation === escalation)
        return { ok: true, escalation: decided, changed: false };
      // Fifty clicks at once share one read, so all fifty judge the escalation as it was: one
      // decides, the others wait for it and judge again on the escalation as it left it (a second
      // Acknowledge is then a no-op) instead of each opening a transaction that can only lose the
      // compare-and-set behind the first one's row lock.
      const deciding = this.deciding.other(key, waitedFor);
      if (deciding !== null) {
        waitedFor = deciding;
        left = await deciding;
        attempt -= 1;
        continue;
      }
      const next = result.escalation;
      const saved = await this.deciding.record(
        key,
        this.records.compareAndSet(tenantId, next, escalation.updatedAt, alongside),
        // The waiters judge on the escalation as decided, and answer with its view as built here.
        (done): Found | null =>
          done
            ? { ...found, escalation: next, view: (e) => (e === next ? decided : view(e)) }
            : null,
      );
      if (saved) return { ok: true, escalation: decided, changed: true };
      // Someone else changed it meanwhile: decide again on the fresh state.
    }
    throw new Error(`escalation ${escalationId} kept changing under concurrent actions`);
  }

  private async refuseInput(
    tenantId: string,
    escalationId: string,
    message: string,
  ): Promise<EscalationActionResult> {
    const found = await this.records.find(tenantId, escalationId);
    return {
      ok: false,
      reason: 'invalid-input',
      message,
      escalation: found ? found.view(found.escalation) : null,
    };
  }
}

/** Segregation by role and ownership (SPEC §1): PMs act on their own projects' escalations. */
export function mayAct(actor: Actor, e: Escalation, pmAgentId: number | null): boolean {
  if (actor.roles.includes('delivery_director')) return true;
  const me = actor.haloAgentId === null ? null : String(actor.haloAgentId);
  if (me === null) return false;
  return (
    me === (pmAgentId === null ? null : String(pmAgentId)) ||
    me === e.ownerAgentId ||
    me === e.mitigationOwnerAgentId
  );
}
