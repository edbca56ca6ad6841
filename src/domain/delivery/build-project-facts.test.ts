import {
  buildProjectFacts,
  indexDeliveryHistory,
  milestoneOwnerFromTasks,
  plannedRevenueOf,
} from './build-project-facts';
import type { DeliveryHistory, MilestoneRow, TaskRow } from './delivery-history';

const milestone = (id: number, patch: Partial<MilestoneRow> = {}): MilestoneRow => ({
  id,
  projectId: 1,
  name: `Milestone ${id}`,
  sequence: id,
  startDate: null,
  targetDate: '2025-03-31T00:00:00.000Z',
  complete: false,
  value: null,
  agentId: null,
  ...patch,
});

const task = (id: number, patch: Partial<TaskRow> = {}): TaskRow => ({
  id,
  projectId: 1,
  name: `Task ${id}`,
  taskType: null,
  milestoneId: 11,
  estimateHours: 10,
  createdAt: '2025-01-06T00:00:00.000Z',
  targetDate: null,
  closedAt: null,
  statusId: null,
  agentId: null,
  onHold: false,
  ...patch,
});

function history(patch: Partial<DeliveryHistory> = {}): DeliveryHistory {
  return {
    projects: [
      {
        id: 1,
        name: 'Intranet rollout',
        clientId: 7,
        projectType: null,
        pmAgentId: 5,
        createdAt: '2025-01-06T00:00:00.000Z',
        startDate: '2025-01-06T00:00:00.000Z',
        targetDate: '2025-03-31T00:00:00.000Z',
        deadlineDate: null,
        closedAt: null,
        statusId: null,
        timeBudget: 100,
        moneyBudget: 12_000,
        onHold: false,
      },
    ],
    milestones: [milestone(11)],
    tasks: [task(101)],
    statusChanges: [],
    effort: [],
    statusNames: new Map(),
    dataQuality: new Map(),
    dataAsOf: '2025-02-03',
    ...patch,
  };
}

function factsOf(h: DeliveryHistory, asOf = '2025-02-03') {
  const facts = buildProjectFacts(indexDeliveryHistory(h).get(1)!, h, asOf);
  if (facts === null) throw new Error('no facts');
  return facts;
}

describe('milestone and workstream owners from HaloPSA', () => {
  test('the agent named on the milestone record owns it and its workstream', () => {
    const facts = factsOf(
      history({
        milestones: [milestone(11, { agentId: 9, name: 'Network' })],
        tasks: [task(101, { agentId: 4 })],
      }),
    );
    expect(facts.baseline.milestones[0]!.ownerAgentId).toBe('9');
    expect(facts.baseline.workstreamOwners).toEqual([{ workstream: 'Network', agentId: '9' }]);
  });

  test.each([
    [
      'the agent with most estimated hours',
      [task(101, { agentId: 4, estimateHours: 5 }), task(102, { agentId: 6, estimateHours: 20 })],
      6,
    ],
    [
      'tasks without estimates count one hour each',
      [
        task(101, { agentId: 4, estimateHours: null }),
        task(102, { agentId: 6, estimateHours: null }),
        task(103, { agentId: 6, estimateHours: 0 }),
      ],
      6,
    ],
    [
      'a tie goes to the agent of the earliest task',
      [task(102, { agentId: 4 }), task(101, { agentId: 6 })],
      6,
    ],
    [
      'tasks of other milestones do not count',
      [task(101, { agentId: 4, milestoneId: 12, estimateHours: 99 }), task(102, { agentId: 6 })],
      6,
    ],
    ['no task has an agent', [task(101), task(102)], null],
    ['no tasks', [], null],
  ])('without an agent on the milestone: %s', (_name, tasks, owner) => {
    expect(milestoneOwnerFromTasks(tasks, 11)).toBe(owner);
  });

  test('an absent or malformed agent leaves the owner null, never a crash', () => {
    const facts = factsOf(history({ milestones: [milestone(11)], tasks: [task(101)] }));
    expect(facts.baseline.milestones[0]!.ownerAgentId).toBeNull();
    expect(facts.baseline.workstreamOwners).toEqual([]);
  });
});

describe('planned and billed revenue', () => {
  test('planned revenue is the sum of the milestones billing values, never the money budget', () => {
    expect(
      plannedRevenueOf([milestone(11, { value: 6_000 }), milestone(12, { value: 9_000 })]),
    ).toBe(15_000);
    const facts = factsOf(
      history({ milestones: [milestone(11, { value: 6_000 }), milestone(12, { value: 9_000 })] }),
    );
    expect(facts.baseline.plannedRevenue).toBe(15_000);
    expect(facts.baseline.plannedMoney).toBe(12_000);
  });

  test.each([
    ['no milestone carries a value', [milestone(11), milestone(12)]],
    ['values are zero or negative', [milestone(11, { value: 0 }), milestone(12, { value: -5 })]],
    ['no milestones', []],
  ])('no planned revenue ("no data") when %s, even with a money budget', (_name, milestones) => {
    expect(factsOf(history({ milestones })).baseline.plannedRevenue).toBeNull();
  });

  test('actual revenue is what was invoiced against the project up to the day', () => {
    const h = history({
      billed: [
        { projectId: 1, date: '2025-01-31T00:00:00.000Z', amount: 4_000 },
        { projectId: 1, date: '2025-02-28T00:00:00.000Z', amount: 5_000 },
        { projectId: 2, date: '2025-01-31T00:00:00.000Z', amount: 99_999 },
      ],
    });
    expect(factsOf(h, '2025-02-03').actualRevenue).toBe(4_000);
    expect(factsOf(h, '2025-03-03').actualRevenue).toBe(9_000);
    expect(factsOf(history(), '2025-03-03').actualRevenue).toBeNull();
  });
});
