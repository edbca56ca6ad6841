import type { RenewalStageView } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import { card, clip, compact, heading, line, openInTab, plain } from './card-kit';
import type { AdaptiveCard, CardColor, CardElement } from './card-types';

const BAND_COLOR: Record<string, CardColor> = {
  ready: 'good',
  watch: 'warning',
  'at-risk': 'attention',
  unknown: 'default',
};

/** "72 (watch)" for a readiness score and band. */
export function readinessLabel(score: number | null, band: string): string {
  return `${score === null ? '—' : Math.round(score)} (${band})`;
}

/**
 * A renewal stage card: the contract entering its 90/60/30-day window, its readiness with the top
 * drivers, the owner and the stage's tasks with due dates. Posted to the routed renewals channel;
 * updated in place when the stage escalates.
 */
export function buildRenewalStageCard(view: RenewalStageView, links: TabLinks): AdaptiveCard {
  const body: CardElement[] = compact([
    view.notice === null
      ? null
      : {
          type: 'Container',
          style: 'attention',
          items: [line(clip(view.notice, 400), { weight: 'bolder' })],
        },
    line(`RENEWAL · ${view.stage}-DAY STAGE${view.status === 'escalated' ? ' · ESCALATED' : ''}`, {
      size: 'small',
      weight: 'bolder',
      color: view.status === 'escalated' ? 'attention' : 'accent',
    }),
    heading(`${plain(clip(view.clientName, 60))} · ${plain(clip(view.ref, 50))}`),
    {
      type: 'FactSet',
      facts: [
        { title: 'Ends', value: `${view.endDate} (in ${view.daysToEnd} days)` },
        { title: 'Owner', value: view.ownerName ?? 'none in HaloPSA: the cs lead assigns one' },
        {
          title: 'Readiness',
          value: `${readinessLabel(view.score, view.band)} · confidence ${Math.round(view.confidence * 100)} %`,
        },
        { title: 'Checkpoint due', value: view.checkpointDueOn },
      ],
    },
    view.flagged
      ? line(`Churn risk flagged${view.flagCause ? `: ${view.flagCause}` : ''}`, {
          color: 'attention',
          weight: 'bolder',
        })
      : null,
    view.drivers.length > 0 ? line('Why', { weight: 'bolder', separator: true }) : null,
    ...view.drivers.map((d) =>
      line(`• ${plain(clip(d.explanation, 220))} (−${d.contribution})`, {
        size: 'small',
        spacing: 'none',
        color: BAND_COLOR[view.band] ?? 'default',
      }),
    ),
    line('Tasks', { weight: 'bolder', separator: true }),
    ...view.tasks.map((t) =>
      line(
        `${t.done ? '☑' : '☐'} ${plain(clip(t.title, 120))} · due ${t.dueDate}${t.mandatory ? ' · mandatory' : ''}`,
        { size: 'small', spacing: 'none' },
      ),
    ),
  ]);
  return card(
    body,
    [openInTab(links.contract(view.contractId), 'Open the contract')],
    `Renewal ${view.stage}-day stage: ${view.clientName} ${view.ref} ends ${view.endDate}, readiness ${readinessLabel(view.score, view.band)}`,
  );
}
