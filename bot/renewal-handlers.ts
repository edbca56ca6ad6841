import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { toRecordId } from '../src/shared/input-schemas';
import type { Actor } from '../src/app/delivery-views';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import { isVisible, type ReadAccess } from '../src/app/identity/read-access';
import type { OutboundActivity, RenderResult } from '../src/app/ports/notifications.port';
import type { AnswerConcessionCard } from '../src/app/renewals/answer-concession-card';
import type { ConcessionServiceRefusal } from '../src/app/renewals/concession-outcome';
import type { GetConcession } from '../src/app/renewals/get-concession';
import type { ConcessionPayload, RenewalStagePayload } from '../src/app/renewals/renewal-payloads';
import type { PipelineOrder, RenewalQueries } from '../src/app/renewals/renewal-queries';
import type { ConcessionView } from '../src/app/renewals/renewal-views';
import { TIER_APPROVER_ROLES } from '../src/domain/renewals';
import type { Clock } from '../src/shared/clock';
import type { BotLogger } from './bot-adapter';
import type { BotFeature } from './bot-feature';
import type { AdaptiveCard } from './cards/card-types';
import { buildConcessionCard, CONCESSION_INPUTS } from './cards/concession.card';
import { buildNoticeCard, markRefusal } from './cards/notice.card';
import { buildRenewalListCard } from './cards/renewal-list.card';
import { buildRenewalStageCard } from './cards/renewal-stage.card';
import { COMMAND_PATTERNS, normalise } from './commands';
import type { TabLinks } from './tab-links';
import { teamsUser } from './teams-conversation';

/** Concession refusals that mean the clicker may not decide it (the refusal limit counts them). */
const UNENTITLED: ReadonlySet<ConcessionServiceRefusal> = new Set([
  'wrong-role',
  'own-request',
  'not-authorised',
]);

/** What the renewal handlers need: the renewal use cases (built once by the renewals module). */
export interface RenewalHandlerDeps {
  queries: RenewalQueries;
  getConcession: GetConcession;
  answerConcessionCard: AnswerConcessionCard;
  roles: RoleDirectory;
  /** The read rules (SPEC §1), shared with the tab API: contracts are for account roles. */
  access: ReadAccess;
  links: TabLinks;
  logger: BotLogger;
  clock: Clock;
}

/** Days `/renewals` looks ahead when none are given. */
export const DEFAULT_RENEWAL_DAYS = 90;
/** The longest window `/renewals` accepts. */
export const MAX_RENEWAL_DAYS = 730;

/** The verbs of the concession card. */
export type ConcessionVerb = 'concession.approve' | 'concession.reject' | 'concession.refresh';

/** Parses `/renewals [days] [soonest|latest]`: a window and an order, or what to fix. */
export function parseRenewalsCommand(
  text: string,
): { ok: true; days: number; order: PipelineOrder } | { ok: false; message: string } {
  const match = COMMAND_PATTERNS.renewals.exec(normalise(text));
  const words = (match?.groups?.arg ?? '').trim().split(/\s+/).filter(Boolean);
  let days = DEFAULT_RENEWAL_DAYS;
  let order: PipelineOrder = 'soonest';
  for (const word of words) {
    if (/^\d+$/.test(word)) days = Number(word);
    else if (/^(latest|newest)$/i.test(word)) order = 'latest';
    else if (/^(soonest|earliest)$/i.test(word)) order = 'soonest';
    else
      return { ok: false, message: `Use /renewals [days] [soonest|latest], e.g. "/renewals 60".` };
  }
  if (days < 1 || days > MAX_RENEWAL_DAYS) {
    return { ok: false, message: `The window must be 1 to ${MAX_RENEWAL_DAYS} days.` };
  }
  return { ok: true, days, order };
}

/** `/renewals` and the concession card's buttons. */
export class RenewalHandlers {
  constructor(private readonly deps: RenewalHandlerDeps) {}

  /** `/renewals [days]`: the card listing the contracts this person reads renewing within the window. */
  async renewalsCard(context: TurnContext): Promise<AdaptiveCard> {
    const visible = await this.deps.access.visibleContractClients(
      await this.deps.roles.resolve(teamsUser(context.activity)),
    );
    if (!visible.ok) {
      return buildNoticeCard(
        { tone: 'refused', title: 'Not available to you', text: visible.message },
        this.deps.links,
      );
    }
    const parsed = parseRenewalsCommand(context.activity.text ?? '');
    if (!parsed.ok) {
      return buildNoticeCard(
        { tone: 'error', title: 'Which window?', text: parsed.message },
        this.deps.links,
      );
    }
    const asOf = this.deps.clock.now().toISOString().slice(0, 10);
    const items = (await this.deps.queries.pipeline(asOf, parsed.days, parsed.order)).filter(
      (item) => isVisible(visible.value, item.clientId),
    );
    return buildRenewalListCard(
      { days: parsed.days, asOf, order: parsed.order, items },
      this.deps.links,
    );
  }

  /** Approve / Reject / Refresh on a concession card: returns the card to show the clicker. */
  async concessionAction(
    context: TurnContext,
    verb: ConcessionVerb,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCard> {
    const id = toRecordId(data.concessionId);
    if (id === null) {
      return buildNoticeCard(
        { tone: 'error', title: 'Unknown concession', text: 'That button has no concession.' },
        this.deps.links,
      );
    }
    const actor = await this.deps.roles.resolve(teamsUser(context.activity));
    if (verb === 'concession.refresh') {
      const view = await this.deps.getConcession.run(id);
      if (view === null) {
        return buildNoticeCard(
          { tone: 'info', title: 'No concession', text: `There is no concession ${id}.` },
          this.deps.links,
        );
      }
      const allowed = await this.deps.access.contract(actor, view.contractId);
      if (!allowed.ok) {
        return buildNoticeCard(
          { tone: 'refused', title: 'Not available to you', text: allowed.message },
          this.deps.links,
        );
      }
      return buildConcessionCard(view, this.deps.links, this.mode(actor, view), null, {
        refresh: false,
      });
    }
    const version = toRecordId(data.version);
    const comment =
      typeof data[CONCESSION_INPUTS.rejectComment] === 'string'
        ? (data[CONCESSION_INPUTS.rejectComment] as string)
        : undefined;
    const result = await this.deps.answerConcessionCard.run(actor, verb, {
      concessionId: id,
      ...(comment !== undefined ? { comment } : {}),
      ...(version !== null ? { expectedVersion: version } : {}),
    });
    if (!result.ok) {
      this.deps.logger.info({ verb, id, reason: result.reason }, 'concession action refused');
      if (result.concession === null) {
        return buildNoticeCard(
          { tone: 'refused', title: 'Not done', text: result.message },
          this.deps.links,
        );
      }
      const card = buildConcessionCard(
        result.concession,
        this.deps.links,
        this.mode(actor, result.concession),
        { tone: 'refused', text: result.message },
        { refresh: false },
      );
      // Counted against the clicker's refusal limit when they may not decide it at all; a race
      // lost on a concession one may decide (already decided, stale) or a missing comment is not.
      return UNENTITLED.has(result.reason) ? markRefusal(card) : card;
    }
    const c = result.concession;
    return buildConcessionCard(
      c,
      this.deps.links,
      'read-only',
      {
        tone: 'success',
        text: `${c.status === 'approved' ? 'Approved' : 'Rejected'} by ${actor.name} at ${(c.decidedAt ?? '').slice(0, 16).replace('T', ' ')} UTC`,
      },
      { refresh: false },
    );
  }

  private mode(actor: Actor, view: ConcessionView): 'approver' | 'read-only' {
    const allowed = TIER_APPROVER_ROLES[view.approverTier];
    const mayDecide = actor.roles.some((r) => allowed.includes(r));
    // The view's approver list already leaves out the requester (segregation of duties).
    return mayDecide &&
      actor.aadObjectId !== null &&
      view.approverAadObjectIds.includes(actor.aadObjectId)
      ? 'approver'
      : 'read-only';
  }
}

/**
 * Renders the renewal stream's outbox rows (`renewal-stage`, `concession`) into card activities;
 * null for other kinds. The posted concession card is the read-only view with `refresh.userIds`
 * for the eligible approvers.
 */
export function renderRenewalNotification(
  kind: string,
  payload: object,
  links: TabLinks,
): RenderResult | null {
  if (kind === 'renewal-stage') {
    const { stage } = payload as RenewalStagePayload;
    if (!stage?.contractId) return { ok: false, reason: 'renewal-stage payload without stage' };
    return {
      ok: true,
      activity: cardActivity(
        buildRenewalStageCard(stage, links),
        `Renewal ${stage.stage}-day stage: ${stage.clientName} ${stage.ref}`,
      ),
    };
  }
  if (kind === 'concession') {
    const { concession, notice } = payload as ConcessionPayload;
    if (!concession?.id) return { ok: false, reason: 'concession payload without concession' };
    return {
      ok: true,
      activity: cardActivity(
        buildConcessionCard(concession, links, 'read-only', notice ?? null),
        `Concession ${concession.discountPct} % on ${concession.ref}: ${concession.status}`,
      ),
    };
  }
  return null;
}

/**
 * The renewals feature of the bot: `/renewals`, the concession card's verbs and the renderers of the
 * renewal outbox kinds.
 */
export function renewalBotFeature(deps: RenewalHandlerDeps): BotFeature {
  const handlers = new RenewalHandlers(deps);
  const render = (kind: string) => (payload: object) =>
    renderRenewalNotification(kind, payload, deps.links) ?? {
      ok: false as const,
      reason: `not a renewal kind: ${kind}`,
    };
  return {
    commands: [
      {
        pattern: COMMAND_PATTERNS.renewals,
        run: async (context) => {
          const card = await handlers.renewalsCard(context);
          await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        },
      },
    ],
    cardActions: {
      'concession.approve': (context, data) =>
        handlers.concessionAction(context, 'concession.approve', data),
      'concession.reject': (context, data) =>
        handlers.concessionAction(context, 'concession.reject', data),
      'concession.refresh': (context, data) =>
        handlers.concessionAction(context, 'concession.refresh', data),
    },
    renderers: { 'renewal-stage': render('renewal-stage'), concession: render('concession') },
  };
}

function cardActivity(card: AdaptiveCard, summary: string): OutboundActivity {
  const attachment = CardFactory.adaptiveCard(card);
  return {
    type: 'message',
    summary,
    attachments: [{ contentType: attachment.contentType, content: attachment.content }],
  };
}
