import type {
  Actor,
  EscalationActionResult,
  EscalationActions,
  EscalationDecisionEffects,
  EscalationView,
} from '../delivery-views';
import type { ConversationRef, Outbox } from '../ports/notifications.port';
import type { Clock } from '../../shared/clock';
import { FollowUps } from '../../shared/follow-ups';
import { toTextId } from '../../shared/input-schemas';
import type { Signal } from '../../shared/signal';
import type { ActionLogEntry, BotActionLog } from './bot-action-log.port';
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
  /** Logs refusals (a decision's entry is written by its `effects`, in its transaction). */
  actions: BotActionLog;
  outboxSignal: Signal;
  clock: Clock;
  /** Told when a log entry written after the answer (a refusal's, a no-op's) was not written. */
  followUpFailed?: (error: unknown) => void;
}

/**
 * Acknowledge, assign, snooze or mark an escalation not a real issue from its card: checks the inputs,
 * asks the escalation rules (who may act is theirs to say), logs the attempt, and queues the in-place
 * update of the clicked card so everyone in the channel sees the change.
 */
export class ActOnEscalation {
  private readonly followUps = new FollowUps((error) => this.deps.followUpFailed?.(error));

  constructor(private readonly deps: ActOnEscalationDeps) {}

  /** Resolves when the log entries of clicks answered so far are written. */
  idle(): Promise<void> {
    return this.followUps.idle();
  }

  async run(forgeable: EscalationClick): Promise<EscalationClickOutcome> {
    const click = withIdsThatCanBeStored(forgeable);
    const { actor, verb, escalationId, inputs } = click;
    const { tenantId, escalations } = this.deps;
    const at = this.deps.clock.now();
    const notice = `${capitalise(describe(verb))} by ${actor.name} at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    let details: Record<string, unknown> = {};
    const logEntry = (result: EscalationActionResult): ActionLogEntry => ({
      at,
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action: verb,
      targetKind: 'escalation',
      targetId: escalationId,
      outcome: result.ok ? 'done' : 'refused',
      reason: result.ok ? null : result.reason,
      details,
    });
    // What a decision writes with it, in its transaction: its log entry and the clicked card's
    // update for everyone in the channel.
    const effects: EscalationDecisionEffects = async (decided, ports) => {
      await ports.actions.record(logEntry({ ok: true, escalation: decided, changed: true }));
      if (click.clickedCard)
        await this.updateClickedCard(ports.outbox, click.clickedCard, decided, notice);
    };
    let result: EscalationActionResult;
    if (escalationId === '') {
      result = invalid('That button has no escalation.');
    } else if (verb === 'escalation.acknowledge') {
      result = await escalations.acknowledge(tenantId, escalationId, actor, effects);
    } else if (verb === 'escalation.assign') {
      const agentId = Number(inputs.agentId);
      details = { agentId };
      result =
        Number.isInteger(agentId) && agentId > 0
          ? await escalations.assign(tenantId, escalationId, actor, agentId, effects)
          : invalid('Pick the mitigation owner first.');
    } else if (verb === 'escalation.snooze') {
      const until = inputs.snoozeUntil;
      const reason = inputs.snoozeReason;
      details = { until, reason };
      result =
        !/^\d{4}-\d{2}-\d{2}/.test(until) || reason === ''
          ? invalid('A snooze needs an end date and a reason.')
          : await escalations.snooze(tenantId, escalationId, actor, until, reason, effects);
    } else {
      const reason = inputs.falsePositiveReason;
      details = { reason };
      result =
        reason === ''
          ? invalid('Say why this is not a real issue: the reason tunes the thresholds.')
          : await escalations.markFalsePositive(tenantId, escalationId, actor, reason, effects);
    }
    // A refusal, or a click on what already was so, changed nothing: its log entry is written on
    // its own, after the answer (of fifty people clicking at once, the forty-nine after the first
    // do not wait for their entries' batch), and the card everyone sees stays as it is.
    if (!result.ok || !result.changed) {
      const entry = logEntry(result);
      this.followUps.add(() => this.deps.actions.record(entry));
      return result.ok ? { ok: true, escalation: result.escalation, notice } : result;
    }
    if (click.clickedCard) this.deps.outboxSignal.notify();
    return { ok: true, escalation: result.escalation, notice };
  }

  private async updateClickedCard(
    outbox: Outbox,
    clicked: { conversation: ConversationRef; activityId: string },
    escalation: EscalationView,
    notice: string,
  ): Promise<void> {
    const { conversation, activityId } = clicked;
    const payload: EscalationPayload = { escalation, notice: { tone: 'success', text: notice } };
    await outbox.enqueue({
      dedupeKey: `card-update:${conversation.conversationId}:${activityId}:${escalation.state}:${escalation.history.length}`,
      kind: 'escalation',
      payload,
      updateActivity: { conversation, activityId },
      decision: true,
    });
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

/**
 * The click with its ids as card data may carry them (an escalation id is under 100 characters, a
 * Teams activity or conversation id a few hundred): a forged id past that names nothing, and, kept
 * as the log entry's target or in the card update's key, would fail their indexed inserts. A forged
 * escalation id reads as none (refused); a forged card reads as unknown (nothing updated in place).
 */
function withIdsThatCanBeStored(click: EscalationClick): EscalationClick {
  const card = click.clickedCard;
  const cardKnown =
    card !== null &&
    toTextId(card.activityId, 256) !== null &&
    toTextId(card.conversation.conversationId, 1000) !== null;
  return {
    ...click,
    escalationId: toTextId(click.escalationId, 200) ?? '',
    clickedCard: cardKnown ? card : null,
  };
}
