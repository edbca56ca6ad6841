/**
 * The governance review in Teams: the card's Accept / Reject per suggestion, Sign off, and the
 * refresh that gives each cs lead (and msp owner) their own view; the `governance-review` outbox
 * kind's renderer. Buttons call the same use cases as the tab, which check the role and audit.
 */
import type { TurnContext } from 'botbuilder';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import type { ReadAccess } from '../src/app/identity/read-access';
import type { RenderResult } from '../src/app/ports/notifications.port';
import type { DecideGovernanceSuggestion } from '../src/app/renewals/decide-governance-suggestion';
import type { GovernanceResult } from '../src/app/renewals/governance-outcome';
import {
  decidesGovernance,
  type GovernanceReviewPayload,
} from '../src/app/renewals/governance-review-view';
import type { ReadGovernance } from '../src/app/renewals/read-governance';
import type { SignOffGovernanceReview } from '../src/app/renewals/sign-off-governance-review';
import { yearMonth } from '../src/shared/input-schemas';
import type { BotLogger } from './bot-adapter';
import { cardActivity } from './card-activity-renderer';
import type { BotFeature, CardActionData } from './bot-feature';
import type { AdaptiveCard } from './cards/card-types';
import { buildGovernanceReviewCard } from './cards/governance-review.card';
import { buildNoticeCard, markRefusal } from './cards/notice.card';
import type { TabLinks } from './tab-links';
import { teamsUser } from './teams-conversation';

/** What the governance handlers need. */
export interface GovernanceHandlerDeps {
  read: ReadGovernance;
  decide: DecideGovernanceSuggestion;
  signOff: SignOffGovernanceReview;
  roles: RoleDirectory;
  access: ReadAccess;
  links: TabLinks;
  logger: BotLogger;
}

const SUGGESTION_ID = /^[a-z][a-z-]{0,99}$/;

/** Answers the governance card's buttons. */
export class GovernanceHandlers {
  constructor(private readonly deps: GovernanceHandlerDeps) {}

  async act(
    context: TurnContext,
    verb: 'governance.accept' | 'governance.reject' | 'governance.signOff' | 'governance.refresh',
    data: CardActionData,
  ): Promise<AdaptiveCard> {
    const month = yearMonth.safeParse(data.month);
    if (!month.success) return this.notice('That button names no review month.');
    const actor = await this.deps.roles.resolve(teamsUser(context.activity));
    const readable = this.deps.access.area(actor, 'governance');
    if (!readable.ok) return this.notice(readable.message, 'refused', 'Not available to you');
    let result: GovernanceResult | null = null;
    if (verb === 'governance.signOff') {
      result = await this.deps.signOff.run(actor, { month: month.data });
    } else if (verb !== 'governance.refresh') {
      const id = data.suggestionId;
      if (typeof id !== 'string' || !SUGGESTION_ID.test(id)) {
        return this.notice('That button names no suggestion.');
      }
      result = await this.deps.decide.run(actor, {
        month: month.data,
        suggestionId: id,
        decision: verb === 'governance.accept' ? 'accept' : 'reject',
      });
    }
    const view = await this.deps.read.review(month.data, actor);
    if (view === null)
      return this.notice(`There is no governance review for ${month.data}.`, 'error');
    const mode = decidesGovernance(actor) ? 'decider' : 'read-only';
    if (result !== null && !result.ok) {
      this.deps.logger.info(
        { verb, month: month.data, reason: result.reason },
        'governance action refused',
      );
      const card = buildGovernanceReviewCard(view, this.deps.links, mode, {
        refresh: false,
        notice: { tone: 'refused', text: result.message },
      });
      return result.reason === 'not-authorised' ? markRefusal(card) : card;
    }
    const notice =
      result === null
        ? null
        : {
            tone: 'success' as const,
            text: verb === 'governance.signOff' ? 'Review signed off.' : 'Answer recorded.',
          };
    return buildGovernanceReviewCard(view, this.deps.links, mode, { refresh: false, notice });
  }

  private notice(
    text: string,
    tone: 'error' | 'refused' = 'error',
    title = 'Governance review',
  ): AdaptiveCard {
    return buildNoticeCard({ tone, title, text }, this.deps.links);
  }
}

/** Renders a `governance-review` outbox row: the read-only card, refreshed to their view for deciders. */
export function renderGovernanceReview(payload: object, links: TabLinks): RenderResult {
  const { review, deciderAadObjectIds } = payload as Partial<GovernanceReviewPayload>;
  if (!review?.month) return { ok: false, reason: 'governance-review payload without review' };
  return {
    ok: true,
    activity: cardActivity(
      buildGovernanceReviewCard(review, links, 'read-only', {
        refresh: true,
        deciderAadObjectIds: deciderAadObjectIds ?? [],
      }),
      `Renewal governance review ${review.month}`,
    ),
  };
}

/** The governance part of the renewals bot feature. */
export function governanceBotFeature(deps: GovernanceHandlerDeps): BotFeature {
  const handlers = new GovernanceHandlers(deps);
  return {
    commands: [],
    cardActions: {
      'governance.accept': (context, data) => handlers.act(context, 'governance.accept', data),
      'governance.reject': (context, data) => handlers.act(context, 'governance.reject', data),
      'governance.signOff': (context, data) => handlers.act(context, 'governance.signOff', data),
      'governance.refresh': (context, data) => handlers.act(context, 'governance.refresh', data),
    },
    renderers: { 'governance-review': (payload) => renderGovernanceReview(payload, deps.links) },
  };
}
