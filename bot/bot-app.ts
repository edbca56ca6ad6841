import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import type { BotLogger } from './bot-adapter';
import { BotHandlers, type BotHandlerDeps, type CardActionData } from './bot-handlers';
import type { AdaptiveCard } from './cards/card-types';
import { CARD_VERBS, type CardVerb } from './cards/card-verbs';
import { COMMAND_PATTERNS } from './commands';

/** The bot's turn logic: the teams-ai Application behind one function, with errors answered. */
export interface BotApplication {
  /** Handles one turn; never throws (failures are logged and answered). */
  run(context: TurnContext): Promise<void>;
}

/**
 * Builds the teams-ai Application. Routes only: each closure hands the turn to `BotHandlers`.
 * No storage (the bot is stateless; everything lives in the database), no typing indicator (extra
 * connector calls count against the rate limits).
 */
export function createBotApplication(deps: BotHandlerDeps): BotApplication {
  const handlers = new BotHandlers(deps);
  const app = new Application<TurnState>({
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  app.message(COMMAND_PATTERNS.health, (context) => handlers.health(context));
  app.message(COMMAND_PATTERNS.report, (context) => handlers.report(context));
  app.message(COMMAND_PATTERNS.subscribe, (context) => handlers.subscribe(context));
  app.message(COMMAND_PATTERNS.help, (context) => handlers.help(context, null));
  app.message(COMMAND_PATTERNS.renewals, (context) => handlers.renewalsCommand(context));
  const gates = handlers.gates;
  if (gates) {
    app.message(COMMAND_PATTERNS.gates, (context) => gates.gatesCommand(context));
    app.message(COMMAND_PATTERNS.gate, (context) => gates.gateCommand(context));
  }

  for (const verb of CARD_VERBS) {
    app.adaptiveCards.actionExecute<CardActionData>(verb, (context, _state, data) =>
      answerInvoke(context, deps.logger, () => handlers.cardAction(context, verb, data)),
    );
    app.adaptiveCards.actionSubmit<CardActionData>(verb, async (context, _state, data) => {
      const card = await handlers.cardAction(context, verb as CardVerb, data);
      await context.sendActivity({
        type: ActivityTypes.Message,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      });
    });
  }

  app.conversationUpdate('membersAdded', (context) => handlers.welcome(context));

  // Anything else: help for messages, an explicit error for invokes (no answer would be a 501).
  app.activity(ActivityTypes.Message, (context) =>
    handlers.help(context, context.activity.text?.trim() || null),
  );
  app.activity(ActivityTypes.Invoke, async (context) => {
    await sendInvokeError(
      context,
      400,
      'UNKNOWN_ACTION',
      'This card action is not known to Control Tower.',
    );
  });

  return {
    run: async (context) => {
      try {
        await app.run(context);
      } catch (error) {
        deps.logger.error(
          { err: error, activityType: context.activity.type },
          'bot handler failed',
        );
        if (context.activity.type === ActivityTypes.Message) {
          await context.sendActivity('Sorry, that did not work. Please try again in a minute.');
        } else if (context.activity.type === ActivityTypes.Invoke) {
          await sendInvokeError(
            context,
            500,
            'INTERNAL',
            'Control Tower could not complete this action.',
          );
        }
      }
    },
  };
}

/** Runs a card action and, when it throws, answers the invoke with an error instead of a 500. */
async function answerInvoke(
  context: TurnContext,
  logger: BotLogger,
  run: () => Promise<AdaptiveCard>,
): Promise<AdaptiveCard | string> {
  try {
    return await run();
  } catch (error) {
    logger.error(
      {
        err: error,
        verb: (context.activity.value as { action?: { verb?: string } })?.action?.verb,
      },
      'card action failed',
    );
    await sendInvokeError(
      context,
      500,
      'INTERNAL',
      'Control Tower could not complete this action. Please try again.',
    );
    return '';
  }
}

async function sendInvokeError(
  context: TurnContext,
  statusCode: number,
  code: string,
  message: string,
): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: {
      status: 200,
      body: { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } },
    },
  });
}
