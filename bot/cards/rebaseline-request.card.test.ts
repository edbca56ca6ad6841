import type { RebaselineRequestView } from '../../src/app/delivery/rebaseline-views';
import { cardProblems } from '../../tests/bot/card-validation';
import { TabLinks } from '../tab-links';
import { isRefusal } from './notice.card';
import { buildRebaselineRequestCard } from './rebaseline-request.card';

const links = new TabLinks({
  teamsAppId: 'app-id',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

const pending: RebaselineRequestView = {
  id: 'rb-1042-1742000000000',
  projectId: 1042,
  projectName: 'Firewall refresh - Contoso',
  reason: 'The customer added a second site',
  fromVersion: 1,
  status: 'pending',
  requestedBy: 'Megan Bowen',
  requestedAt: '2025-03-14T09:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  comment: null,
  toVersion: null,
  changes: [],
};

describe('the re-baseline request card', () => {
  test('a pending request shows the reason and offers Approve and Reject to the PMO lead', () => {
    const card = buildRebaselineRequestCard(pending, links);
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Re-baseline request · Firewall refresh - Contoso');
    expect(text).toContain(
      'Requested by Megan Bowen 2025-03-14 09:00 UTC · replaces baseline version 1',
    );
    expect(text).toContain('Reason: The customer added a second site');
    expect(card.actions?.map((a) => (a.type === 'Action.Execute' ? a.verb : a.type))).toEqual([
      'rebaseline.approve',
      'rebaseline.reject',
      'Action.OpenUrl',
    ]);
    expect(card.actions?.[0]).toMatchObject({ data: { requestId: pending.id } });
  });

  test('a decided request shows who decided, the new version and what changed, without buttons', () => {
    const card = buildRebaselineRequestCard(
      {
        ...pending,
        status: 'approved',
        decidedBy: 'Adele Vance',
        decidedAt: '2025-03-15T09:00:00.000Z',
        toVersion: 2,
        changes: ['planned hours 100 → 160'],
      },
      links,
      { tone: 'success', text: 'Approved by Adele Vance' },
    );
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Approved by Adele Vance: baseline version 2');
    expect(text).toContain('planned hours 100 → 160');
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(isRefusal(card)).toBe(false);
  });

  test('a refused click is marked as a refusal', () => {
    const card = buildRebaselineRequestCard(pending, links, {
      tone: 'refused',
      text: 'Only a PMO lead can decide a re-baseline.',
    });
    expect(isRefusal(card)).toBe(true);
  });
});
