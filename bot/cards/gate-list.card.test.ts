import type { GateView } from '../../src/app/gates/gate-views';
import { TabLinks } from '../tab-links';
import { buildGateListCard } from './gate-list.card';

const links = new TabLinks({
  teamsAppId: 'app-id',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

function gate(id: string, projectName: string): GateView {
  return {
    id,
    project: { id: 1, name: projectName },
    client: { id: 7, name: 'Contoso Ltd' },
    milestone: { id: 2, name: 'Gate: UAT acceptance' },
    status: 'pending',
    packVersion: 2,
    packHash: 'ab'.repeat(32),
    shortHash: 'abababababab',
    requiredApprovals: 1,
    decisions: [],
    requestedBy: { aadObjectId: 'aad-megan', name: 'Megan Bowen', email: null },
    requestedAt: '2025-03-14T09:00:00.000Z',
    decidedAt: null,
    summary: {
      deliverables: 1,
      qaPassed: 1,
      qaFailed: 0,
      openRisks: 0,
      hasCustomerAcceptance: true,
    },
    approverAadObjectIds: [],
    reminderDueAt: '2025-03-15T09:00:00.000Z',
  };
}

describe('the /gates card', () => {
  test('an approver sees the gates to decide, each opening its approval card', () => {
    const card = buildGateListCard(
      { toDecide: [gate('g-1-2', 'Intranet')], requested: [], isApprover: true },
      links,
    );

    expect(card.fallbackText).toBe('1 gates to decide, 0 requested');
    expect(card.body).toEqual([
      expect.objectContaining({ type: 'TextBlock', text: 'Gates waiting for you' }),
      expect.objectContaining({ text: 'To decide', weight: 'bolder', separator: true }),
      {
        type: 'Container',
        selectAction: {
          type: 'Action.Execute',
          title: 'Open',
          verb: 'gate.open',
          data: { gateId: 'g-1-2' },
          fallback: {
            type: 'Action.Submit',
            title: 'Open',
            data: { gateId: 'g-1-2', verb: 'gate.open' },
          },
        },
        items: [
          {
            type: 'TextBlock',
            text: '**Intranet**: Gate: UAT acceptance',
            wrap: true,
            spacing: 'none',
          },
          {
            type: 'TextBlock',
            text: 'pending · v2 #abababababab · Megan Bowen · 2025-03-14 09:00 UTC',
            wrap: true,
            isSubtle: true,
            size: 'small',
            spacing: 'none',
          },
        ],
      },
      expect.objectContaining({ text: 'Requested by you or on your projects' }),
      expect.objectContaining({ text: 'None.', isSubtle: true }),
    ]);
    expect(card.actions).toEqual([
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Open in Control Tower' }),
    ]);
  });

  test('someone who is not an approver sees only what they requested', () => {
    const card = buildGateListCard(
      { toDecide: [], requested: [gate('g-3-4', 'Extranet')], isApprover: false },
      links,
    );

    const texts = JSON.stringify(card.body);
    expect(texts).not.toContain('To decide');
    expect(texts).toContain('**Extranet**: Gate: UAT acceptance');
    expect(texts).toContain('"gateId":"g-3-4"');
  });

  test('Markdown in a project name is shown as text', () => {
    const card = buildGateListCard(
      { toDecide: [], requested: [gate('g-5-6', '**Big** [deal](x)')], isApprover: false },
      links,
    );

    const row = JSON.stringify(card.body);
    expect(row).not.toContain('**Big** [deal](x)');
    expect(row).toContain(String.raw`\\*\\*Big\\*\\* \\[deal\\]\\(x\\)`);
  });
});
