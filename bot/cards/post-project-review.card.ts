import type { PostProjectReviewView } from '../../src/app/delivery/review-views';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  executeAction,
  fitToBudget,
  heading,
  line,
  moreLine,
  openInTab,
  plain,
} from './card-kit';
import type { AdaptiveCard, CardAction } from './card-types';
import { markRefusal } from './notice.card';

const pct = (ratio: number | null) => (ratio === null ? 'n/a' : `${Math.round(ratio * 100)} %`);

/**
 * The post-project review posted to the PMO channel at closure: budget outcome, risks caught and
 * missed, corrective actions, template and policy suggestions, and one "Accept" per policy tuning
 * (a PMO lead's click saves it as the next policy version; the card then says which was accepted).
 */
export function buildPostProjectReviewCard(
  view: PostProjectReviewView,
  links: TabLinks,
  notice: { tone: 'success' | 'refused'; text: string } | null = null,
): AdaptiveCard {
  const built = fitToBudget([6, 3, 1], (max) => {
    const actions: CardAction[] =
      view.accepted === null
        ? view.tunings.map((t) =>
            executeAction(
              `Accept: ${t.cause} amber ${t.from} → ${t.to}`,
              'review.acceptTuning',
              { projectId: view.projectId, tuningId: t.id },
              'positive',
            ),
          )
        : [];
    const suggestions = [...view.templateSuggestions, ...view.policySuggestions];
    return card(
      compact([
        notice
          ? line(plain(clip(notice.text, 300)), {
              color: notice.tone === 'success' ? 'good' : 'attention',
              weight: 'bolder',
            })
          : null,
        heading(`Post-project review · ${clip(view.name, 90)}`),
        line(
          `Closed ${view.closedOn ?? 'unknown'} · ${view.actualHours} h of ${view.budgetHours ?? 'no'} budgeted h (${pct(view.budgetRatio)})`,
          { spacing: 'none' },
        ),
        line(
          `${view.caughtInTime} risk(s) caught in time · ${view.riskMisses} missed · ${view.falsePositives} false positive(s)`,
          { spacing: 'none', color: view.riskMisses > 0 ? 'warning' : 'default' },
        ),
        view.correctiveActions.length > 0
          ? line('Corrective actions', { weight: 'bolder', separator: true })
          : null,
        ...view.correctiveActions
          .slice(0, max)
          .map((a) => line(`• ${plain(clip(a, 200))}`, { spacing: 'none' })),
        moreLine(view.correctiveActions.length - max, 'actions'),
        suggestions.length > 0 ? line('Suggestions', { weight: 'bolder', separator: true }) : null,
        ...suggestions
          .slice(0, max)
          .map((s) => line(`• ${plain(clip(s, 200))}`, { spacing: 'none' })),
        moreLine(suggestions.length - max, 'suggestions'),
        view.accepted
          ? line(
              `Accepted by ${plain(view.accepted.by)}: ${view.accepted.tuningId} → policy version ${view.accepted.policyVersion}`,
              { color: 'good', separator: true },
            )
          : view.tunings.length > 0
            ? line('A PMO lead can accept one policy tuning as the next policy version.', {
                isSubtle: true,
                size: 'small',
                separator: true,
              })
            : null,
      ]),
      [...actions, openInTab(links.project(view.projectId), 'Open the project (PDF export)')],
      `Post-project review of ${view.name}`,
    );
  });
  return notice?.tone === 'refused' ? markRefusal(built) : built;
}
