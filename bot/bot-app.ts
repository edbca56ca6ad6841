import { ActivityTypes, type TurnContext } from 'botbuilder';
import { turnActor } from './turn-actor';
import { Application, TurnState } from './teams-ai';
import { ACCESS_POLICY, NO_ROLE_MESSAGE } from '../src/app/identity/access-policy';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import type { ConversationRef } from '../src/app/ports/notifications.port';
import { systemClock } from '../src/shared/clock';
import { RefusalLimiter } from '../src/shared/refusal-limiter';
import type { BotLogger } from './bot-adapter';
import type { BotFeature, CardActionData, CardActionHandler } from './bot-feature';
import type { AdaptiveCard } from './cards/card-types';
import { CARD_VERBS, type CardVerb } from './cards/card-verbs';
import { buildHelpCard } from './cards/help.card';
import { buildNoticeCard, isRefusal } from './cards/notice.card';
import { COMMAND_PATTERNS } from './commands';
import { reply } from './reply';
import type { TabLinks } from './tab-links';
import { activityTenants, conversationRefFrom, teamsUser } from './teams-conversation';

/** What the bot's core needs: the features it routes to, and the help every feature shares. */
export interface BotApplicationDeps {
  features: readonly BotFeature[];
  identity: RoleDirectory;
  links: TabLinks;
  logger: BotLogger;
  /**
   * The Entra tenants whose users may talk to the bot (`ALLOWED_TENANT_IDS`, production); an
   * activity from any other tenant, or naming none, is refused. Null: not checked (demo mode).
   */
  allowedTenantIds: readonly string[] | null;
  /**
   * Refused card actions per user (finding 8): past the limit, a click is answered 429 without
   * running. The composition root should pass one on the app's clock; the default uses the wall clock.
   */
  refusals?: RefusalLimiter;
  /** Told of every person met in a personal chat (keeps their 1:1 conversation for proactive messages). */
  personalChats?: { met(aadObjectId: string, conversation: ConversationRef): Promise<unknown> };
}

/** What the bot answers a malformed activity (no sender, text that is not text, ...). */
export const MALFORMED_ACTIVITY = 'That message could not be read.';

/**
 * Why an activity cannot be handled, or null. Activities are untrusted JSON: a message or card
 * action needs a sender object with an id, message text must be a string, a card action's value an
 * object.
 */
export function malformedActivity(activity: TurnContext['activity']): string | null {
  const from = activity.from as unknown;
  if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Invoke)
    return null;
  if (
    typeof from !== 'object' ||
    from === null ||
    typeof (from as { id?: unknown }).id !== 'string'
  )
    return 'no sender';
  const conversation = activity.conversation as unknown;
  if (typeof conversation !== 'object' || conversation === null) return 'no conversation';
  if (typeof (conversation as { id?: unknown }).id !== 'string') return 'no conversation id';
  const text = activity.text as unknown;
  if (text !== undefined && text !== null && typeof text !== 'string') return 'text is not text';
  const value = activity.value as unknown;
  if (value !== undefined && value !== null && typeof value !== 'object')
    return 'value is not an object';
  return null;
}

/** What the bot answers someone from a tenant it does not serve. */
export const TENANT_REFUSAL = 'Control Tower is not available to your organisation.';

/** The bot's turn logic: the teams-ai Application behind one function, with errors answered. */
export interface BotApplication {
  /** Handles one turn; never throws (failures are logged and answered). */
  run(context: TurnContext): Promise<void>;
}

/**
 * Builds the teams-ai Application from the features: their commands, card verbs (each answered by
 * the feature that declares it) and the core's help and welcome. No storage (the bot is stateless;
 * everything lives in the database), no typing indicator (extra connector calls count against the
 * rate limits).
 */
export function createBotApplication(deps: BotApplicationDeps): BotApplication {
  const app = new Application<TurnState>({
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const help = async (context: TurnContext, unrecognised: string | null) => {
    const actor = await deps.identity.resolve(teamsUser(context.activity));
    await reply(
      context,
      buildHelpCard({ unrecognised, isAdmin: actor.roles.includes('admin') }, deps.links),
    );
  };

  for (const feature of deps.features) {
    for (const command of feature.commands) app.message(command.pattern, command.run);
  }
  app.message(COMMAND_PATTERNS.help, (context) => help(context, null));

  const cardAction = cardActionRouter(deps);
  for (const verb of CARD_VERBS) {
    app.adaptiveCards.actionExecute<CardActionData>(verb, (context, _state, data) =>
      answerInvoke(context, deps.logger, () => cardAction(context, verb, data)),
    );
    app.adaptiveCards.actionSubmit<CardActionData>(verb, async (context, _state, data) => {
      const card = await cardAction(context, verb as CardVerb, data).catch((error: unknown) => {
        if (!(error instanceof TooManyRefusals)) throw error;
        return buildNoticeCard(
          { tone: 'error', title: 'Too many refused actions', text: TOO_MANY_REFUSALS },
          deps.links,
        );
      });
      await context.sendActivity({
        type: ActivityTypes.Message,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      });
    });
  }

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const added = context.activity.membersAdded ?? [];
    if (!added.some((member) => member.id === botId)) return;
    await reply(context, buildHelpCard({ unrecognised: null, isAdmin: false }, deps.links));
  });

  // Anything else: help for messages, an explicit error for invokes (no answer would be a 501).
  app.activity(ActivityTypes.Message, (context) =>
    help(context, context.activity.text?.trim() || null),
  );
  app.activity(ActivityTypes.Invoke, async (context) => {
    await sendInvokeError(
      context,
      400,
      'UNKNOWN_ACTION',
      'This card action is not known to Control Tower.',
    );
  });

  const admit = turnAdmission(deps);
  return {
    run: async (context) => {
      try {
        const problem = malformedActivity(context.activity);
        if (problem !== null) {
          deps.logger.warn(
            { activityType: context.activity.type, problem },
            'bot turn refused: malformed activity',
          );
          if (context.activity.type === ActivityTypes.Invoke)
            await sendInvokeError(context, 400, 'MALFORMED_ACTIVITY', MALFORMED_ACTIVITY);
          return;
        }
        if (!(await admit(context))) return;
        await rememberPersonalChat(deps, context);
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

/**
 * A message or an install in a personal chat tells us the person's 1:1 conversation: the "say hi"
 * that lets Control Tower message someone Teams would not let it install itself for.
 */
async function rememberPersonalChat(deps: BotApplicationDeps, context: TurnContext): Promise<void> {
  const { activity } = context;
  if (deps.personalChats === undefined) return;
  if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.ConversationUpdate)
    return;
  if ((activity.conversation.conversationType ?? 'personal') !== 'personal') return;
  const person = teamsUser(activity);
  if (person.aadObjectId === null) return;
  await deps.personalChats.met(person.aadObjectId, conversationRefFrom(activity));
}

/**
 * Lets a turn through only from an allowed tenant and, for messages and card actions, from someone
 * with a role. A refused turn gets one short answer, is logged, and reads and changes nothing.
 */
function turnAdmission(deps: BotApplicationDeps): (context: TurnContext) => Promise<boolean> {
  const refuse = async (context: TurnContext, code: string, text: string) => {
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(text);
    else if (context.activity.type === ActivityTypes.Invoke)
      await sendInvokeError(context, 403, code, text);
  };
  return async (context) => {
    const { activity } = context;
    if (deps.allowedTenantIds !== null) {
      const tenants = activityTenants(activity);
      const allowed = deps.allowedTenantIds;
      if (tenants.length === 0 || !tenants.every((t) => allowed.includes(t))) {
        deps.logger.warn(
          {
            tenants,
            activityType: activity.type,
            aadObjectId: activity.from?.aadObjectId ?? null,
          },
          'bot turn refused: tenant not allowed',
        );
        await refuse(context, 'TENANT_NOT_ALLOWED', TENANT_REFUSAL);
        return false;
      }
    }
    if (activity.type !== ActivityTypes.Message && activity.type !== ActivityTypes.Invoke) {
      return true;
    }
    const actor = await turnActor(context, deps.identity);
    if (ACCESS_POLICY.hasRole(actor)) return true;
    deps.logger.info(
      { activityType: activity.type, aadObjectId: actor.aadObjectId },
      'bot turn refused: no role',
    );
    await refuse(context, 'NO_ROLE', NO_ROLE_MESSAGE);
    return false;
  };
}

/** Answers a card verb with the feature that declares it; unknown verbs get a notice. */
function cardActionRouter(
  deps: BotApplicationDeps,
): (context: TurnContext, verb: CardVerb, data: CardActionData) => Promise<AdaptiveCard> {
  const handlers = new Map<CardVerb, CardActionHandler>();
  for (const feature of deps.features) {
    for (const [verb, handler] of Object.entries(feature.cardActions) as [
      CardVerb,
      CardActionHandler,
    ][]) {
      if (handlers.has(verb)) throw new Error(`two bot features answer "${verb}"`);
      handlers.set(verb, handler);
    }
  }
  const refusals = deps.refusals ?? new RefusalLimiter(systemClock);
  return async (context, verb, data) => {
    const handler = handlers.get(verb);
    if (handler) {
      const user = teamsUser(context.activity);
      const key = `${activityTenants(context.activity).join(',')}:${user.aadObjectId ?? user.name}`;
      const wait = refusals.blocked(key);
      if (wait !== null) {
        deps.logger.warn({ verb, aadObjectId: user.aadObjectId }, 'card action refused: too many');
        throw new TooManyRefusals(wait);
      }
      const card = await handler(context, data);
      if (isRefusal(card)) refusals.refused(key);
      return card;
    }
    return buildNoticeCard(
      { tone: 'error', title: 'Unknown action', text: `"${String(verb)}" is not known.` },
      deps.links,
    );
  };
}

/** Thrown by the card router when the clicker's refusals are over the limit. */
class TooManyRefusals extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many refused actions');
  }
}

/** What the bot answers a clicker whose actions were refused too often. */
export const TOO_MANY_REFUSALS = 'Too many refused actions; try again in a minute.';

/** Runs a card action and, when it throws, answers the invoke with an error instead of a 500. */
async function answerInvoke(
  context: TurnContext,
  logger: BotLogger,
  run: () => Promise<AdaptiveCard>,
): Promise<AdaptiveCard | string> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TooManyRefusals) {
      await sendInvokeError(context, 429, 'TOO_MANY_REFUSALS', TOO_MANY_REFUSALS);
      return '';
    }
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
