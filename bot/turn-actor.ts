import type { TurnContext } from 'botbuilder';
import type { Actor } from '../src/app/delivery-views';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import { teamsUser } from './teams-conversation';

const ACTOR = Symbol('control-tower.turn-actor');

/**
 * Who sent this turn, resolved once per turn: the admission check and the handler that answers
 * share one resolution (two database round trips) instead of each asking the directory.
 */
export function turnActor(context: TurnContext, identity: RoleDirectory): Promise<Actor> {
  const known = context.turnState.get(ACTOR) as Promise<Actor> | undefined;
  if (known) return known;
  const resolving = identity.resolve(teamsUser(context.activity));
  context.turnState.set(ACTOR, resolving);
  // A failed resolution is not remembered: a later ask in the turn tries again.
  resolving.catch(() => context.turnState.delete(ACTOR));
  return resolving;
}
