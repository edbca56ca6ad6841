import { cardProblems } from '../../tests/bot/card-validation';
import {
  governanceReviewView,
  type GovernanceReviewView,
} from '../../src/app/renewals/governance-review-view';
import type { StoredGovernanceReview } from '../../src/app/renewals/governance-reviews.port';
import { governanceReview, type OverrideLog } from '../../src/domain/renewals/governance-review';
import { DEFAULT_RENEWAL_POLICY } from '../../src/domain/renewals/renewal-policy';
import { TabLinks } from '../tab-links';
import { cardBytes, CARD_BYTE_BUDGET } from './card-kit';
import type { ActionSet, ExecuteAction } from './card-types';
import { buildGovernanceReviewCard } from './governance-review.card';

const links = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});
const lead = { roles: ['cs_lead' as const] };
const lost = (n: number): OverrideLog => ({
  contractId: String(n),
  loggedOn: '2026-11-02',
  computedBand: 'ready',
  computedScore: 78,
  ownerCall: 'churn',
  direction: 'owner-more-pessimistic',
  outcome: 'churned',
});

function stored(decided: boolean): StoredGovernanceReview {
  const review = governanceReview({
    month: '2026-11',
    policy: DEFAULT_RENEWAL_POLICY,
    standings: [],
    opportunities: [],
    concessions: [],
    overrides: [1, 2, 3].map(lost),
  });
  const by = { aadObjectId: 'aad-casey', email: 'casey@example.com', name: 'Casey Lead' };
  return {
    month: '2026-11',
    review,
    createdAt: '2026-12-01T07:00:00.000Z',
    decisions: decided
      ? [
          {
            suggestionId: 'readiness-bands',
            decision: 'accepted',
            comment: null,
            decidedBy: by,
            decidedAt: '2026-12-02T10:00:00.000Z',
            policyVersion: 3,
          },
        ]
      : [],
    signedOff: null,
  };
}

const executes = (view: GovernanceReviewView, mode: 'decider' | 'read-only') =>
  JSON.stringify(buildGovernanceReviewCard(view, links, mode, { refresh: false }));

describe('the governance review card', () => {
  test('the posted card reads in sentences, names the policy change, and refreshes to the deciders’ view', () => {
    const card = buildGovernanceReviewCard(
      governanceReviewView(stored(false), null),
      links,
      'read-only',
      {
        refresh: true,
        deciderAadObjectIds: ['aad-casey'],
      },
    );
    expect(cardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Renewal governance review: 2026-11');
    expect(text).toContain('readiness.bands.readyMinScore: 75 → 80');
    expect(text).not.toContain('governance.accept');
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.OpenUrl']);
    expect(card.refresh?.userIds).toEqual(['8:orgid:aad-casey']);
    expect(card.refresh?.action.verb).toBe('governance.refresh');
    expect(cardBytes(card)).toBeLessThan(CARD_BYTE_BUDGET);
  });

  test('a cs lead gets Accept / Reject per open suggestion, with Action.Submit fallbacks', () => {
    const card = buildGovernanceReviewCard(
      governanceReviewView(stored(false), lead),
      links,
      'decider',
      {
        refresh: false,
      },
    );
    expect(cardProblems(card)).toEqual([]);
    const sets = (card.body.filter((e) => e.type === 'ActionSet') as ActionSet[]).map(
      (s) => s.actions as ExecuteAction[],
    );
    expect(sets).toHaveLength(1);
    expect(sets[0]!.map((a) => [a.title, a.verb, a.data])).toEqual([
      ['Accept', 'governance.accept', { month: '2026-11', suggestionId: 'readiness-bands' }],
      ['Reject', 'governance.reject', { month: '2026-11', suggestionId: 'readiness-bands' }],
    ]);
    expect(sets[0]![0]!.fallback).toMatchObject({
      type: 'Action.Submit',
      data: { verb: 'governance.accept' },
    });
    expect(card.refresh).toBeUndefined();
  });

  test('once every suggestion is answered the cs lead signs off; a reader never sees a button', () => {
    const view = governanceReviewView(stored(true), lead);
    expect(executes(view, 'decider')).toContain('governance.signOff');
    expect(executes(view, 'decider')).toContain('Accepted by Casey Lead → policy version 3');
    expect(executes(view, 'read-only')).not.toContain('governance.signOff');
  });
});
