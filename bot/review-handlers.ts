import type { TurnContext } from 'botbuilder';
import type { AcceptPolicyTuning } from '../src/app/delivery/accept-policy-tuning';
import type { DecideRebaseline, RebaselineVerdict } from '../src/app/delivery/decide-rebaseline';
import {
  REBASELINE_REQUEST_KIND,
  type RebaselineRequestPayload,
} from '../src/app/delivery/rebaseline-views';
import {
  POST_PROJECT_REVIEW_KIND,
  type PostProjectReviewPayload,
} from '../src/app/delivery/review-views';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import { toRecordId } from '../src/shared/input-schemas';
import type { BotLogger } from './bot-adapter';
import type { BotFeature, CardActionData } from './bot-feature';
import { cardActivity } from './card-activity-renderer';
import type { AdaptiveCard } from './cards/card-types';
import { buildNoticeCard } from './cards/notice.card';
import { buildPostProjectReviewCard } from './cards/post-project-review.card';
import { buildRebaselineRequestCard } from './cards/rebaseline-request.card';
import type { TabLinks } from './tab-links';
import { teamsUser } from './teams-conversation';

/** What the post-project review and re-baseline cards need (the delivery module provides it). */
export interface ReviewBotDeps {
  identity: RoleDirectory;
  acceptTuning: AcceptPolicyTuning;
  decideRebaseline: DecideRebaseline;
  links: TabLinks;
  logger: BotLogger;
}

/**
 * The delivery loop's ends in Teams: the post-project review card (Accept a policy tuning) and the
 * re-baseline request card (Approve / Reject), as outbox posts and as card actions. Translation
 * only: the use cases decide and enforce the roles.
 */
export function createReviewBotFeature(deps: ReviewBotDeps): BotFeature {
  const text = (data: CardActionData, key: string) =>
    typeof data[key] === 'string' ? (data[key] as string) : String(data[key] ?? '');
  const refused = (message: string): AdaptiveCard =>
    buildNoticeCard({ tone: 'refused', title: 'Not done', text: message }, deps.links);

  const acceptTuning = async (context: TurnContext, data: CardActionData) => {
    const actor = await deps.identity.resolve(teamsUser(context.activity));
    const projectId = toRecordId(data.projectId);
    if (projectId === null) return refused('That review does not exist.');
    const outcome = await deps.acceptTuning.run(actor, projectId, text(data, 'tuningId'));
    if (!outcome.ok) {
      deps.logger.info(
        { action: 'review.acceptTuning', targetId: projectId, reason: outcome.reason },
        'bot action refused',
      );
      return refused(outcome.message);
    }
    return buildPostProjectReviewCard(outcome.review, deps.links, {
      tone: 'success',
      text: outcome.notice,
    });
  };

  const decide =
    (verdict: RebaselineVerdict) => async (context: TurnContext, data: CardActionData) => {
      const actor = await deps.identity.resolve(teamsUser(context.activity));
      const requestId = text(data, 'requestId').slice(0, 100);
      const outcome = await deps.decideRebaseline.run(
        actor,
        requestId,
        verdict,
        text(data, 'comment'),
      );
      if (!outcome.ok) {
        deps.logger.info(
          { action: `rebaseline.${verdict}`, targetId: requestId, reason: outcome.reason },
          'bot action refused',
        );
        return outcome.request
          ? buildRebaselineRequestCard(outcome.request, deps.links, {
              tone: 'refused',
              text: outcome.message,
            })
          : refused(outcome.message);
      }
      return buildRebaselineRequestCard(outcome.request, deps.links, {
        tone: 'success',
        text: outcome.notice,
      });
    };

  return {
    commands: [],
    cardActions: {
      'review.acceptTuning': acceptTuning,
      'rebaseline.approve': decide('approve'),
      'rebaseline.reject': decide('reject'),
    },
    renderers: {
      [POST_PROJECT_REVIEW_KIND]: (payload) => {
        const { review, notice } = payload as PostProjectReviewPayload;
        if (!review?.name)
          return { ok: false, reason: 'post-project-review payload without review' };
        return {
          ok: true,
          activity: cardActivity(
            buildPostProjectReviewCard(review, deps.links, notice ?? null),
            `Post-project review of ${review.name}`,
          ),
        };
      },
      [REBASELINE_REQUEST_KIND]: (payload) => {
        const { request, notice } = payload as RebaselineRequestPayload;
        if (!request?.id)
          return { ok: false, reason: 'rebaseline-request payload without request' };
        return {
          ok: true,
          activity: cardActivity(
            buildRebaselineRequestCard(request, deps.links, notice ?? null),
            `Re-baseline request for ${request.projectName}`,
          ),
        };
      },
    },
  };
}
