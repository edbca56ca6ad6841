import type { PostProjectReviewView } from '../../src/app/delivery/review-views';
import { cardProblems } from '../../tests/bot/card-validation';
import { TabLinks } from '../tab-links';
import { isRefusal } from './notice.card';
import { buildPostProjectReviewCard } from './post-project-review.card';

const links = new TabLinks({
  teamsAppId: 'app-id',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});

const view: PostProjectReviewView = {
  projectId: 1042,
  name: 'Firewall refresh - Contoso',
  closedOn: '2025-03-14',
  budgetHours: 100,
  actualHours: 131,
  budgetRatio: 1.31,
  caughtInTime: 1,
  riskMisses: 1,
  falsePositives: 0,
  correctiveActions: ['Explain the budget overrun first visible 2025-02-20'],
  templateSuggestions: ['Raise estimates for "Cabling" tasks by about 30 %'],
  policySuggestions: ['Burn: consider lowering amber from 0.05'],
  tunings: [
    {
      id: 'burn.amber',
      cause: 'burn',
      setting: 'amber',
      from: 0.05,
      to: 0.04,
      reason: 'a budget overrun was not escalated in time',
    },
  ],
  accepted: null,
};

describe('the post-project review card', () => {
  test('shows the outcome and suggestions, with one Accept per tuning and the project link', () => {
    const card = buildPostProjectReviewCard(view, links);
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Post-project review · Firewall refresh - Contoso');
    expect(text).toContain('131 h of 100 budgeted h (131 %)');
    expect(text).toContain('1 risk(s) caught in time · 1 missed');
    expect(card.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'review.acceptTuning',
      data: { projectId: 1042, tuningId: 'burn.amber' },
      title: 'Accept: burn amber 0.05 → 0.04',
    });
    expect(card.actions?.at(-1)).toMatchObject({ type: 'Action.OpenUrl' });
  });

  test('once a tuning is accepted the card says so and offers no more Accept buttons', () => {
    const card = buildPostProjectReviewCard(
      {
        ...view,
        accepted: {
          tuningId: 'burn.amber',
          policyVersion: 3,
          by: 'Adele Vance',
          at: '2025-03-15T09:00:00Z',
        },
      },
      links,
      { tone: 'success', text: 'Accepted' },
    );
    expect(cardProblems(card)).toEqual([]);
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(JSON.stringify(card)).toContain(
      'Accepted by Adele Vance: burn.amber → policy version 3',
    );
    expect(isRefusal(card)).toBe(false);
  });

  test('a refusal notice marks the card as a refusal', () => {
    const card = buildPostProjectReviewCard(view, links, {
      tone: 'refused',
      text: 'Only a PMO lead',
    });
    expect(isRefusal(card)).toBe(true);
    expect(JSON.stringify(card)).toContain('Only a PMO lead');
  });
});
