import type { TurnContext } from 'botbuilder';
import type { RenderResult } from '../src/app/ports/notifications.port';
import type { AdaptiveCard } from './cards/card-types';
import type { CardVerb } from './cards/card-verbs';

/** Data a card action carries (Action.Execute `data` merged with the card's inputs). */
export type CardActionData = Record<string, unknown>;

/** A text command: an anchored pattern and what answers it. */
export interface BotCommand {
  pattern: RegExp;
  run(context: TurnContext): Promise<void>;
}

/** Answers one card button: returns the card the clicker sees. */
export type CardActionHandler = (
  context: TurnContext,
  data: CardActionData,
) => Promise<AdaptiveCard>;

/** Renders one outbox payload kind into an activity. */
export type PayloadRenderer = (payload: object) => RenderResult;

/**
 * What one feature (delivery, gates, renewals) adds to the bot: its commands, the card verbs it
 * answers and the outbox kinds it renders. Feature modules build it once; the bot app routes to it.
 */
export interface BotFeature {
  commands: readonly BotCommand[];
  cardActions: Partial<Record<CardVerb, CardActionHandler>>;
  renderers: Readonly<Record<string, PayloadRenderer>>;
}
