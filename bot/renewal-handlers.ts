import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { calendarDay, safeText, toRecordId } from '../src/shared/input-schemas';
import type { Actor } from '../src/app/delivery-views';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import { isVisible, type ReadAccess } from '../src/app/identity/read-access';
import type { OutboundActivity, RenderResult } from '../src/app/ports/notifications.port';
import type { AnswerConcessionCard } from '../src/app/renewals/answer-concession-card';
import {
  CONCESSION_REQUESTER_ROLES,
  type ConcessionServiceRefusal,
} from '../src/app/renewals/concession-outcome';
import type { LogCheckpoint } from '../src/app/renewals/log-checkpoint';
import type { RenewalContractCards } from '../src/app/renewals/renewal-contract-cards';
import { runsRenewals } from '../src/app/renewals/renewal-step';
import type { RequestConcession } from '../src/app/renewals/request-concession';
import type { SetUpliftStatus } from '../src/app/renewals/set-uplift-status';
import type { GetConcession } from '../src/app/renewals/get-concession';
import type { ConcessionPayload, RenewalStagePayload } from '../src/app/renewals/renewal-payloads';
import type { PipelineOrder, RenewalQueries } from '../src/app/renewals/renewal-queries';
import type { ConcessionView } from '../src/app/renewals/renewal-views';
import { TIER_APPROVER_ROLES } from '../src/domain/renewals';
import type { Clock } from '../src/shared/clock';
import type { BotLogger } from './bot-adapter';
import type { BotFeature } from './bot-feature';
import type { AdaptiveCard } from './cards/card-types';
import { CARD_VERBS, type CardVerb } from './cards/card-verbs';
import { buildCheckpointFormCard, CHECKPOINT_FORM_INPUTS } from './cards/checkpoint-form.card';
import { buildChoiceCard } from './cards/choice.card';
import { buildConcessionCard, CONCESSION_INPUTS } from './cards/concession.card';
import { buildConcessionFormCard, CONCESSION_FORM_INPUTS } from './cards/concession-form.card';
import { buildNoticeCard, markRefusal, type NoticeView } from './cards/notice.card';
import { buildRenewalListCard } from './cards/renewal-list.card';
import {
  buildRenewalStageCard,
  readinessLabel,
  type RenewalStageBanner,
} from './cards/renewal-stage.card';
import { COMMAND_PATTERNS, commandArgument, normalise } from './commands';
import type { TabLinks } from './tab-links';
import { teamsUser } from './teams-conversation';
import { turnActor } from './turn-actor';

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
  /** One contract's card, the `/renewal` search and the concession form. */
  contractCards: RenewalContractCards;
  logCheckpoint: LogCheckpoint;
  requestConcession: RequestConcession;
  setUpliftStatus: SetUpliftStatus;
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

/** The verbs of the renewal stage card and its forms (one list: `CARD_VERBS`). */
export type RenewalStepVerb = Extract<CardVerb, `renewal.${string}` | `uplift.${string}`>;

const RENEWAL_STEP_VERBS = CARD_VERBS.filter(
  (v): v is RenewalStepVerb => v.startsWith('renewal.') || v.startsWith('uplift.'),
);

/** The checkpoint form's fields, as the tab API reads the same step. */
const checkpointForm = z.object({
  [CHECKPOINT_FORM_INPUTS.meetingOn]: calendarDay,
  [CHECKPOINT_FORM_INPUTS.notes]: safeText(5000).pipe(
    z.string().trim().min(1, 'meeting notes are required'),
  ),
  [CHECKPOINT_FORM_INPUTS.ownerCall]: z.enum(['renew', 'at-risk', 'churn', 'monitor'], {
    errorMap: () => ({ message: 'make a call: renew, at risk or churn' }),
  }),
});

/** The concession form's fields (Input.Number arrives as text from Teams). */
const concessionForm = z.object({
  [CONCESSION_FORM_INPUTS.discountPct]: z.preprocess(
    (value) =>
      typeof value === 'string' && /^\s*\d{1,3}(\.\d{1,2})?\s*$/.test(value)
        ? Number(value)
        : value,
    z
      .number({
        required_error: 'a number of percent is required, e.g. 8',
        invalid_type_error: 'must be a number of percent, e.g. 8',
      })
      .positive('must be above 0 %')
      .max(100, 'must be at most 100 %'),
  ),
  [CONCESSION_FORM_INPUTS.reason]: safeText(2000).pipe(
    z.string().trim().min(1, 'a reason is required'),
  ),
});

/** Says what to fix in a form, from zod's issues. */
function formProblem(error: z.ZodError, labels: Record<string, string>): string {
  return error.issues
    .map((i) => `${labels[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`)
    .join('; ');
}

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

  /** `/renewal <client or contract>`: that contract's card (or which one? / none found). */
  async renewalCommand(context: TurnContext): Promise<AdaptiveCard> {
    const text = commandArgument('renewal', context.activity.text);
    const actor = await this.actor(context);
    const visible = await this.deps.access.visibleContractClients(actor);
    if (!visible.ok) return this.refused(visible.message);
    if (text === '') {
      return this.notice({
        tone: 'info',
        title: 'Which contract?',
        text: 'Use /renewal <client name or contract id>; /renewals lists the contracts renewing soon.',
      });
    }
    const matches = (await this.deps.contractCards.find(text)).filter((m) =>
      isVisible(visible.value, m.clientId),
    );
    const exact = matches.filter((m) => m.exact);
    const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (chosen) {
      // In a channel others see the post: it is the read-only card, refreshed for the owner.
      const personal = context.activity.conversation?.conversationType === 'personal';
      return this.contractCard(actor, chosen.contractId, null, { refresh: !personal, personal });
    }
    if (matches.length === 0) {
      return this.notice({
        tone: 'info',
        title: 'No contract found',
        text: `No contract of yours matches "${text}". Try the client's name, the contract reference or its id; /renewals lists the contracts renewing soon.`,
      });
    }
    return buildChoiceCard(
      {
        title: 'Which contract?',
        prompt: `${matches.length} contracts match "${text}". Show:`,
        options: matches.map((m) => ({
          title: `${m.clientName} · ${m.ref}`,
          subtitle: `contract ${m.contractId}${m.endDate ? ` · ends ${m.endDate}` : ''}`,
          verb: 'renewal.open',
          data: { contractId: m.contractId },
        })),
      },
      this.deps.links,
    );
  }

  /** A button of the renewal stage card or its forms: returns the card to show the clicker. */
  async renewalStep(
    context: TurnContext,
    verb: RenewalStepVerb,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCard> {
    const actor = await this.actor(context);
    const contractId = toRecordId(data.contractId);
    if (contractId === null) {
      return this.notice({
        tone: 'error',
        title: 'Unknown contract',
        text: 'That button has no contract.',
      });
    }
    const allowed = await this.deps.access.contract(actor, contractId);
    if (!allowed.ok) return this.refused(allowed.message);
    if (verb === 'renewal.open' || verb === 'renewal.refresh') {
      return this.contractCard(actor, contractId, null, { refresh: false, personal: true });
    }
    if (verb === 'renewal.checkpointForm') {
      if (!runsRenewals(actor)) {
        return this.refused('Only account managers, cs leads and msp owners log checkpoints.');
      }
      const card = await this.deps.contractCards.card(contractId, this.today());
      if (card === null) return this.noContract(contractId);
      if (card.kind === 'no-stage') {
        return this.notice({
          tone: 'info',
          title: 'No renewal stage open',
          text: `${card.contract.clientName} · ${card.contract.ref} has no 90/60/30-day stage open yet: its checkpoint opens with the stage.`,
        });
      }
      return buildCheckpointFormCard(card.view, this.today(), this.deps.links);
    }
    if (verb === 'renewal.checkpoint') {
      const parsed = checkpointForm.safeParse(data);
      if (!parsed.success) {
        return this.notice({
          tone: 'error',
          title: 'Check the form',
          text: formProblem(parsed.error, {
            [CHECKPOINT_FORM_INPUTS.meetingOn]: 'Meeting date',
            [CHECKPOINT_FORM_INPUTS.notes]: 'Notes',
            [CHECKPOINT_FORM_INPUTS.ownerCall]: 'Your call',
          }),
        });
      }
      const input = parsed.data;
      const result = await this.deps.logCheckpoint.run(actor, {
        contractId,
        meetingOn: input[CHECKPOINT_FORM_INPUTS.meetingOn],
        notes: input[CHECKPOINT_FORM_INPUTS.notes],
        ownerCall: input[CHECKPOINT_FORM_INPUTS.ownerCall],
      });
      if (!result.ok) {
        this.deps.logger.info({ verb, contractId, reason: result.reason }, 'checkpoint refused');
        return this.refused(result.message, 'Checkpoint not logged');
      }
      const c = result.value;
      return this.contractCard(
        actor,
        contractId,
        {
          tone: 'success',
          text: `Checkpoint of ${c.meetingOn} logged: you call "${c.ownerCall}"${
            c.disagrees
              ? `, which disagrees with the readiness score ${readinessLabel(c.score, c.band ?? 'unknown')}: sent to the cs lead for review.`
              : '.'
          }`,
        },
        { refresh: false, personal: true },
      );
    }
    if (verb === 'renewal.concessionForm') {
      if (!actor.roles.some((r) => (CONCESSION_REQUESTER_ROLES as readonly string[]).includes(r))) {
        return this.refused('Only account managers, cs leads and msp owners request concessions.');
      }
      const form = await this.deps.contractCards.concessionForm(contractId);
      if (form === null) return this.noContract(contractId);
      if (form === 'no-value') {
        return this.notice({
          tone: 'info',
          title: 'Nothing to discount',
          text: `Contract ${contractId} has no recurring value in HaloPSA to discount.`,
        });
      }
      return buildConcessionFormCard(form, this.deps.links);
    }
    if (verb === 'renewal.concession') {
      const parsed = concessionForm.safeParse(data);
      if (!parsed.success) {
        return this.notice({
          tone: 'error',
          title: 'Check the form',
          text: formProblem(parsed.error, {
            [CONCESSION_FORM_INPUTS.discountPct]: 'Discount',
            [CONCESSION_FORM_INPUTS.reason]: 'Reason',
          }),
        });
      }
      const result = await this.deps.requestConcession.run(actor, {
        contractId,
        discountPct: parsed.data[CONCESSION_FORM_INPUTS.discountPct],
        reason: parsed.data[CONCESSION_FORM_INPUTS.reason],
      });
      if (!result.ok) {
        this.deps.logger.info({ verb, contractId, reason: result.reason }, 'concession refused');
        return this.refused(result.message, 'Concession not requested');
      }
      const c = result.concession;
      return buildConcessionCard(
        c,
        this.deps.links,
        'read-only',
        {
          tone: 'success',
          text: `Requested: ${c.discountPct} % is with the ${c.approverTier === 'cs_lead' ? 'cs lead' : 'msp owner'}; the approval card is posted to the renewals channel.`,
        },
        { refresh: false },
      );
    }
    // uplift.accept, uplift.decline
    const opportunityId = safeText(200).safeParse(data.opportunityId);
    if (!opportunityId.success || !opportunityId.data.startsWith(`${contractId}:`)) {
      return this.notice({
        tone: 'error',
        title: 'Unknown uplift',
        text: 'That button has no uplift opportunity of this contract.',
      });
    }
    let reason: string | undefined;
    if (verb === 'uplift.decline') {
      const inputId = typeof data.reasonInput === 'string' ? data.reasonInput : '';
      const given = safeText(1000).safeParse(inputId === '' ? undefined : data[inputId]);
      if (!given.success || given.data.trim() === '') {
        return this.notice({
          tone: 'error',
          title: 'Check the form',
          text: 'Say why the customer declined.',
        });
      }
      reason = given.data.trim();
    }
    const result = await this.deps.setUpliftStatus.run(actor, {
      opportunityId: opportunityId.data,
      status: verb === 'uplift.accept' ? 'accepted' : 'declined',
      ...(reason !== undefined ? { reason } : {}),
    });
    if (!result.ok) {
      this.deps.logger.info({ verb, contractId, reason: result.reason }, 'uplift answer refused');
      return this.refused(result.message, 'Not recorded');
    }
    const o = result.value;
    return this.contractCard(
      actor,
      contractId,
      {
        tone: 'success',
        text: `Uplift "${o.subject}" ${o.status} by ${actor.name}${reason ? `: ${reason}` : ''}.`,
      },
      { refresh: false, personal: true },
    );
  }

  /**
   * One contract's card: the stage card (owner or read-only) or why there is none. `personal`:
   * shown only to `actor` (their own view); otherwise the read-only post, refreshed for the owner.
   */
  private async contractCard(
    actor: Actor,
    contractId: number,
    banner: RenewalStageBanner | null,
    options: { refresh: boolean; personal: boolean },
  ): Promise<AdaptiveCard> {
    const card = await this.deps.contractCards.card(contractId, this.today());
    if (card === null) return this.noContract(contractId);
    if (card.kind === 'no-stage') {
      const c = card.contract;
      return this.notice({
        tone: 'info',
        title: `${c.clientName} · ${c.ref}`,
        text: `${c.endDate === null ? 'No end date in HaloPSA' : `Ends ${c.endDate} (${c.daysToEnd} days)`} · readiness ${readinessLabel(c.score, c.band)}. No 90/60/30-day stage is open, so there is no checkpoint to log yet; concessions are requested in the tab.`,
      });
    }
    const mayAct = options.personal && runsRenewals(actor);
    return buildRenewalStageCard(
      card.view,
      this.deps.links,
      mayAct ? 'owner' : 'read-only',
      banner,
      { refresh: options.refresh },
    );
  }

  private actor(context: TurnContext): Promise<Actor> {
    return turnActor(context, this.deps.roles);
  }

  private today(): string {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }

  private notice(view: NoticeView): AdaptiveCard {
    return buildNoticeCard(view, this.deps.links);
  }

  private refused(text: string, title = 'Not available to you'): AdaptiveCard {
    return markRefusal(this.notice({ tone: 'refused', title, text }));
  }

  private noContract(contractId: number): AdaptiveCard {
    return this.notice({
      tone: 'info',
      title: 'No contract found',
      text: `There is no contract ${contractId}.`,
    });
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
 * The renewals feature of the bot: `/renewals`, `/renewal <client or contract>`, the stage card's
 * steps (checkpoint, concession request, uplift answers), the concession card's verbs and the
 * renderers of the renewal outbox kinds.
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
      {
        pattern: COMMAND_PATTERNS.renewal,
        run: async (context) => {
          const card = await handlers.renewalCommand(context);
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
      ...Object.fromEntries(
        RENEWAL_STEP_VERBS.map((verb) => [
          verb,
          (context: TurnContext, data: Record<string, unknown>) =>
            handlers.renewalStep(context, verb, data),
        ]),
      ),
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
