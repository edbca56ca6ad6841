import type { ConcessionFormView } from '../../src/app/renewals/renewal-views';
import type { TabLinks } from '../tab-links';
import { card, clip, compact, executeAction, heading, line, openInTab, plain } from './card-kit';
import type { AdaptiveCard, CardAction } from './card-types';

/** Input ids of the concession form (read back by the `renewal.concession` handler). */
export const CONCESSION_FORM_INPUTS = {
  discountPct: 'concessionDiscountPct',
  reason: 'concessionReason',
} as const;

const TIER_WORDS: Record<'cs_lead' | 'msp_owner', string> = {
  cs_lead: 'cs lead approves',
  msp_owner: 'msp owner approves',
};

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * **Request concession**: the discount and the reason, with what the approver will see shown
 * before submitting — the monthly value, the margin now, the precedent (average approved depth on
 * similar contracts) and, per depth, the value and margin after and who approves.
 */
export function buildConcessionFormCard(view: ConcessionFormView, links: TabLinks): AdaptiveCard {
  const actions: CardAction[] = [];
  if (view.pending === null) {
    actions.push(
      executeAction(
        'Request the concession',
        'renewal.concession',
        { contractId: view.contractId },
        'positive',
      ),
    );
  }
  actions.push(openInTab(links.contract(view.contractId), 'Open the contract'));
  return card(
    compact([
      line('CONCESSION · REQUEST', { size: 'small', weight: 'bolder', color: 'accent' }),
      heading(
        `Request a concession: ${plain(clip(view.clientName, 60))} · ${plain(clip(view.ref, 50))}`,
      ),
      {
        type: 'FactSet',
        facts: [
          { title: 'Monthly value', value: money(view.monthlyValue) },
          {
            title: 'Margin now',
            value:
              view.marginNowPct === null
                ? 'unknown (no cost on the contract)'
                : `${view.marginNowPct} %`,
          },
          {
            title: 'Precedent',
            value:
              view.precedentAvgDepthPct === null
                ? 'no similar approved concessions'
                : `${view.precedentAvgDepthPct} % average over ${view.precedentCount} similar`,
          },
          {
            title: 'Who approves',
            value: `up to ${view.csLeadMaxPct} % the cs lead, deeper (or a margin after below ${view.minMarginAfterPct} %) the msp owner; at most ${view.maxPct} %`,
          },
        ],
      },
      line('Depth → value and margin after', { weight: 'bolder', separator: true }),
      {
        type: 'FactSet',
        spacing: 'none',
        facts: view.depths.map((d) => ({
          title: `${d.depthPct} %`,
          value: `${money(d.monthlyAfter)}/month · margin ${d.marginAfterPct === null ? 'unknown' : `${d.marginAfterPct} %`} · ${TIER_WORDS[d.approverTier]}`,
        })),
      },
      view.pending === null
        ? null
        : {
            type: 'Container',
            style: 'attention',
            items: [
              line(
                `A ${view.pending.discountPct} % concession is already waiting for a decision on this contract: one request at a time.`,
                { weight: 'bolder' },
              ),
            ],
          },
      view.pending === null
        ? {
            type: 'Input.Number',
            id: CONCESSION_FORM_INPUTS.discountPct,
            label: 'Discount (%)',
            min: 0.5,
            max: view.maxPct,
            isRequired: true,
            errorMessage: `A discount from 0.5 to ${view.maxPct} %`,
          }
        : null,
      view.pending === null
        ? {
            type: 'Input.Text',
            id: CONCESSION_FORM_INPUTS.reason,
            label: 'Reason (what the customer asked, what we keep)',
            isMultiline: true,
            maxLength: 2000,
            isRequired: true,
            errorMessage: 'A reason is required',
          }
        : null,
    ]),
    actions,
    `Request a concession on ${view.clientName} ${view.ref}`,
  );
}
