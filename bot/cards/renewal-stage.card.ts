import type { RenewalStageView, UpliftLineView } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import {
  approverRefresh,
  card,
  clip,
  commentAction,
  compact,
  executeAction,
  heading,
  line,
  openInTab,
  plain,
} from './card-kit';
import type { AdaptiveCard, CardAction, CardColor, CardElement } from './card-types';

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

/** Who is looking: the contract's owner gets the renewal steps; everyone else reads. */
export type RenewalStageCardMode = 'owner' | 'read-only';

/** What just happened on the card, or why a click was refused. */
export interface RenewalStageBanner {
  tone: 'success' | 'refused';
  text: string;
}

/** The id of the decline reason input of the `index`-th uplift line (read back by `uplift.decline`). */
export function upliftReasonInput(index: number): string {
  return `upliftDeclineReason${index}`;
}

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * A renewal stage card: the contract entering its 90/60/30-day window, its readiness with the top
 * drivers, the owner, the stage's tasks with due dates and the uplift waiting for the customer's
 * answer. The owner's view carries **Log checkpoint** and **Request concession** (each opens a
 * form card) and **Accept** / **Decline** on each uplift. The posted (read-only) card carries
 * `refresh.userIds` with the owner's sign-ins, whose clients fetch their own view; cards answering
 * an invoke go without `refresh` so the post is not replaced with the clicker's view.
 */
export function buildRenewalStageCard(
  view: RenewalStageView,
  links: TabLinks,
  mode: RenewalStageCardMode = 'read-only',
  banner: RenewalStageBanner | null = null,
  options: { refresh: boolean } = { refresh: true },
): AdaptiveCard {
  const uplift = view.uplift ?? [];
  const body: CardElement[] = compact([
    banner === null
      ? null
      : {
          type: 'Container',
          style: banner.tone === 'success' ? 'good' : 'attention',
          items: [line(clip(banner.text, 400), { weight: 'bolder' })],
        },
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
    uplift.length > 0
      ? line('Uplift to put to the customer', { weight: 'bolder', separator: true })
      : null,
    ...uplift.slice(0, 5).map((o, i) => upliftLine(o, i, view.contractId, mode)),
    view.pendingConcession
      ? {
          type: 'Container',
          separator: true,
          items: [
            line(
              `Concession ${view.pendingConcession.discountPct} % waiting for the ${view.pendingConcession.approverTier === 'cs_lead' ? 'cs lead' : 'msp owner'}`,
              { weight: 'bolder', color: 'warning' },
            ),
            {
              type: 'ActionSet',
              actions: [
                executeAction('Open the concession', 'concession.refresh', {
                  concessionId: view.pendingConcession.id,
                }),
              ],
            },
          ],
        }
      : null,
    mode === 'read-only' && view.status !== 'closed'
      ? line('The contract owner logs the checkpoint and requests concessions from this card.', {
          size: 'small',
          isSubtle: true,
          separator: true,
        })
      : null,
  ]);
  const actions: CardAction[] = [];
  if (mode === 'owner' && view.status !== 'closed') {
    const data = { contractId: view.contractId };
    actions.push(executeAction('Log checkpoint', 'renewal.checkpointForm', data, 'positive'));
    actions.push(executeAction('Request concession', 'renewal.concessionForm', data));
  }
  actions.push(openInTab(links.contract(view.contractId), 'Open the contract'));
  const result = card(
    body,
    actions,
    `Renewal ${view.stage}-day stage: ${view.clientName} ${view.ref} ends ${view.endDate}, readiness ${readinessLabel(view.score, view.band)}`,
  );
  const owners = view.ownerAadObjectIds ?? [];
  if (options.refresh && view.status !== 'closed' && owners.length > 0) {
    result.refresh = approverRefresh('renewal.refresh', { contractId: view.contractId }, owners);
  }
  return result;
}

function upliftLine(
  o: UpliftLineView,
  index: number,
  contractId: number,
  mode: RenewalStageCardMode,
): CardElement {
  const data = { opportunityId: o.id, contractId, reasonInput: upliftReasonInput(index) };
  return {
    type: 'Container',
    spacing: 'small',
    items: compact<CardElement>([
      line(
        `**${plain(clip(o.subject, 60))}** (${o.kind.replace('-', ' ')}) · +${money(o.estimatedMonthlyUplift)}/month`,
        { size: 'small' },
      ),
      o.evidence === null
        ? null
        : line(plain(clip(o.evidence, 200)), { size: 'small', isSubtle: true, spacing: 'none' }),
      mode === 'owner'
        ? {
            type: 'ActionSet',
            actions: [
              executeAction('Accept', 'uplift.accept', data, 'positive'),
              commentAction({
                title: 'Decline',
                verb: 'uplift.decline',
                data,
                inputId: upliftReasonInput(index),
                label: 'Why did the customer decline?',
                style: 'destructive',
              }),
            ],
          }
        : null,
    ]),
  };
}
