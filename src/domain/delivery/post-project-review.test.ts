import type { Escalation } from './escalation';
import { buildPostProjectReview, estimateAccuracyByType } from './post-project-review';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import { effort, referenceFacts, task } from './testing/facts-builder';

function escalation(
  cause: Escalation['cause'],
  openedAt: string,
  patch: Partial<Escalation> = {},
): Escalation {
  return {
    id: `p1:${cause}:${openedAt}`,
    projectId: 'p1',
    clientId: 'c1',
    cause,
    severity: 'medium',
    status: 'resolved',
    openedAt,
    updatedAt: openedAt,
    closedAt: null,
    ownerAgentId: 'pm1',
    mitigationOwnerAgentId: null,
    acknowledgeBy: openedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    reescalatedAt: null,
    snoozedUntil: null,
    snoozeReason: null,
    falsePositiveReason: null,
    suppressedUntil: null,
    incidentCommander: false,
    shadow: false,
    lastValue: null,
    lastScore: 50,
    policyVersion: 1,
    events: [],
    ...patch,
  };
}

describe('post-project review', () => {
  // Closed project: m1 (due 01-16) finished 01-21 (slip), m2 on time; 120 h on a 100 h budget.
  const facts = referenceFacts({
    status: 'closed',
    closedOn: '2025-01-24',
    asOf: '2025-01-31',
    tasks: [
      task('a', {
        taskType: 'firewall',
        estimateHours: 20,
        loggedHours: 30,
        status: 'closed',
        closedOn: '2025-01-14',
      }),
      task('b', {
        taskType: 'firewall',
        estimateHours: 20,
        loggedHours: 28,
        status: 'closed',
        closedOn: '2025-01-21',
      }),
      task('c', {
        taskType: 'docs',
        milestoneId: 'm2',
        estimateHours: 10,
        loggedHours: 9,
        status: 'closed',
        closedOn: '2025-01-24',
      }),
      task('d', {
        taskType: 'docs',
        milestoneId: 'm2',
        estimateHours: 10,
        loggedHours: 11,
        status: 'closed',
        closedOn: '2025-01-24',
      }),
    ],
    dailyHours: effort('2025-01-06', '2025-01-17', 12),
  });

  test('estimate accuracy by task type', () => {
    expect(estimateAccuracyByType(facts)).toEqual([
      {
        taskType: 'docs',
        tasks: 2,
        estimatedHours: 20,
        actualHours: 20,
        ratio: 1,
        meanAbsoluteError: 0.1,
      },
      {
        taskType: 'firewall',
        tasks: 2,
        estimatedHours: 40,
        actualHours: 58,
        ratio: 1.45,
        meanAbsoluteError: 0.45,
      },
    ]);
  });

  test('risk misses: overrun escalated late, slip never escalated; suggestions and owners', () => {
    // 100 h crossed on 01-16 (9th working day at 12 h/day); burn escalated only that day.
    const review = buildPostProjectReview(
      facts,
      [
        escalation('burn', '2025-01-16T08:00:00.000Z'),
        escalation('burn', '2025-01-10T08:00:00.000Z', {
          status: 'false-positive',
          falsePositiveReason: 'rate card change',
          closedAt: '2025-01-10T09:00:00.000Z',
          openedAt: '2025-01-17T08:00:00.000Z',
        }),
      ],
      DEFAULT_DELIVERY_POLICY,
    );
    expect(review.riskMisses).toEqual([
      {
        kind: 'milestone-slip',
        subject: 'Design',
        visibleOn: '2025-01-16',
        escalatedOn: null,
        verdict: 'never-escalated',
      },
      {
        kind: 'budget-overrun',
        subject: 'budget',
        visibleOn: '2025-01-16',
        escalatedOn: '2025-01-16',
        verdict: 'escalated-late',
      },
    ]);
    expect(review.budgetRatio).toBeCloseTo(1.2, 10);
    expect(review.templateSuggestions).toEqual([
      'Raise estimates for "firewall" tasks by about 45 %',
    ]);
    expect(review.correctiveActions.map((a) => [a.source, a.ownerAgentId])).toEqual([
      ['estimate-accuracy', 'pm1'],
      ['risk-miss', 'owner1'],
      ['risk-miss', 'pm1'],
      ['false-positive', null],
    ]);
    expect(review.policySuggestions).toHaveLength(3);
    expect(review.falsePositives).toEqual([
      { cause: 'burn', reason: 'rate card change', at: '2025-01-10T09:00:00.000Z' },
    ]);
  });

  test('escalated in time counts as caught', () => {
    const review = buildPostProjectReview(
      facts,
      [
        escalation('burn', '2025-01-09T08:00:00.000Z'),
        escalation('schedule', '2025-01-13T08:00:00.000Z'),
      ],
      DEFAULT_DELIVERY_POLICY,
    );
    expect(review.caughtInTime).toBe(2);
    expect(review.riskMisses).toEqual([]);
  });
});
