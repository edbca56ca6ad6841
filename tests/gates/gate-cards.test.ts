import {
  buildGateApprovalCard,
  gateApprovalCard,
  type GateNotice,
} from '../../bot/cards/gate-approval.card';
import { buildGateFormCard } from '../../bot/cards/gate-form.card';
import { buildGateListCard } from '../../bot/cards/gate-list.card';
import { CARD_BYTE_BUDGET, cardBytes } from '../../bot/cards/card-kit';
import { parseGateForm, renderGatePayload } from '../../bot/gate-handlers';
import { TabLinks } from '../../bot/tab-links';
import type { GateFormView, GateView } from '../../src/app/gates/gate-views';
import { cardProblems } from '../bot/card-validation';

const links = new TabLinks({
  teamsAppId: 'app-id',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

function gate(overrides: Partial<GateView> = {}): GateView {
  return {
    id: 'g-4100-41001',
    project: { id: 4100, name: 'Intranet rollout' },
    client: { id: 77, name: 'Contoso Ltd' },
    milestone: { id: 41001, name: 'Gate: UAT sign-off' },
    status: 'pending',
    packVersion: 2,
    packHash: 'ab'.repeat(32),
    shortHash: 'abababababab',
    requiredApprovals: 2,
    decisions: [],
    requestedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: 'megan@msp.example' },
    requestedAt: '2025-03-14T09:00:00.000Z',
    decidedAt: null,
    summary: {
      deliverables: 3,
      qaPassed: 4,
      qaFailed: 1,
      openRisks: 2,
      hasCustomerAcceptance: true,
    },
    approverAadObjectIds: ['aad-adele', 'aad-lynne'],
    reminderDueAt: '2025-03-15T09:00:00.000Z',
    ...overrides,
  };
}

describe('gate cards', () => {
  test('approvers see Approve, Reject and Request changes (each with a required comment) on pack version 2', () => {
    const card = buildGateApprovalCard(gate(), links, 'approver', null, { refresh: false });
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain(
      '"verb":"gate.approve","data":{"gateId":"g-4100-41001","packVersion":2}',
    );
    expect(json).toContain('"verb":"gate.reject"');
    expect(json).toContain('"verb":"gate.requestChanges"');
    expect(json).toContain('"id":"gateRejectComment"');
    expect(json).toContain('"id":"gateChangesComment"');
    expect(json).toContain('"type":"Action.Submit"');
    expect(card.refresh).toBeUndefined();
    expect(json).toContain(encodeURIComponent('/projects/4100?gate=g-4100-41001'));
  });

  test('the posted card is read-only with refresh.userIds for the approvers', () => {
    const card = buildGateApprovalCard(gate(), links, 'read-only');
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('"verb":"gate.approve"');
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Refresh',
        verb: 'gate.refresh',
        data: { gateId: 'g-4100-41001' },
      },
      userIds: ['8:orgid:aad-adele', '8:orgid:aad-lynne'],
    });
  });

  test('a decided card shows who decided, when, and the pack hash; no buttons, no refresh', () => {
    const card = buildGateApprovalCard(
      gate({
        status: 'approved',
        decisions: [
          {
            packVersion: 2,
            slot: 1,
            outcome: 'approve',
            by: { aadObjectId: 'aad-adele', name: 'Adele Vance', email: null },
            at: '2025-03-14T10:00:00.000Z',
            comment: '',
          },
        ],
      }),
      links,
      'approver',
      {
        tone: 'success',
        text: 'Approved by Adele Vance at 2025-03-14 10:00 UTC, pack #abababababab',
      },
    );
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('Approved by Adele Vance at 2025-03-14 10:00 UTC, pack #abababababab');
    expect(json).not.toContain('"verb":"gate.approve"');
    expect(card.refresh).toBeUndefined();
  });

  test('cards with huge inputs stay under 28 KB and valid', () => {
    const long = 'x'.repeat(5_000);
    const decisions = Array.from({ length: 200 }, (_, i) => ({
      packVersion: 2,
      slot: i + 1,
      outcome: 'reject' as const,
      by: { aadObjectId: `aad-${i}`, name: long, email: null },
      at: '2025-03-14T10:00:00.000Z',
      comment: long,
    }));
    const approval = buildGateApprovalCard(
      gate({
        project: { id: 1, name: long },
        decisions,
        approverAadObjectIds: Array.from({ length: 500 }, (_, i) => `aad-${i}`),
      }),
      links,
      'read-only',
      { tone: 'refused', text: long },
    );
    expect(cardBytes(approval)).toBeLessThanOrEqual(28 * 1024);
    expect(approval.refresh?.userIds).toHaveLength(60);
    expect(cardProblems(approval)).toEqual([]);
    const list = buildGateListCard(
      {
        toDecide: Array.from({ length: 300 }, () => gate({ project: { id: 1, name: long } })),
        requested: [],
        isApprover: true,
      },
      links,
    );
    expect(cardBytes(list)).toBeLessThanOrEqual(28 * 1024);
    expect(cardProblems(list)).toEqual([]);
  });

  test('the gate form lists the open gate milestones and the mandatory items', () => {
    const form: GateFormView = {
      project: { id: 4100, name: 'Intranet rollout' },
      client: { id: 77, name: 'Contoso Ltd' },
      milestones: [
        {
          id: 1,
          name: 'Gate: Design sign-off',
          targetDate: '2025-02-01',
          complete: true,
          gate: { id: 'g-4100-1', status: 'approved', packVersion: 1 },
          completedTasks: [],
        },
        {
          id: 2,
          name: 'Gate: UAT sign-off',
          targetDate: '2025-03-20',
          complete: false,
          gate: null,
          completedTasks: [{ id: 9, summary: 'UAT scripts' }],
        },
      ],
      requiredEvidence: ['deliverables', 'qa-outcomes', 'customer-acceptance', 'open-risks'],
    };
    const card = buildGateFormCard(form, links);
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('Design sign-off');
    expect(json).toContain('Gate: UAT sign-off (due 2025-03-20) · 1 tasks done');
    expect(json).toContain('Deliverables, QA outcomes, Customer acceptance notes, Open risks');
  });

  test.each([
    [{ projectId: 1 }, 'Pick the gate milestone.'],
    [{ projectId: 1, gateMilestoneId: '2', gateLinks: 'not a link' }, '"not a link" is not a link'],
  ])('a malformed form is refused with what to fix (%#)', (data, message) => {
    expect(parseGateForm(data)).toEqual({ ok: false, message: expect.stringContaining(message) });
  });

  test('the form reads links, QA, acceptance and risks', () => {
    const parsed = parseGateForm({
      projectId: 1,
      gateMilestoneId: '2',
      gateLinks: 'Report | https://a.example/r.pdf\nhttps://a.example/b',
      gateQaOutcome: 'fail',
      gateQaNotes: 'Two defects open',
      gateAcceptance: 'Accepted',
      gateRiskState: 'listed',
      gateRisks: 'Late licences | Pat | Order now\nNo owner',
    });
    expect(parsed).toEqual({
      ok: true,
      input: {
        projectId: 1,
        milestoneId: 2,
        links: [
          { title: 'Report', url: 'https://a.example/r.pdf' },
          { title: 'https://a.example/b', url: 'https://a.example/b' },
        ],
        fileIds: null,
        qaOutcomes: [{ name: 'QA', outcome: 'fail', notes: 'Two defects open' }],
        customerAcceptanceNotes: 'Accepted',
        openRisks: [
          { description: 'Late licences', owner: 'Pat', mitigation: 'Order now' },
          { description: 'No owner', owner: '', mitigation: '' },
        ],
        noOpenRisks: false,
      },
    });
  });

  test('an outbox payload without a gate is not rendered', () => {
    expect(renderGatePayload({}, links)).toEqual({
      ok: false,
      reason: 'gate payload without gate',
    });
    expect(renderGatePayload({ gate: gate() }, links).ok).toBe(true);
  });
});

describe('gate approval cards, built once per gate and way of showing it, and shared', () => {
  const decided = gate({
    status: 'approved',
    decidedAt: '2025-03-14T10:00:00.000Z',
    decisions: [
      {
        packVersion: 2,
        slot: 1,
        by: { aadObjectId: 'aad-adele', name: 'Adele Vance', email: null },
        outcome: 'approve',
        comment: 'Evidence complete',
        at: '2025-03-14T10:00:00.000Z',
      },
    ],
  });
  const refused: GateNotice = { tone: 'refused', text: 'Already approved by Adele Vance.' };

  test.each([
    ['pending, approver', gate(), 'approver' as const, { refresh: false }],
    ['pending, read-only, posted', gate(), 'read-only' as const, { refresh: true }],
    ['approved, approver', decided, 'approver' as const, { refresh: false }],
  ])(
    '%s: the same card as one built afresh, with and without a notice',
    (_name, view, mode, options) => {
      for (const notice of [null, refused, { tone: 'success' as const, text: 'z'.repeat(5_000) }]) {
        const fresh = gateApprovalCard(view, links, mode, notice, options);
        expect(buildGateApprovalCard(view, links, mode, notice, options)).toEqual(fresh);
        expect(buildGateApprovalCard(structuredClone(view), links, mode, notice, options)).toEqual(
          fresh,
        );
      }
    },
  );

  test('the way it is shown is part of what is shared: an approver never gets the read-only card, nor a posted card its refresh', () => {
    const view = gate({ id: 'g-shared-modes' });
    const readOnly = buildGateApprovalCard(view, links, 'read-only', null, { refresh: false });
    const approver = buildGateApprovalCard(view, links, 'approver', null, { refresh: false });
    const posted = buildGateApprovalCard(view, links, 'read-only', null, { refresh: true });

    expect(JSON.stringify(readOnly)).not.toContain('gate.approve');
    expect(JSON.stringify(approver)).toContain('gate.approve');
    expect(readOnly.refresh).toBeUndefined();
    expect(posted.refresh).toBeDefined();
  });

  test('a notice that does not fit beside the shared card gets the decisions cut, as built afresh', () => {
    // A posted card (with its approvers' refresh) of ten decisions whose comments carry characters
    // JSON escapes six bytes each, and approver ids long enough that all ten decisions fit without
    // the notice and not with it.
    const control = (n: number) => '\u0001'.repeat(n);
    const withApprovers = (idLength: number) =>
      gate({
        id: 'g-near-budget',
        decisions: Array.from({ length: 10 }, (_, i) => ({
          packVersion: 2,
          slot: i + 1,
          by: { aadObjectId: `aad-${i}`, name: `Approver ${i}`, email: null },
          outcome: 'approve' as const,
          comment: `${i} ${control(190)}`,
          at: '2025-03-14T10:00:00.000Z',
        })),
        approverAadObjectIds: Array.from({ length: 60 }, (_, i) => `${i}-${'a'.repeat(idLength)}`),
      });
    const shown = (card: ReturnType<typeof gateApprovalCard>) =>
      (JSON.stringify(card).match(/Approver \d/g) ?? []).length;
    const posted = { refresh: true };
    const notice: GateNotice = { tone: 'success', text: 'y'.repeat(390) };
    let idLength = 0;
    while (
      idLength < 1_000 &&
      shown(gateApprovalCard(withApprovers(idLength + 1), links, 'read-only', null, posted)) === 10
    )
      idLength += 1;
    const view = withApprovers(idLength);
    const fresh = gateApprovalCard(view, links, 'read-only', notice, posted);
    expect(shown(gateApprovalCard(view, links, 'read-only', null, posted))).toBe(10);
    expect(shown(fresh)).toBeLessThan(10);

    const answered = buildGateApprovalCard(view, links, 'read-only', notice, posted);
    expect(answered).toEqual(fresh);
    expect(cardBytes(answered)).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
  });
});
