import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type {
  Actor,
  DeliveryQueries,
  EscalationActionResult,
  EscalationActions,
  EscalationView,
} from '../src/app/delivery-views';
import type { Db } from '../src/store/db';
import { ActionLogRepository } from '../src/notifications/action-log.repository';
import { ConversationRoutesRepository } from '../src/notifications/conversation-routes.repository';
import { NOTIFICATION_STREAMS } from '../src/app/ports/notifications.port';
import type { Clock } from '../src/shared/clock';
import { enqueue } from '../src/notifications/outbox';
import { SqlRoleDirectory } from '../src/store/role-directory.repository';
import type { BotLogger } from './bot-adapter';
import type { EscalationPayload } from './card-activity-renderer';
import { buildChoiceCard } from './cards/choice.card';
import type { AdaptiveCard } from './cards/card-types';
import type { CardVerb } from './cards/card-verbs';
import { buildEscalationCard, ESCALATION_INPUTS } from './cards/escalation.card';
import { buildHelpCard } from './cards/help.card';
import { buildNoticeCard, type NoticeView } from './cards/notice.card';
import { buildPortfolioSummaryCard } from './cards/portfolio-summary.card';
import { buildProjectHealthCard } from './cards/project-health.card';
import { buildWeeklyReportCard } from './cards/weekly-report.card';
import { commandArgument } from './commands';
import type { TabLinks } from './tab-links';
import { GateBotHandlers } from './gate-handlers';
import type { BotFeature } from './bot-feature';
import type { RouteLiveRenewalCards } from '../src/app/renewals/route-live-renewal-cards';
import type { GateService } from '../src/app/gates/gate-service';
import { conversationRefFrom, teamsUser, thisConversation } from './teams-conversation';

/** What the handlers need; the composition root provides it. */
export interface BotHandlerDeps {
  tenantId: string;
  db: Db;
  queries: DeliveryQueries;
  escalations: EscalationActions;
  links: TabLinks;
  logger: BotLogger;
  clock: Clock;
  /** Called after something was put in the outbox (wire to `OutboxDispatcher.poke`). */
  onOutboxChanged?: () => void;
  /** Stage gates (`/gate`, `/gates`, gate cards); absent in deployments without gates. */
  gates?: GateService;
  /** `/renewals` and the concession card verbs (src/modules/renewals.module.ts); absent: renewals off. */
  renewals?: BotFeature;
  /** Re-routes the live renewal cards to a channel newly subscribed to `renewals`. */
  liveRenewalCards?: RouteLiveRenewalCards;
}

/** Data a card action carries (Action.Execute `data` merged with the card's inputs). */
export type CardActionData = Record<string, unknown>;

/**
 * What each command and card action does. Handlers translate Teams input into port calls and port
 * results into cards; they hold no business rules (who may act on an escalation is the port's call).
 */
export class BotHandlers {
  private readonly roles: SqlRoleDirectory;
  private readonly routes: ConversationRoutesRepository;
  private readonly actions: ActionLogRepository;
  /** `/gate`, `/gates` and the gate card actions (bot/gate-handlers.ts). */
  readonly gates: GateBotHandlers | null;

  constructor(private readonly deps: BotHandlerDeps) {
    this.roles = new SqlRoleDirectory(deps.db, deps.tenantId);
    this.routes = new ConversationRoutesRepository(deps.tenantId);
    this.actions = new ActionLogRepository(deps.tenantId);
    this.gates = deps.gates ? new GateBotHandlers({ ...deps, gates: deps.gates }) : null;
  }

  /** `/renewals [days]`. */
  async renewalsCommand(context: TurnContext): Promise<void> {
    const command = this.deps.renewals?.commands[0];
    if (command) return command.run(context);
    await reply(
      context,
      this.notice({
        tone: 'error',
        title: 'Renewals are off',
        text: 'Renewals are not configured.',
      }),
    );
  }

  /** `/health` and `/health <project name or id>`. */
  async health(context: TurnContext): Promise<void> {
    const text = commandArgument('health', context.activity.text);
    await reply(
      context,
      text === '' ? await this.portfolioCard() : await this.projectSearchCard(text),
    );
  }

  /** `/report`. */
  async report(context: TurnContext): Promise<void> {
    const view = await this.deps.queries.weeklyReport(this.deps.tenantId);
    await reply(context, buildWeeklyReportCard(view, this.deps.links));
  }

  /** `/subscribe <stream> [client]` (admins only). */
  async subscribe(context: TurnContext): Promise<void> {
    const [streamWord = '', ...rest] = commandArgument('subscribe', context.activity.text).split(
      /\s+/,
    );
    const clientText = rest.join(' ').trim();
    await reply(
      context,
      await this.subscribeCard(context, streamWord.toLowerCase(), clientText, null),
    );
  }

  /** `/help`, and anything not understood. */
  async help(context: TurnContext, unrecognised: string | null): Promise<void> {
    const actor = await this.actor(context);
    await reply(
      context,
      buildHelpCard({ unrecognised, isAdmin: actor.roles.includes('admin') }, this.deps.links),
    );
  }

  /** The bot was added to a conversation: introduce itself once. */
  async welcome(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient?.id;
    const added = context.activity.membersAdded ?? [];
    if (!added.some((member) => member.id === botId)) return;
    await reply(context, buildHelpCard({ unrecognised: null, isAdmin: false }, this.deps.links));
  }

  /** A card button (Action.Execute, or the Action.Submit fallback): returns the card to show. */
  async cardAction(
    context: TurnContext,
    verb: CardVerb,
    data: CardActionData,
  ): Promise<AdaptiveCard> {
    switch (verb) {
      case 'project.health': {
        const projectId = Number(data.projectId);
        if (!Number.isInteger(projectId))
          return this.notice({
            tone: 'error',
            title: 'Unknown project',
            text: 'That button has no project.',
          });
        return this.projectCard(projectId);
      }
      case 'subscribe.client':
        return this.subscribeCard(
          context,
          String(data.stream ?? ''),
          '',
          Number.isInteger(Number(data.clientId)) ? Number(data.clientId) : null,
        );
      case 'escalation.acknowledge':
      case 'escalation.assign':
      case 'escalation.snooze':
      case 'escalation.falsePositive':
        return this.escalationAction(context, verb, data);
      case 'gate.form':
      case 'gate.request':
      case 'gate.approve':
      case 'gate.reject':
      case 'gate.requestChanges':
      case 'gate.refresh':
      case 'gate.open':
        return this.gates
          ? this.gates.cardAction(context, verb, data)
          : this.notice({
              tone: 'error',
              title: 'Gates are off',
              text: 'Stage gates are not configured.',
            });
      case 'concession.approve':
      case 'concession.reject':
      case 'concession.refresh':
        return (
          this.deps.renewals?.cardActions[verb]?.(context, data) ??
          this.notice({
            tone: 'error',
            title: 'Renewals are off',
            text: 'Renewals are not configured.',
          })
        );
      default:
        return this.notice({
          tone: 'error',
          title: 'Unknown action',
          text: `"${String(verb)}" is not known.`,
        });
    }
  }

  private async portfolioCard(): Promise<AdaptiveCard> {
    const view = await this.deps.queries.portfolioSummary(this.deps.tenantId);
    return buildPortfolioSummaryCard(view, this.deps.links);
  }

  private async projectSearchCard(text: string): Promise<AdaptiveCard> {
    const matches = await this.deps.queries.findProjects(this.deps.tenantId, text);
    const exact = matches.filter((match) => match.exact);
    const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (chosen) return this.projectCard(chosen.id);
    if (matches.length === 0) {
      return this.notice({
        tone: 'info',
        title: 'No project found',
        text: `No project matches "${text}". Try part of the name, or the HaloPSA project id.`,
      });
    }
    return buildChoiceCard(
      {
        title: 'Which project?',
        prompt: `${matches.length} projects match "${text}".`,
        options: matches.map((match) => ({
          title: match.name,
          subtitle: `${match.clientName} · project ${match.id} · ${match.rag}`,
          verb: 'project.health',
          data: { projectId: match.id },
        })),
      },
      this.deps.links,
    );
  }

  private async projectCard(projectId: number): Promise<AdaptiveCard> {
    const view = await this.deps.queries.projectHealth(this.deps.tenantId, projectId);
    if (view === null) {
      return this.notice({
        tone: 'info',
        title: 'No project found',
        text: `There is no project ${projectId}.`,
      });
    }
    return buildProjectHealthCard(view, this.deps.links);
  }

  private async subscribeCard(
    context: TurnContext,
    streamWord: string,
    clientText: string,
    clientId: number | null,
  ): Promise<AdaptiveCard> {
    const actor = await this.actor(context);
    const stream = NOTIFICATION_STREAMS.find((candidate) => candidate === streamWord);
    const target = `${stream ?? streamWord}${clientId === null ? '' : `:${clientId}`}`;
    if (!actor.roles.includes('admin')) {
      await this.log(actor, 'subscribe', 'route', target, 'refused', 'not-admin');
      return this.notice({
        tone: 'refused',
        title: 'Only admins can route notifications',
        text: 'Routing a stream to a channel needs the Control Tower admin role. Ask an admin to run /subscribe here.',
      });
    }
    if (stream === undefined) {
      return this.notice({
        tone: 'error',
        title: 'Which stream?',
        text: `Use /subscribe <${NOTIFICATION_STREAMS.join('|')}> [client], e.g. "/subscribe escalations Contoso".`,
      });
    }
    let client: { id: number; name: string } | null = null;
    if (clientId !== null) {
      client = { id: clientId, name: `client ${clientId}` };
      const found = await this.deps.queries.findClients(this.deps.tenantId, String(clientId));
      const exact = found.find((match) => match.id === clientId);
      if (exact) client = { id: exact.id, name: exact.name };
    } else if (clientText !== '') {
      const matches = await this.deps.queries.findClients(this.deps.tenantId, clientText);
      const exact = matches.filter((match) => match.exact);
      const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
      if (!chosen) {
        if (matches.length === 0) {
          return this.notice({
            tone: 'info',
            title: 'No client found',
            text: `No client matches "${clientText}".`,
          });
        }
        return buildChoiceCard(
          {
            title: 'Which client?',
            prompt: `${matches.length} clients match "${clientText}". Route ${stream} for:`,
            options: matches.map((match) => ({
              title: match.name,
              subtitle: `client ${match.id}`,
              verb: 'subscribe.client',
              data: { stream, clientId: match.id },
            })),
          },
          this.deps.links,
        );
      }
      client = { id: chosen.id, name: chosen.name };
    }
    const conversation = conversationRefFrom(context.activity);
    await this.routes.upsert(
      this.deps.db,
      { stream, clientId: client?.id ?? null, conversation },
      actor.aadObjectId,
      this.deps.clock.now(),
    );
    if (stream === 'renewals') {
      // Live renewal cards decided while nothing was routed are posted to the new channel.
      await this.deps.liveRenewalCards?.run(client?.id ?? null, conversation);
    }
    await this.log(
      actor,
      'subscribe',
      'route',
      `${stream}${client ? `:${client.id}` : ''}`,
      'done',
      null,
      {
        conversationId: conversation.conversationId,
      },
    );
    return this.notice({
      tone: 'success',
      title: 'Subscribed',
      text: `${capitalise(stream)}${client ? ` for ${client.name}` : ''} will be posted ${
        conversation.conversationType === 'channel' ? 'in this channel' : 'in this chat'
      }.`,
    });
  }

  private async escalationAction(
    context: TurnContext,
    verb:
      | 'escalation.acknowledge'
      | 'escalation.assign'
      | 'escalation.snooze'
      | 'escalation.falsePositive',
    data: CardActionData,
  ): Promise<AdaptiveCard> {
    const escalationId =
      typeof data.escalationId === 'string' ? data.escalationId : String(data.escalationId ?? '');
    const actor = await this.actor(context);
    const { tenantId, escalations } = this.deps;
    const text = (key: string) =>
      typeof data[key] === 'string' ? (data[key] as string).trim() : '';
    let result: EscalationActionResult;
    let details: Record<string, unknown> = {};
    if (escalationId === '') {
      result = invalid('That button has no escalation.');
    } else if (verb === 'escalation.acknowledge') {
      result = await escalations.acknowledge(tenantId, escalationId, actor);
    } else if (verb === 'escalation.assign') {
      const agentId = Number(text(ESCALATION_INPUTS.agentId));
      details = { agentId };
      result =
        Number.isInteger(agentId) && agentId > 0
          ? await escalations.assign(tenantId, escalationId, actor, agentId)
          : invalid('Pick the mitigation owner first.');
    } else if (verb === 'escalation.snooze') {
      const until = text(ESCALATION_INPUTS.snoozeUntil);
      const reason = text(ESCALATION_INPUTS.snoozeReason);
      details = { until, reason };
      result =
        !/^\d{4}-\d{2}-\d{2}/.test(until) || reason === ''
          ? invalid('A snooze needs an end date and a reason.')
          : await escalations.snooze(tenantId, escalationId, actor, until, reason);
    } else {
      const reason = text(ESCALATION_INPUTS.falsePositiveReason);
      details = { reason };
      result =
        reason === ''
          ? invalid('Say why this is not a real issue: the reason tunes the thresholds.')
          : await escalations.markFalsePositive(tenantId, escalationId, actor, reason);
    }

    await this.log(
      actor,
      verb,
      'escalation',
      escalationId,
      result.ok ? 'done' : 'refused',
      result.ok ? null : result.reason,
      details,
    );

    if (!result.ok) {
      const message = result.message;
      return result.escalation
        ? buildEscalationCard(result.escalation, this.deps.links, {
            tone: 'refused',
            text: message,
          })
        : this.notice({ tone: 'refused', title: 'Not done', text: message });
    }
    const done = `${capitalise(describe(verb))} by ${actor.name} at ${this.deps.clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    await this.updateClickedCard(context, result.escalation, done);
    return buildEscalationCard(result.escalation, this.deps.links, { tone: 'success', text: done });
  }

  /** Everyone else sees the change too: the clicked card is replaced in place, through the outbox. */
  private async updateClickedCard(
    context: TurnContext,
    escalation: EscalationView,
    notice: string,
  ): Promise<void> {
    const activityId = context.activity.replyToId;
    if (!activityId) return;
    const conversation = thisConversation(context.activity);
    const payload: EscalationPayload = { escalation, notice: { tone: 'success', text: notice } };
    await this.deps.db.transaction((tx) =>
      enqueue(
        tx,
        this.deps.tenantId,
        {
          dedupeKey: `card-update:${conversation.conversationId}:${activityId}:${escalation.state}:${escalation.history.length}`,
          kind: 'escalation',
          payload,
          updateActivity: { conversation, activityId },
        },
        this.deps.clock.now(),
      ),
    );
    this.deps.onOutboxChanged?.();
  }

  private async actor(context: TurnContext): Promise<Actor> {
    return this.roles.resolve(teamsUser(context.activity));
  }

  private async log(
    actor: Actor,
    action: string,
    targetKind: string,
    targetId: string,
    outcome: 'done' | 'refused',
    reason: string | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.actions.record(this.deps.db, {
      at: this.deps.clock.now(),
      actorAadObjectId: actor.aadObjectId,
      actorName: actor.name,
      action,
      targetKind,
      targetId,
      outcome,
      reason,
      details,
    });
    if (outcome === 'refused') {
      this.deps.logger.info(
        { action, targetId, reason, actor: actor.aadObjectId },
        'bot action refused',
      );
    }
  }

  private notice(view: NoticeView): AdaptiveCard {
    return buildNoticeCard(view, this.deps.links);
  }
}

/** Sends one card as a reply. */
export async function reply(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

function invalid(message: string): EscalationActionResult {
  return { ok: false, reason: 'invalid-input', message, escalation: null };
}

function describe(verb: string): string {
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
