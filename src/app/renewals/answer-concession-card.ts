/**
 * Approve / Reject clicked on a concession card: the decision, then the click recorded in the card
 * action log (done or refused, with the reason) whatever the outcome. A refused click changed
 * nothing, so its entry is written after the answer.
 */
import type { Clock } from '../../shared/clock';
import { FollowUps } from '../../shared/follow-ups';
import type { Actor } from '../delivery-views';
import type { BotActionLog } from '../notifications/bot-action-log.port';
import type { ConcessionResult } from './concession-outcome';
import type { ConcessionDecisionInput, DecideConcession } from './decide-concession';

/** The card verbs that decide. */
export type ConcessionDecisionVerb = 'concession.approve' | 'concession.reject';

/** Decide from a card click and log the click. */
export class AnswerConcessionCard {
  private readonly followUps = new FollowUps((error) => this.deps.followUpFailed?.(error));

  constructor(
    private readonly deps: {
      decide: DecideConcession;
      actions: BotActionLog;
      clock: Clock;
      /** Told when a refused click's log entry, written after the answer, failed. */
      followUpFailed?: (error: unknown) => void;
    },
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
    const click = {
      at: this.deps.clock.now(),
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action: verb,
      targetKind: 'concession',
      targetId: String(input.concessionId),
      outcome: result.ok ? 'done' : 'refused',
      reason: result.ok ? null : result.reason,
      details: {},
    } as const;
    if (result.ok) await this.deps.actions.record(click);
    else this.followUps.add(() => this.deps.actions.record(click));
    return result;
  }

  /** Resolves when the refused clicks' entries so far are written. */
  idle(): Promise<void> {
    return this.followUps.idle();
  }
}
