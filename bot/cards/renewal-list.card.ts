import type { RenewalPipelineItem } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  fitToBudget,
  heading,
  line,
  moreLine,
  openInTab,
  plain,
} from './card-kit';
import type { AdaptiveCard, CardColor, Container } from './card-types';
import { readinessLabel } from './renewal-stage.card';

const BAND_COLOR: Record<string, CardColor> = {
  ready: 'good',
  watch: 'warning',
  'at-risk': 'attention',
  unknown: 'default',
};

/** `/renewals [days]`: contracts renewing within the window with readiness, stage and owner. */
export function buildRenewalListCard(
  view: { days: number; asOf: string; order: 'soonest' | 'latest'; items: RenewalPipelineItem[] },
  links: TabLinks,
): AdaptiveCard {
  return fitToBudget([40, 25, 12, 5], (max) => {
    const shown = view.items.slice(0, max);
    const rows: Container[] = shown.map((item) => ({
      type: 'Container',
      separator: true,
      items: compact([
        line(`**${plain(clip(item.clientName, 60))}** · ${plain(clip(item.ref, 40))}`),
        line(
          `Ends ${item.endDate} (${item.daysToEnd} days) · ${item.stage === 'none' ? 'no stage yet' : `${item.stage}-day stage`} · readiness ${readinessLabel(item.score, item.band)}${item.flagged ? ' · churn risk' : ''}`,
          { spacing: 'none', size: 'small', color: BAND_COLOR[item.band] ?? 'default' },
        ),
        line(
          `Owner ${plain(clip(item.ownerName ?? 'not set', 60))}${item.topDriver ? ` · top driver: ${plain(clip(item.topDriver, 60))}` : ''}`,
          { spacing: 'none', size: 'small', isSubtle: true },
        ),
      ]),
    }));
    return card(
      compact([
        heading(`Renewals in the next ${view.days} days`),
        line(
          `${view.items.length} contract${view.items.length === 1 ? '' : 's'} as of ${view.asOf}, ${view.order === 'soonest' ? 'soonest end first' : 'latest end first'}`,
          { spacing: 'none', isSubtle: true },
        ),
        ...rows,
        moreLine(view.items.length - shown.length, 'contracts in the tab'),
        view.items.length === 0
          ? line(`No contract ends in the next ${view.days} days.`, { color: 'good' })
          : null,
      ]),
      [openInTab(links.renewals(), 'Open the renewal pipeline')],
      `Renewals in the next ${view.days} days: ${view.items.length} contracts`,
    );
  });
}
