import type { WeeklyReportView } from '../../src/app/delivery-views';
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
  ragColor,
  scoreLabel,
  when,
} from './card-kit';
import type { AdaptiveCard, Container } from './card-types';

/** The weekly control report: red/amber projects with causes, mitigation owners, recovery dates and changes. */
export function buildWeeklyReportCard(view: WeeklyReportView, links: TabLinks): AdaptiveCard {
  return fitToBudget([15, 10, 5, 2], (max) => {
    const lines = view.lines.slice(0, max);
    const changes = view.changes.slice(0, max);
    const rows: Container[] = lines.map((entry) => ({
      type: 'Container',
      separator: true,
      items: compact([
        line(`**${plain(clip(entry.projectName, 80))}** · ${plain(clip(entry.clientName, 60))}`),
        line(
          `${scoreLabel(entry.score, entry.rag)}${entry.changeSinceLastWeek ? ` · ${clip(entry.changeSinceLastWeek, 60)}` : ''}`,
          { color: ragColor(entry.rag), spacing: 'none' },
        ),
        entry.causes.length > 0
          ? line(plain(clip(entry.causes.slice(0, 3).join('; '), 240)), {
              size: 'small',
              spacing: 'none',
            })
          : null,
        line(
          `Mitigation: ${clip(entry.mitigationOwner ?? 'nobody assigned', 60)} · recovery ${entry.recoveryDate ?? 'not planned'}`,
          {
            size: 'small',
            isSubtle: true,
            spacing: 'none',
            color: entry.mitigationOwner === null ? 'warning' : 'default',
          },
        ),
      ]),
    }));
    return card(
      compact([
        heading(`Weekly control report · week of ${view.weekOf}`),
        line(
          `${view.counts.red ?? 0} red · ${view.counts.amber ?? 0} amber · ${view.counts.green ?? 0} green · ${view.counts.unknown ?? 0} unknown`,
          { spacing: 'none' },
        ),
        changes.length > 0 ? line('What changed', { weight: 'bolder', separator: true }) : null,
        ...changes.map((change) => line(`• ${plain(clip(change, 200))}`, { spacing: 'none' })),
        moreLine(view.changes.length - changes.length, 'changes'),
        lines.length > 0
          ? line('Red and amber projects', { weight: 'bolder', separator: true })
          : null,
        ...rows,
        moreLine(view.lines.length - lines.length, 'projects in the tab'),
        lines.length === 0 ? line('No red or amber projects this week.', { color: 'good' }) : null,
        line(`Generated ${when(view.generatedAt)}`, { isSubtle: true, size: 'small' }),
      ]),
      [openInTab(links.report(), 'Open the report')],
      `Weekly control report, week of ${view.weekOf}`,
    );
  });
}
