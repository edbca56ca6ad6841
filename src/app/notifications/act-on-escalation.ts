import type {
  Actor,
  EscalationActionResult,
  EscalationActions,
  EscalationView,
} from '../delivery-views';
import type { ConversationRef, Outbox } from '../ports/notifications.port';
import type { Transactional } from '../ports/transaction.port';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { BotActionLog } from './bot-action-log.port';
import type { EscalationPayload } from './notification-payloads';

/** The escalation card's buttons. */
export type EscalationVerb =
  'escalation.acknowledge' | 'escalation.assign' | 'escalation.snooze' | 'escalation.falsePositive';

/** One click on an escalation card, with the card's inputs as typed. */
export interface EscalationClick {
  actor: Actor;
  verb: EscalationVerb;
  escalationId: string;
  inputs: {
    agentId: string;
    snoozeUntil: string;
    snoozeReason: string;
    falsePositiveReason: string;
  };
  /** The clicked card, replaced in place for everyone when the action is done; null when unknown. */
  clickedCard: { conversation: ConversationRef; activityId: string } | null;
}

/** What the click did: the escalation with the banner to show, or why not. */
export type EscalationClickOutcome =
  | { ok: true; escalation: EscalationView; notice: string }
  | Extract<EscalationActionResult, { ok: false }>;

/** The ports an escalation click works through. */
export interface ActOnEscalationDeps {
  tenantId: string;
  escalations: EscalationActions;
  actions: BotActionLog;
  outbox: Transactional<{ outbox: Outbox }>;
  outboxSignal: Signal;
  clock: Clock;
}

/**
 * Acknowledge, assign, snooze or mark an escalation not a real issue from its card: checks the inputs,
 * asks the escalation rules (who may act is theirs to say), logs the attempt, and queues the in-place
 * update of the clicked card so everyone in the channel sees the change.
 */
export class ActOnEscalation {
  constructor(private readonly deps: ActOnEscalationDeps) {}

  async run(click: EscalationClick): Promise<EscalationClickOutcome> {
    const { actor, verb, escalationId, inputs } = click;
    const { tenantId, escalations } = this.deps;
    let result: EscalationActionResult;
    let details: Record<string, unknown> = {};
    if (escalationId === '') {
      result = invalid('That button has no escalation.');
    } else if (verb === 'escalation.acknowledge') {
      result = await escalations.acknowledge(tenantId, escalationId, actor);
    } else if (verb === 'escalation.assign') {
      const agentId = Number(inputs.agentId);
      details = { agentId };
      result =
        Number.isInteger(agentId) && agentId > 0
          ? await escalations.assign(tenantId, escalationId, actor, agentId)
          : invalid('Pick the mitigation owner first.');
    } else if (verb === 'escalation.snooze') {
      const until = inputs.snoozeUntil;
      const reason = inputs.snoozeReason;
      details = { until, reason };
      result =
        !/^\d{4}-\d{2}-\d{2}/.test(until) || reason === ''
          ? invalid('A snooze needs an end date and a reason.')
          : await escalations.snooze(tenantId, escalationId, actor, until, reason);
    } else {
      const reason = inputs.falsePositiveReason;
      details = { reason };
      result =
        reason === ''
          ? invalid('Say why this is not a real issue: the reason tunes the thresholds.')
          : await escalations.markFalsePositive(tenantId, escalationId, actor, reason);
    }

    await this.deps.actions.record({
      at: this.deps.clock.now(),
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action: verb,
      targetKind: 'escalation',
      targetId: escalationId,
      outcome: result.ok ? 'done' : 'refused',
      reason: result.ok ? null : result.reason,
      details,
    });
    if (!result.ok) return result;

    const notice = `${capitalise(describe(verb))} by ${actor.name} at ${this.deps.clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    if (click.clickedCard)
      await this.updateClickedCard(click.clickedCard, result.escalation, notice);
    return { ok: true, escalation: result.escalation, notice };
  }

  private async updateClickedCard(
    clicked: { conversation: ConversationRef; activityId: string },
    escalation: EscalationView,
    notice: string,
  ): Promise<void> {
    const { conversation, activityId } = clicked;
    const payload: EscalationPayload = { escalation, notice: { tone: 'success', text: notice } };
    await this.deps.outbox.transaction(({ outbox }) =>
      outbox.enqueue({
        dedupeKey: `card-update:${conversation.conversationId}:${activityId}:${escalation.state}:${escalation.history.length}`,
        kind: 'escalation',
        payload,
        updateActivity: { conversation, activityId },
        decision: true,
      }),
    );
    this.deps.outboxSignal.notify();
  }
}

function invalid(message: string): EscalationActionResult {
  return { ok: false, reason: 'invalid-input', message, escalation: null };
}

function describe(verb: EscalationVerb): string {
  switch (verb) {
    case 'escalation.acknowledge':
      return 'acknowledged';
    case 'escalation.assign':
      return 'mitigation owner assigned';
    case 'escalation.snooze':
      return 'snoozed';
    default:
      return 'marked as not a real issue';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
