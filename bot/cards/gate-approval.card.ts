import type { GateView } from '../../src/app/gates/gate-views';
import { statusWords } from '../../src/domain/gates/gate-decision';
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
  when,
  approverRefresh,
  commentAction,
  noticeElement,
  SharedCards,
  sharedWithNotice,
  type CardNotice,
} from './card-kit';
import type { AdaptiveCard, CardAction, CardColor, CardElement, FactSet } from './card-types';

/** A banner on top of the card: what just happened, or why a click was refused. */
export type GateNotice = CardNotice;

/** Who is looking: approvers get the decision buttons; everyone else sees read-only status. */
export type GateCardMode = 'approver' | 'read-only';

/** Input ids on the gate approval card. */
export const GATE_APPROVAL_INPUTS = {
  rejectComment: 'gateRejectComment',
  changesComment: 'gateChangesComment',
} as const;

const STATUS_COLOR: Record<GateView['status'], CardColor> = {
  pending: 'warning',
  approved: 'good',
  rejected: 'attention',
  'changes-requested': 'attention',
};

/** Gate cards built lately, shared by everyone shown the same gate the same way. */
const shared = new SharedCards();

/**
 * The gate approval card. The posted (read-only) version carries `refresh.userIds` with the
 * approvers, whose clients fetch their own view with Approve / Reject / Request changes; others see
 * the status, the evidence summary and the deep link to the pack in the tab. Cards answering an
 * invoke go without `refresh` (`options.refresh` false): with one, teams-ai would replace the posted
 * card for everyone with the clicker's view.
 */
export function buildGateApprovalCard(
  view: GateView,
  links: TabLinks,
  mode: GateCardMode,
  notice: GateNotice | null = null,
  options: { refresh: boolean } = { refresh: true },
): AdaptiveCard {
  // Fifty approvers pressing Approve at once get the same decided card: built once, shared.
  return sharedWithNotice(shared, [view, links, mode, options.refresh], notice, (noticed) =>
    gateApprovalCard(view, links, mode, noticed, options),
  );
}

/** The gate approval card built afresh (`buildGateApprovalCard` shares it). */
export function gateApprovalCard(
  view: GateView,
  links: TabLinks,
  mode: GateCardMode,
  notice: GateNotice | null,
  options: { refresh: boolean },
): AdaptiveCard {
  return fitToBudget([10, 4, 1], (max) => {
    const s = view.summary;
    const decided = view.decisions.slice(-max);
    const approvals = view.decisions.filter((d) => d.outcome === 'approve').length;
    const facts: FactSet['facts'] = [
      { title: 'Client', value: clip(view.client.name || '—', 80) },
      { title: 'Status', value: statusWords(view.status) },
      { title: 'Evidence pack', value: `version ${view.packVersion} · #${view.shortHash}` },
      {
        title: 'Requested by',
        value: `${clip(view.requestedBy.name, 60)} · ${when(view.requestedAt)}`,
      },
      { title: 'Approvals', value: `${approvals} of ${view.requiredApprovals}` },
      {
        title: 'Evidence',
        value:
          `${s.deliverables} deliverable${s.deliverables === 1 ? '' : 's'} · QA ${s.qaPassed} pass / ${s.qaFailed} fail · ` +
          `${s.openRisks} open risk${s.openRisks === 1 ? '' : 's'} · customer acceptance ${s.hasCustomerAcceptance ? 'noted' : 'missing'}`,
      },
    ];
    if (view.status === 'pending')
      facts.push({ title: 'Reminder due', value: when(view.reminderDueAt) });
    const body: CardElement[] = compact([
      notice === null ? null : noticeElement(notice),
      line(`STAGE GATE · ${statusWords(view.status).toUpperCase()}`, {
        color: STATUS_COLOR[view.status],
        size: 'small',
        weight: 'bolder',
      }),
      heading(`${plain(clip(view.project.name, 70))}: ${plain(clip(view.milestone.name, 60))}`),
      { type: 'FactSet', facts },
      decided.length > 0 ? line('Decisions', { weight: 'bolder', separator: true }) : null,
      moreLine(view.decisions.length - decided.length, 'earlier decisions'),
      ...decided.map((d) =>
        line(
          `${when(d.at)} · ${plain(clip(d.by.name, 60))}: ${d.outcome === 'approve' ? 'approved' : d.outcome === 'reject' ? 'rejected' : 'requested changes'}${
            d.comment ? ` — ${plain(clip(d.comment, 200))}` : ''
          }`,
          { size: 'small', spacing: 'none' },
        ),
      ),
      mode === 'read-only' && view.status === 'pending'
        ? line('Waiting for a PMO lead. Approvers see the decision buttons on this card.', {
            isSubtle: true,
            size: 'small',
          })
        : null,
    ]);
    const data = { gateId: view.id, packVersion: view.packVersion };
    const actions: CardAction[] = [];
    if (mode === 'approver' && view.status === 'pending') {
      actions.push(executeAction('Approve', 'gate.approve', data, 'positive'));
      actions.push(
        commentAction({
          title: 'Reject',
          verb: 'gate.reject',
          data,
          inputId: GATE_APPROVAL_INPUTS.rejectComment,
          label: 'Why is the gate rejected?',
          style: 'destructive',
        }),
      );
      actions.push(
        commentAction({
          title: 'Request changes',
          verb: 'gate.requestChanges',
          data,
          inputId: GATE_APPROVAL_INPUTS.changesComment,
          label: 'What must change?',
        }),
      );
    }
    actions.push(openInTab(links.gate(view.id, view.project.id), 'Open the evidence pack'));
    const result = card(
      body,
      actions,
      `Stage gate ${view.milestone.name} on ${view.project.name}: ${statusWords(view.status)} (pack #${view.shortHash})`,
    );
    if (options.refresh && view.status === 'pending' && view.approverAadObjectIds.length > 0) {
      result.refresh = approverRefresh(
        'gate.refresh',
        { gateId: view.id },
        view.approverAadObjectIds,
      );
    }
    return result;
  });
}
