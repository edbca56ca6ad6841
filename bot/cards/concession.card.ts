import type { ConcessionView } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  executeAction,
  heading,
  line,
  openInTab,
  plain,
  when,
  approverRefresh,
  commentAction,
  noticeElement,
  type CardNotice,
} from './card-kit';
import type { AdaptiveCard, CardAction, CardColor, CardElement, FactSet } from './card-types';

/** A banner on top of the card: what just happened, or why a click was refused. */
export type ConcessionNotice = CardNotice;

/** Who is looking: approvers get Approve / Reject; everyone else sees read-only status. */
export type ConcessionCardMode = 'approver' | 'read-only';

/** Input ids on the concession card. */
export const CONCESSION_INPUTS = { rejectComment: 'concessionRejectComment' } as const;

const STATUS_COLOR: Record<ConcessionView['status'], CardColor> = {
  pending: 'warning',
  approved: 'good',
  rejected: 'attention',
  expired: 'default',
};

const TIER_WORDS: Record<ConcessionView['approverTier'], string> = {
  cs_lead: 'cs lead',
  msp_owner: 'msp owner',
};

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * The concession approval card: depth, margin after, expected retention effect and precedent. The
 * posted (read-only) version carries `refresh.userIds` with the eligible approvers (never the
 * requester), whose clients fetch their own view with Approve / Reject; cards answering an invoke
 * go without `refresh` so the posted card is not replaced with the clicker's view.
 */
export function buildConcessionCard(
  view: ConcessionView,
  links: TabLinks,
  mode: ConcessionCardMode,
  notice: ConcessionNotice | null = null,
  options: { refresh: boolean } = { refresh: true },
): AdaptiveCard {
  const facts: FactSet['facts'] = [
    { title: 'Client', value: clip(view.clientName, 80) },
    { title: 'Discount', value: `${view.discountPct} %` },
    {
      title: 'Monthly value',
      value: `${money(view.monthlyRevenueBefore)} → ${money(view.monthlyRevenueAfter)}`,
    },
    {
      title: 'Margin',
      value:
        view.marginAfterPct === null
          ? 'unknown (no cost on the contract)'
          : `${view.marginBeforePct ?? '—'} % → ${view.marginAfterPct} %`,
    },
    {
      title: 'Expected effect',
      value: `${view.expectedMonthlyRevenueDelta >= 0 ? '+' : ''}${money(view.expectedMonthlyRevenueDelta)}/month (probability-weighted)`,
    },
    {
      title: 'Precedent',
      value:
        view.precedentAvgDepthPct === null
          ? 'no similar approved concessions'
          : `${view.precedentAvgDepthPct} % average over ${view.precedentCount} similar`,
    },
    { title: 'Approver', value: TIER_WORDS[view.approverTier] },
    { title: 'Requested by', value: `${clip(view.requestedBy, 60)} · ${when(view.requestedAt)}` },
  ];
  if (view.decidedBy !== null && view.decidedAt !== null) {
    facts.push({
      title: view.status === 'approved' ? 'Approved by' : 'Rejected by',
      value: `${clip(view.decidedBy, 60)} · ${when(view.decidedAt)}`,
    });
  }
  const body: CardElement[] = compact([
    notice === null ? null : noticeElement(notice),
    line(`CONCESSION · ${view.status.toUpperCase()}`, {
      color: STATUS_COLOR[view.status],
      size: 'small',
      weight: 'bolder',
    }),
    heading(`${plain(clip(view.ref, 60))}: ${view.discountPct} % off`),
    line(`Reason: ${plain(clip(view.reason, 400))}`),
    { type: 'FactSet', facts },
    line(plain(clip(view.retention, 500)), { size: 'small', isSubtle: true }),
    line(plain(clip(view.tierReasons.join('; '), 300)), { size: 'small', isSubtle: true }),
    view.comment ? line(`Comment: ${plain(clip(view.comment, 400))}`, { size: 'small' }) : null,
    mode === 'read-only' && view.status === 'pending'
      ? line(
          `Waiting for a ${TIER_WORDS[view.approverTier]}. Approvers see the buttons on this card.`,
          {
            isSubtle: true,
            size: 'small',
          },
        )
      : null,
  ]);
  const data = { concessionId: view.id, version: view.version };
  const actions: CardAction[] = [];
  if (mode === 'approver' && view.status === 'pending') {
    actions.push(executeAction('Approve', 'concession.approve', data, 'positive'));
    actions.push(
      commentAction({
        title: 'Reject',
        verb: 'concession.reject',
        data,
        inputId: CONCESSION_INPUTS.rejectComment,
        label: 'Why is the concession rejected?',
        style: 'destructive',
      }),
    );
  }
  actions.push(openInTab(links.contract(view.contractId), 'Open the contract'));
  const result = card(
    body,
    actions,
    `Concession ${view.discountPct} % on ${view.ref} (${view.clientName}): ${view.status}`,
  );
  if (options.refresh && view.status === 'pending' && view.approverAadObjectIds.length > 0) {
    result.refresh = approverRefresh(
      'concession.refresh',
      { concessionId: view.id },
      view.approverAadObjectIds,
    );
  }
  return result;
}
