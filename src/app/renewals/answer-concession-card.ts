/**
 * Approve / Reject clicked on a concession card: the decision, then the click recorded in the card
 * action log (done or refused, with the reason) whatever the outcome.
 */
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { BotActionLog } from '../notifications/bot-action-log.port';
import type { ConcessionResult } from './concession-outcome';
import type { ConcessionDecisionInput, DecideConcession } from './decide-concession';

/** The card verbs that decide. */
export type ConcessionDecisionVerb = 'concession.approve' | 'concession.reject';

/** Decide from a card click and log the click. */
export class AnswerConcessionCard {
  constructor(
    private readonly deps: { decide: DecideConcession; actions: BotActionLog; clock: Clock },
  ) {}

  async run(
    actor: Actor,
    verb: ConcessionDecisionVerb,
    input: Omit<ConcessionDecisionInput, 'decision'>,
  ): Promise<ConcessionResult> {
    const result = await this.deps.decide.run(actor, {
      ...input,
      decision: verb === 'concession.approve' ? 'approve' : 'reject',
    });
    await this.deps.actions.record({
      at: this.deps.clock.now(),
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action: verb,
      targetKind: 'concession',
      targetId: String(input.concessionId),
      outcome: result.ok ? 'done' : 'refused',
      reason: result.ok ? null : result.reason,
      details: {},
    });
    return result;
  }
}
