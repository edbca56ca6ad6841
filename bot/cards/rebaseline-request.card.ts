import type { RebaselineRequestView } from '../../src/app/delivery/rebaseline-views';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  executeAction,
  heading,
  line,
  moreLine,
  openInTab,
  plain,
  when,
} from './card-kit';
import type { AdaptiveCard, CardAction } from './card-types';
import { markRefusal } from './notice.card';

/**
 * A PM's re-baseline request for the PMO lead: the project, the reason, the version it replaces,
 * Approve and Reject while pending; once decided, who decided, the new version and what changed.
 */
export function buildRebaselineRequestCard(
  view: RebaselineRequestView,
  links: TabLinks,
  notice: { tone: 'success' | 'refused'; text: string } | null = null,
): AdaptiveCard {
  const actions: CardAction[] =
    view.status === 'pending'
      ? [
          executeAction('Approve', 'rebaseline.approve', { requestId: view.id }, 'positive'),
          executeAction('Reject', 'rebaseline.reject', { requestId: view.id }, 'destructive'),
        ]
      : [];
  const status =
    view.status === 'pending'
      ? 'Waiting for a PMO lead'
      : view.status === 'approved'
        ? `Approved by ${view.decidedBy ?? 'a PMO lead'}: baseline version ${view.toVersion ?? '?'}`
        : `Rejected by ${view.decidedBy ?? 'a PMO lead'}`;
  const changes = view.changes.slice(0, 8);
  const built = card(
    compact([
      notice
        ? line(plain(clip(notice.text, 300)), {
            color: notice.tone === 'success' ? 'good' : 'attention',
            weight: 'bolder',
          })
        : null,
      heading(`Re-baseline request · ${clip(view.projectName, 90)}`),
      line(
        `Requested by ${plain(view.requestedBy)} ${when(view.requestedAt)} · replaces baseline version ${view.fromVersion}`,
        {
          spacing: 'none',
          isSubtle: true,
        },
      ),
      line(`Reason: ${plain(clip(view.reason, 600))}`),
      line(status, {
        weight: 'bolder',
        color:
          view.status === 'approved'
            ? 'good'
            : view.status === 'rejected'
              ? 'attention'
              : 'default',
      }),
      view.comment ? line(`Comment: ${plain(clip(view.comment, 400))}`, { spacing: 'none' }) : null,
      ...changes.map((c) => line(`• ${plain(clip(c, 160))}`, { spacing: 'none', size: 'small' })),
      moreLine(view.changes.length - changes.length, 'changes'),
    ]),
    [...actions, openInTab(links.project(view.projectId), 'Open the project')],
    `Re-baseline request for ${view.projectName}`,
  );
  return notice?.tone === 'refused' ? markRefusal(built) : built;
}
