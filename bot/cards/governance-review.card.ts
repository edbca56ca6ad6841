import type { GovernanceReviewView } from '../../src/app/renewals/governance-review-view';
import type { TabLinks } from '../tab-links';
import {
  approverRefresh,
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
  when,
} from './card-kit';
import type { AdaptiveCard, CardAction, CardElement } from './card-types';

/** Who is looking: the cs lead (and msp owner) answer suggestions; everyone else reads. */
export type GovernanceCardMode = 'decider' | 'read-only';

/** A banner on top of the card: what just happened, or why a click was refused. */
export interface GovernanceNotice {
  tone: 'success' | 'refused';
  text: string;
}

const pct = (share: number | null) => (share === null ? 'no data' : `${Math.round(share * 100)} %`);
const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/**
 * The monthly governance review card: retention risk, uplift conversion, discount pressure and
 * override accuracy in sentences, then each tuning suggestion with its evidence and the policy
 * change it would make. Deciders get Accept / Reject per open suggestion and Sign off once all are
 * answered; the posted card carries `refresh.userIds` for them.
 */
export function buildGovernanceReviewCard(
  view: GovernanceReviewView,
  links: TabLinks,
  mode: GovernanceCardMode,
  options: {
    refresh: boolean;
    deciderAadObjectIds?: readonly string[];
    notice?: GovernanceNotice | null;
  } = {
    refresh: true,
  },
): AdaptiveCard {
  const r = view.review;
  const risk = r.retentionRisk;
  const deciding = mode === 'decider' && view.signedOff === null;
  return fitToBudget([12, 6, 3, 0], (max) => {
    const suggestions = view.suggestions.slice(0, max);
    const body: CardElement[] = compact([
      options.notice
        ? {
            type: 'Container',
            style: options.notice.tone === 'success' ? 'good' : 'attention',
            items: [line(clip(options.notice.text, 400), { weight: 'bolder' })],
          }
        : null,
      line(`GOVERNANCE REVIEW · ${view.signedOff ? 'SIGNED OFF' : 'OPEN'}`, {
        size: 'small',
        weight: 'bolder',
        color: view.signedOff ? 'good' : 'warning',
      }),
      heading(`Renewal governance review: ${view.month}`),
      line(`Judged under renewal policy version ${r.policyVersion}.`, {
        isSubtle: true,
        size: 'small',
      }),
      line(
        `**Retention risk.** ${risk.atRiskCount} contracts at risk (${money(risk.atRiskMrr)}/month), ` +
          `${risk.watchCount} on watch, ${risk.newlyAtRisk.length} newly at risk, ` +
          `${risk.atRiskInWindow.length} at risk inside a renewal window.`,
      ),
      line(
        `**Uplift.** ${r.upliftConversion.accepted} accepted of ${r.upliftConversion.accepted + r.upliftConversion.declined} answered proposals (${pct(r.upliftConversion.conversionRate)}).`,
      ),
      line(
        `**Discounts.** ${r.discountPressure.requests} decided requests, approved depth ${r.discountPressure.approvedAvgPct ?? '—'} % on average, ${pct(r.discountPressure.deepShare)} above the cs-lead limit.`,
      ),
      line(
        `**Overrides.** ${r.overrides.total} owner calls disagreed with the score; ${r.overrides.resolved} have an outcome; owners were right in ${pct(r.overrides.ownerRightRate)}.`,
      ),
      line(
        view.suggestions.length === 0
          ? 'No tuning suggestions this month.'
          : `**Tuning suggestions** (${view.openSuggestions} open)`,
        { weight: 'bolder' },
      ),
      ...suggestions.flatMap((s): CardElement[] => {
        const status =
          s.status === 'open'
            ? 'Open'
            : `${s.status === 'accepted' ? 'Accepted' : 'Rejected'} by ${plain(clip(s.decidedBy ?? '', 60))}` +
              (s.policyVersion !== null ? ` → policy version ${s.policyVersion}` : '');
        const actions: CardAction[] =
          deciding && s.status === 'open'
            ? [
                executeAction(
                  'Accept',
                  'governance.accept',
                  { month: view.month, suggestionId: s.id },
                  'positive',
                ),
                executeAction(
                  'Reject',
                  'governance.reject',
                  { month: view.month, suggestionId: s.id },
                  'destructive',
                ),
              ]
            : [];
        return compact<CardElement>([
          {
            type: 'Container',
            separator: true,
            items: compact([
              line(plain(clip(s.suggestion, 300)), { weight: 'bolder' }),
              line(`Evidence: ${plain(clip(s.evidence, 300))}`, { size: 'small' }),
              line(
                s.changeLines.length > 0
                  ? `Changes: ${plain(clip(s.changeLines.join('; '), 300))}`
                  : 'Advice for people: changes no threshold.',
                { size: 'small', isSubtle: true },
              ),
              line(status, { size: 'small', color: s.status === 'open' ? 'warning' : 'good' }),
            ]),
          },
          actions.length > 0 ? { type: 'ActionSet', actions } : null,
        ]);
      }),
      moreLine(view.suggestions.length - suggestions.length, 'suggestions in the tab'),
      view.signedOff
        ? line(`Signed off by ${plain(clip(view.signedOff.by, 60))} · ${when(view.signedOff.at)}`, {
            size: 'small',
          })
        : null,
    ]);
    const actions: CardAction[] = [];
    if (deciding && view.openSuggestions === 0) {
      actions.push(
        executeAction('Sign off', 'governance.signOff', { month: view.month }, 'positive'),
      );
    }
    actions.push(openInTab(links.governance(view.month), 'Open the review'));
    const result = card(body, actions, `Renewal governance review ${view.month}`);
    if (
      options.refresh &&
      view.signedOff === null &&
      (options.deciderAadObjectIds?.length ?? 0) > 0
    ) {
      result.refresh = approverRefresh(
        'governance.refresh',
        { month: view.month },
        options.deciderAadObjectIds ?? [],
      );
    }
    return result;
  });
}
