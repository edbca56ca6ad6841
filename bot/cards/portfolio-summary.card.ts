import type { PortfolioSummaryView, Rag } from '../../src/app/delivery-views';
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
  ragColor,
  ragLabel,
  scoreLabel,
  when,
} from './card-kit';
import type { AdaptiveCard, Column, Container } from './card-types';

const RAGS: readonly Rag[] = ['red', 'amber', 'green', 'unknown'];

/** `/health`: counts by RAG and the worst projects with their top driver. */
export function buildPortfolioSummaryCard(
  view: PortfolioSummaryView,
  links: TabLinks,
): AdaptiveCard {
  const counts: Column[] = RAGS.map((rag) => ({
    type: 'Column',
    width: 'stretch',
    items: [
      line(String(view.counts[rag] ?? 0), {
        size: 'extraLarge',
        weight: 'bolder',
        color: ragColor(rag),
      }),
      line(ragLabel(rag), { isSubtle: true, size: 'small', spacing: 'none' }),
    ],
  }));
  const total = RAGS.reduce((sum, rag) => sum + (view.counts[rag] ?? 0), 0);
  return fitToBudget([10, 6, 3], (max) => {
    const shown = view.worst.slice(0, max);
    const rows: Container[] = shown.map((project) => ({
      type: 'Container',
      separator: true,
      selectAction: executeAction('Details', 'project.health', { projectId: project.id }),
      items: compact([
        line(`**${plain(clip(project.name, 80))}** · ${plain(clip(project.clientName, 60))}`),
        line(scoreLabel(project.score, project.rag), {
          color: ragColor(project.rag),
          spacing: 'none',
        }),
        project.topDriver === null
          ? null
          : line(
              `${plain(clip(project.topDriver.label, 60))}: ${clip(project.topDriver.value, 30)} vs ${clip(project.topDriver.threshold, 30)}`,
              { isSubtle: true, size: 'small', spacing: 'none' },
            ),
      ]),
    }));
    return card(
      compact([
        heading('Portfolio health'),
        line(`${total} projects · evaluated ${when(view.evaluatedAt)}`, {
          isSubtle: true,
          spacing: 'none',
        }),
        { type: 'ColumnSet', columns: counts },
        shown.length > 0 ? line('Needs attention', { weight: 'bolder', spacing: 'medium' }) : null,
        ...rows,
        moreLine(view.worst.length - shown.length, 'projects in the tab'),
        shown.length === 0 ? line('No red or amber projects.', { color: 'good' }) : null,
      ]),
      [openInTab(links.portfolio())],
      `Portfolio: ${view.counts.red ?? 0} red, ${view.counts.amber ?? 0} amber, ${view.counts.green ?? 0} green, ${view.counts.unknown ?? 0} unknown`,
    );
  });
}
