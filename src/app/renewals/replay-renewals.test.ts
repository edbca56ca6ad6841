import {
  confusionByArchetype,
  scoreRenewalReplay,
  scoreUpliftReplay,
  type ContractOutcome,
} from './replay-renewals';

// A hand-counted portfolio: six contracts, four archetypes.
const outcomes: ContractOutcome[] = [
  { contractId: '1', churns: false, expands: true, endDate: '2026-09-30', archetype: 'expands' },
  { contractId: '2', churns: false, expands: true, endDate: '2026-09-30', archetype: 'expands' },
  { contractId: '3', churns: true, expands: false, endDate: '2026-08-31', archetype: 'churns' },
  { contractId: '4', churns: true, expands: true, endDate: '2026-08-31', archetype: 'churns' },
  { contractId: '5', churns: false, expands: false, endDate: '2026-10-31', archetype: 'renews' },
  // Never live during the replay: counted nowhere.
  { contractId: '6', churns: false, expands: true, endDate: '2024-01-31', archetype: 'expands' },
  // No expands known: an uplift to it is not warranted.
  { contractId: '7', churns: false, endDate: '2026-12-31', archetype: 'renews' },
];
const evaluated = new Set(['1', '2', '3', '4', '5', '7']);
const firstProposal = new Map([
  ['1', '2026-03-01'],
  ['3', '2026-04-01'],
  ['4', '2026-04-02'],
  ['7', '2026-05-01'],
]);
const firstFlag = new Map([
  ['3', '2026-05-01'],
  ['5', '2026-06-01'],
]);

describe('uplift-proposal scoring', () => {
  test('counts a contract once, and a proposal to a churner or a non-expander as a false one', () => {
    const score = scoreUpliftReplay(firstProposal, outcomes, evaluated);
    expect(score).toEqual({
      precision: 0.25,
      recall: 0.5,
      proposed: 4,
      truePositives: 1,
      warranted: 2,
      proposedToChurners: 2,
    });
  });

  test('no proposal gives no precision rather than a perfect one', () => {
    expect(scoreUpliftReplay(new Map(), outcomes, evaluated).precision).toBeNull();
  });
});

describe('confusion per archetype', () => {
  test('tallies flags and proposals over the evaluated contracts of each archetype', () => {
    const confusion = confusionByArchetype({ firstFlag, firstProposal }, outcomes, evaluated);
    expect(confusion).toEqual({
      churns: {
        contracts: 2,
        churn: { flaggedChurned: 1, flaggedRenewed: 0, notFlaggedChurned: 1, notFlaggedRenewed: 0 },
        uplift: {
          proposedWarranted: 0,
          proposedUnwarranted: 2,
          notProposedWarranted: 0,
          notProposedUnwarranted: 0,
        },
      },
      expands: {
        contracts: 2,
        churn: { flaggedChurned: 0, flaggedRenewed: 0, notFlaggedChurned: 0, notFlaggedRenewed: 2 },
        uplift: {
          proposedWarranted: 1,
          proposedUnwarranted: 0,
          notProposedWarranted: 1,
          notProposedUnwarranted: 0,
        },
      },
      renews: {
        contracts: 2,
        churn: { flaggedChurned: 0, flaggedRenewed: 1, notFlaggedChurned: 0, notFlaggedRenewed: 1 },
        uplift: {
          proposedWarranted: 0,
          proposedUnwarranted: 1,
          notProposedWarranted: 0,
          notProposedUnwarranted: 1,
        },
      },
    });
  });
});

describe('churn-flag scoring', () => {
  const range = { from: '2026-01-01', to: '2026-12-31' };
  const churn = (id: string, endDate: string, signalsStartOn?: string): ContractOutcome => ({
    contractId: id,
    churns: true,
    endDate,
    archetype: 'churns',
    ...(signalsStartOn === undefined ? {} : { signalsStartOn }),
  });

  test('a churn whose first sign came after the 60-day deadline is not counted in the in-time recall', () => {
    const score = scoreRenewalReplay(
      new Map([['1', '2026-05-01']]),
      [
        churn('1', '2026-08-31'), // flagged 122 days ahead: in time
        churn('2', '2026-09-30', '2026-07-01'), // signs from 07-01, deadline 08-01: judgeable, missed
        churn('3', '2026-09-30', '2026-09-01'), // acquired: first sign 29 days before the end
      ],
      range,
    );
    expect(score).toMatchObject({ churnsJudgeable: 2, churnsFlaggedInTime: 1, recallInTime: 0.5 });
  });
});
