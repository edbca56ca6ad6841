import type { TurnContext } from 'botbuilder';
import { turnActor } from './turn-actor';
import { toRecordId } from '../src/shared/input-schemas';
import type { Actor, DeliveryQueries, ProjectHealthView } from '../src/app/delivery-views';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import {
  portfolioForOwned,
  reportForOwned,
  type ReadAccess,
  type ReadRefusal,
} from '../src/app/identity/read-access';
import type { ActOnEscalation, EscalationVerb } from '../src/app/notifications/act-on-escalation';
import type {
  EscalationPayload,
  TextPayload,
  WeeklyReportPayload,
} from '../src/app/notifications/notification-payloads';
import type { SubscribeChannel } from '../src/app/notifications/subscribe-channel';
import { NOTIFICATION_STREAMS } from '../src/app/ports/notifications.port';
import type { BotLogger } from './bot-adapter';
import type { BotFeature, CardActionData } from './bot-feature';
import { cardActivity } from './card-activity-renderer';
import type { AdaptiveCard } from './cards/card-types';
import { buildChoiceCard } from './cards/choice.card';
import { buildEscalationCard, ESCALATION_INPUTS } from './cards/escalation.card';
import { buildNoticeCard, type NoticeView } from './cards/notice.card';
import { buildPortfolioSummaryCard } from './cards/portfolio-summary.card';
import { buildProjectHealthCard } from './cards/project-health.card';
import { buildWeeklyReportCard } from './cards/weekly-report.card';
import { COMMAND_PATTERNS, commandArgument } from './commands';
import { reply } from './reply';
import type { TabLinks } from './tab-links';
import { conversationRefFrom, teamsUser, thisConversation } from './teams-conversation';

/** What the delivery commands and cards need; the notifications and delivery modules provide it. */
export interface DeliveryBotDeps {
  tenantId: string;
  queries: DeliveryQueries;
  identity: RoleDirectory;
  /** The read rules (SPEC §1), shared with the tab API. */
  access: ReadAccess;
  subscribe: SubscribeChannel;
  actOnEscalation: ActOnEscalation;
  links: TabLinks;
  logger: BotLogger;
}

const ESCALATION_VERBS: readonly EscalationVerb[] = [
  'escalation.acknowledge',
  'escalation.assign',
  'escalation.snooze',
  'escalation.falsePositive',
];

/**
 * `/health`, `/report`, `/subscribe`, the project and escalation cards, and the escalation, weekly
 * report and text posts. Translation only: the use cases decide, these turn Teams input into their
 * requests and their outcomes into cards.
 */
export function createDeliveryBotFeature(deps: DeliveryBotDeps): BotFeature {
  const handlers = new DeliveryHandlers(deps);
  const cardActions: BotFeature['cardActions'] = {
    'project.health': (context, data) => handlers.projectAction(context, data),
    'subscribe.client': (context, data) =>
      handlers.subscribeCard(context, String(data.stream ?? ''), '', toRecordId(data.clientId)),
  };
  for (const verb of ESCALATION_VERBS) {
    cardActions[verb] = (context, data) => handlers.escalationAction(context, verb, data);
  }
  return {
    commands: [
      { pattern: COMMAND_PATTERNS.health, run: (context) => handlers.health(context) },
      { pattern: COMMAND_PATTERNS.report, run: (context) => handlers.report(context) },
      { pattern: COMMAND_PATTERNS.subscribe, run: (context) => handlers.subscribe(context) },
    ],
    cardActions,
    renderers: {
      escalation: (payload) => {
        const { escalation, notice } = payload as EscalationPayload;
        if (!escalation?.id) return { ok: false, reason: 'escalation payload without escalation' };
        return {
          ok: true,
          activity: cardActivity(
            buildEscalationCard(escalation, deps.links, notice ?? null),
            `Escalation: ${escalation.project.name} — ${escalation.cause}`,
          ),
        };
      },
      'weekly-report': (payload) => {
        const { report } = payload as WeeklyReportPayload;
        if (!report?.weekOf) return { ok: false, reason: 'weekly-report payload without report' };
        return {
          ok: true,
          activity: cardActivity(
            buildWeeklyReportCard(report, deps.links),
            `Weekly control report, week of ${report.weekOf}`,
          ),
        };
      },
      text: (payload) => {
        const { text } = payload as TextPayload;
        if (typeof text !== 'string') return { ok: false, reason: 'text payload without text' };
        return { ok: true, activity: { type: 'message', text } };
      },
    },
  };
}

class DeliveryHandlers {
  constructor(private readonly deps: DeliveryBotDeps) {}

  /** `/health` and `/health <project name or id>`. */
  async health(context: TurnContext): Promise<void> {
    const text = commandArgument('health', context.activity.text);
    const actor = await this.actor(context);
    await reply(
      context,
      text === '' ? await this.portfolioCard(actor) : await this.projectSearchCard(actor, text),
    );
  }

  /** `/report`: the weekly report, with only the lines of the projects this person reads. */
  async report(context: TurnContext): Promise<void> {
    const scope = await this.deps.access.reportScope(await this.actor(context));
    if (!scope.ok) return reply(context, this.refusal(scope));
    const whole = await this.deps.queries.weeklyReport(this.deps.tenantId);
    const view = scope.value === 'all' ? whole : reportForOwned(whole, scope.value);
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

  async projectAction(context: TurnContext, data: CardActionData): Promise<AdaptiveCard> {
    const projectId = toRecordId(data.projectId);
    if (projectId === null)
      return this.notice({
        tone: 'error',
        title: 'Unknown project',
        text: 'That button has no project.',
      });
    return this.projectCard(await this.actor(context), projectId);
  }

  async subscribeCard(
    context: TurnContext,
    streamWord: string,
    clientText: string,
    clientId: number | null,
  ): Promise<AdaptiveCard> {
    const actor = await this.deps.identity.resolve(teamsUser(context.activity));
    const outcome = await this.deps.subscribe.run({
      actor,
      streamWord,
      clientText,
      clientId,
      conversation: conversationRefFrom(context.activity),
    });
    switch (outcome.status) {
      case 'refused':
        this.deps.logger.info(
          {
            action: 'subscribe',
            targetId: `${streamWord}${clientId === null ? '' : `:${clientId}`}`,
            reason: outcome.reason,
            actor: actor.aadObjectId,
          },
          'bot action refused',
        );
        return this.notice({
          tone: 'refused',
          title: 'Only admins can route notifications',
          text: 'Routing a stream to a channel needs the Control Tower admin role. Ask an admin to run /subscribe here.',
        });
      case 'unknown-stream':
        return this.notice({
          tone: 'error',
          title: 'Which stream?',
          text: `Use /subscribe <${NOTIFICATION_STREAMS.join('|')}> [client], e.g. "/subscribe escalations Contoso".`,
        });
      case 'no-client':
        return this.notice({
          tone: 'info',
          title: 'No client found',
          text: `No client matches "${outcome.clientText}".`,
        });
      case 'choose-client':
        return buildChoiceCard(
          {
            title: 'Which client?',
            prompt: `${outcome.matches.length} clients match "${outcome.clientText}". Route ${outcome.stream} for:`,
            options: outcome.matches.map((match) => ({
              title: match.name,
              subtitle: `client ${match.id}`,
              verb: 'subscribe.client',
              data: { stream: outcome.stream, clientId: match.id },
            })),
          },
          this.deps.links,
        );
      case 'subscribed':
        return this.notice({
          tone: 'success',
          title: 'Subscribed',
          text: `${capitalise(outcome.stream)}${outcome.client ? ` for ${outcome.client.name}` : ''} will be posted ${
            outcome.conversation.conversationType === 'channel' ? 'in this channel' : 'in this chat'
          }.`,
        });
    }
  }

  async escalationAction(
    context: TurnContext,
    verb: EscalationVerb,
    data: CardActionData,
  ): Promise<AdaptiveCard> {
    const escalationId =
      typeof data.escalationId === 'string' ? data.escalationId : String(data.escalationId ?? '');
    const actor = await turnActor(context, this.deps.identity);
    const text = (key: string) =>
      typeof data[key] === 'string' ? (data[key] as string).trim() : '';
    const activityId = context.activity.replyToId;
    const outcome = await this.deps.actOnEscalation.run({
      actor,
      verb,
      escalationId,
      inputs: {
        agentId: text(ESCALATION_INPUTS.agentId),
        snoozeUntil: text(ESCALATION_INPUTS.snoozeUntil),
        snoozeReason: text(ESCALATION_INPUTS.snoozeReason),
        falsePositiveReason: text(ESCALATION_INPUTS.falsePositiveReason),
      },
      clickedCard: activityId
        ? { conversation: thisConversation(context.activity), activityId }
        : null,
    });
    if (!outcome.ok) {
      this.deps.logger.info(
        { action: verb, targetId: escalationId, reason: outcome.reason, actor: actor.aadObjectId },
        'bot action refused',
      );
      return outcome.escalation
        ? buildEscalationCard(outcome.escalation, this.deps.links, {
            tone: 'refused',
            text: outcome.message,
          })
        : this.notice({ tone: 'refused', title: 'Not done', text: outcome.message });
    }
    return buildEscalationCard(outcome.escalation, this.deps.links, {
      tone: 'success',
      text: outcome.notice,
    });
  }

  private async portfolioCard(actor: Actor): Promise<AdaptiveCard> {
    const scope = await this.deps.access.reportScope(actor);
    if (!scope.ok) return this.refusal(scope);
    const whole = await this.deps.queries.portfolioSummary(this.deps.tenantId);
    const view = scope.value === 'all' ? whole : portfolioForOwned(whole, scope.value);
    return buildPortfolioSummaryCard(view, this.deps.links);
  }

  private async projectSearchCard(actor: Actor, text: string): Promise<AdaptiveCard> {
    const scope = this.deps.access.projectScope(actor);
    if (!scope.ok) return this.refusal(scope);
    // One read: the candidates with their owners, judged here by the same rule as any project
    // read, and the first one's view, used when it is the one chosen.
    const found = await this.deps.queries.searchProjects(this.deps.tenantId, text);
    const matches = [];
    let hidden: ReadRefusal | null = null;
    for (const match of found.matches) {
      const allowed = this.deps.access.projectOwnedBy(actor, match.id, match.owners);
      if (allowed.ok) matches.push(match);
      else hidden ??= allowed;
    }
    // Only projects of others match: say so, rather than that nothing matches.
    if (matches.length === 0 && hidden !== null) return this.refusal(hidden);
    const exact = matches.filter((match) => match.exact);
    const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (chosen) {
      const view =
        found.matches[0]?.id === chosen.id
          ? found.firstView
          : await this.deps.queries.projectHealth(this.deps.tenantId, chosen.id);
      // It matched, so HaloPSA has it: without a view it has no score yet.
      return view === null ? this.noScore(chosen.id, chosen) : this.healthCard(view);
    }
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

  private async projectCard(actor: Actor, projectId: number): Promise<AdaptiveCard> {
    const allowed = await this.deps.access.project(actor, projectId);
    if (!allowed.ok) return this.refusal(allowed);
    const view = await this.deps.queries.projectHealth(this.deps.tenantId, projectId);
    if (view !== null) return this.healthCard(view);
    // No score: the search by id tells a project HaloPSA has (one a choice card listed) from none,
    // one read more on this rare path only.
    const found = await this.deps.queries.searchProjects(this.deps.tenantId, String(projectId));
    return this.noScore(projectId, found.matches.find((match) => match.id === projectId) ?? null);
  }

  private healthCard(view: ProjectHealthView): AdaptiveCard {
    return buildProjectHealthCard(view, this.deps.links);
  }

  /** Why project `projectId` has no card: HaloPSA has it (`project`) but it is not scored, or none. */
  private noScore(projectId: number, project: { name: string } | null): AdaptiveCard {
    if (project === null) {
      return this.notice({
        tone: 'info',
        title: 'No project found',
        text: `There is no project ${projectId}.`,
      });
    }
    return this.notice({
      tone: 'info',
      title: 'No health score yet',
      text: `${project.name} (project ${projectId}) has no health score yet. Control Tower scores a project from its HaloPSA start date on; a new one is scored at the next evaluation.`,
    });
  }

  private notice(view: NoticeView): AdaptiveCard {
    return buildNoticeCard(view, this.deps.links);
  }

  private refusal(refusal: ReadRefusal): AdaptiveCard {
    return this.notice({ tone: 'refused', title: 'Not available to you', text: refusal.message });
  }

  private actor(context: TurnContext): Promise<Actor> {
    return turnActor(context, this.deps.identity);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
