import type { ProjectHealthView } from '../../src/app/delivery-views';
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
  scoreLabel,
  sparkline,
  when,
} from './card-kit';
import type { AdaptiveCard, CardElement, ColumnSet } from './card-types';

/** `/health <project>`: score, RAG, confidence, risk tags, drivers vs thresholds, trend, milestone, escalations. */
export function buildProjectHealthCard(view: ProjectHealthView, links: TabLinks): AdaptiveCard {
  return fitToBudget([8, 5, 3, 1], (max) => {
    const drivers = view.drivers.slice(0, max);
    const changes = view.changes.slice(0, max);
    const escalations = view.openEscalations.slice(0, max);
    const driverRows: ColumnSet[] = drivers.map((driver) => ({
      type: 'ColumnSet',
      spacing: 'small',
      columns: [
        // Weighted widths keep the label readable at Teams' narrow widths.
        { type: 'Column', width: 2, items: [line(plain(clip(driver.label, 80)))] },
        {
          type: 'Column',
          width: 3,
          items: [
            line(`${clip(driver.value, 30)} vs ${clip(driver.threshold, 60)}`, {
              color: driver.contribution > 0 ? 'attention' : 'default',
            }),
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [
            line(driver.contribution > 0 ? `−${Math.round(driver.contribution)}` : '0', {
              isSubtle: true,
            }),
          ],
        },
      ],
    }));
    const trendScores = view.trend.map((point) => point.score);
    const body: CardElement[] = compact([
      heading(plain(view.name)),
      line(`${plain(clip(view.client.name, 80))} · project ${view.id}`, {
        isSubtle: true,
        spacing: 'none',
      }),
      {
        type: 'ColumnSet',
        columns: [
          {
            type: 'Column',
            width: 'auto',
            items: [
              line(scoreLabel(view.score, view.rag), {
                size: 'extraLarge',
                weight: 'bolder',
                color: ragColor(view.rag),
              }),
            ],
          },
          {
            type: 'Column',
            width: 'stretch',
            verticalContentAlignment: 'center',
            items: compact([
              line(`Confidence ${Math.round(view.confidence * 100)} %`, {
                color: view.confidence < 0.6 ? 'warning' : 'default',
              }),
              view.riskTags.length > 0
                ? line(`Risks: ${view.riskTags.join(', ')}`, { isSubtle: true, spacing: 'none' })
                : null,
            ]),
          },
        ],
      },
      view.rag === 'unknown'
        ? line('Not enough data to score this project (missing budget, estimates or timesheets).', {
            color: 'warning',
          })
        : null,
      drivers.length > 0 ? line('Top drivers', { weight: 'bolder', separator: true }) : null,
      ...driverRows,
      moreLine(view.drivers.length - drivers.length, 'drivers in the tab'),
      trendScores.length > 1
        ? line(`Trend (${view.trend.length} days): ${sparkline(trendScores)}`, {
            spacing: 'medium',
          })
        : null,
      changes.length > 0
        ? line('Since the last snapshot', { weight: 'bolder', separator: true })
        : null,
      ...changes.map((change) => line(`• ${plain(clip(change, 200))}`, { spacing: 'none' })),
      moreLine(view.changes.length - changes.length, 'changes'),
      {
        type: 'FactSet',
        separator: true,
        facts: [
          {
            title: 'Next milestone',
            value:
              view.nextMilestone === null
                ? 'none planned'
                : `${clip(view.nextMilestone.name, 80)} · ${view.nextMilestone.dueDate}${view.nextMilestone.isGate ? ' · quality gate' : ''}`,
          },
          { title: 'Open escalations', value: String(view.openEscalations.length) },
          { title: 'Evaluated', value: when(view.evaluatedAt) },
        ],
      },
      ...escalations.map((escalation) =>
        line(
          `• ${plain(clip(escalation.cause, 100))} · ${escalation.severity} · ${escalation.state}`,
          { spacing: 'none', color: escalation.severity === 'high' ? 'attention' : 'default' },
        ),
      ),
      moreLine(view.openEscalations.length - escalations.length, 'escalations'),
    ]);
    return card(
      body,
      [
        openInTab(links.project(view.id)),
        executeAction('Refresh', 'project.health', { projectId: view.id }),
      ],
      `${view.name}: ${scoreLabel(view.score, view.rag)}`,
    );
  });
}
