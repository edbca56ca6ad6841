import type { DeliveryHistory } from '../../domain/delivery/delivery-history';
import { anEscalation } from '../../../tests/support/escalations';
import type { Escalation } from '../../domain/delivery/escalation';
import type { Clock } from '../../shared/clock';
import { InMemoryDeliveryHistory } from '../../../tests/support/in-memory-delivery-history';
import { DeliveryJudgement } from './delivery-judgement';
import type { EscalationHistory } from './escalation-history.port';

/** Two projects: 1 misses its 2025-01-17 milestone with work open; 2 is on plan until March. */
const history: DeliveryHistory = {
  projects: [1, 2].map((id) => ({
    id,
    name: `Project ${id}`,
    clientId: 9,
    projectType: null,
    pmAgentId: 5,
    createdAt: '2025-01-06T00:00:00.000Z',
    startDate: '2025-01-06T00:00:00.000Z',
    targetDate: '2025-03-31T00:00:00.000Z',
    deadlineDate: null,
    closedAt: null,
    statusId: null,
    timeBudget: 100,
    moneyBudget: null,
    onHold: false,
  })),
  milestones: [
    {
      id: 11,
      projectId: 1,
      name: 'Design',
      sequence: 1,
      startDate: null,
      targetDate: '2025-01-17T00:00:00.000Z',
      complete: false,
      value: null,
      agentId: null,
    },
    {
      id: 21,
      projectId: 2,
      name: 'Design',
      sequence: 1,
      startDate: null,
      targetDate: '2025-03-31T00:00:00.000Z',
      complete: false,
      value: null,
      agentId: null,
    },
  ],
  tasks: [101, 201].map((id) => ({
    id,
    projectId: id === 101 ? 1 : 2,
    name: `Task ${id}`,
    taskType: null,
    milestoneId: id === 101 ? 11 : 21,
    estimateHours: 40,
    createdAt: '2025-01-06T00:00:00.000Z',
    targetDate: null,
    closedAt: null,
    statusId: null,
    agentId: 5,
    onHold: false,
  })),
  statusChanges: [],
  effort: [
    { ticketId: 101, agentId: 5, date: '2025-01-07', hours: 6, cost: 0 },
    { ticketId: 201, agentId: 5, date: '2025-01-07', hours: 6, cost: 0 },
  ],
  statusNames: new Map(),
  dataQuality: new Map(),
  dataAsOf: '2025-02-03',
};

function escalation(
  projectId: string,
  openedOn: string,
  patch: Partial<Escalation> = {},
): Escalation {
  const at = `${openedOn}T06:00:00.000Z`;
  return anEscalation({
    id: `${projectId}:schedule:${at}`,
    projectId,
    clientId: '9',
    cause: 'schedule',
    status: 'resolved',
    openedAt: at,
    ownerAgentId: '5',
    acknowledgeBy: at,
    lastValue: 3,
    lastScore: 70,
    events: [],
    ...patch,
  });
}

class FakeEscalations implements EscalationHistory {
  constructor(private readonly rows: Escalation[]) {}
  async all(): Promise<Escalation[]> {
    return this.rows;
  }
}

const clock: Clock = { now: () => new Date('2025-02-03T09:00:00.000Z') };

describe('delivery judgement (governance view)', () => {
  test('confirms an escalation by the slip that followed and keeps a human "not a real issue"', async () => {
    const judgement = new DeliveryJudgement(
      new InMemoryDeliveryHistory(history),
      new FakeEscalations([
        escalation('1', '2025-01-10'),
        escalation('2', '2025-01-20', {
          status: 'false-positive',
          falsePositiveReason: 'Customer asked for the pause',
        }),
      ]),
      clock,
    );
    const record = await judgement.run('t1');
    expect(record).toMatchObject({
      asOf: '2025-02-03',
      escalatedProjects: 2,
      confirmed: 1,
      notARealIssue: 1,
      neverEscalated: 0,
      precision: 0.5,
      recallBeforeVisible: 1,
      // Escalated Friday 01-10; the slip shows Saturday 01-18: five working days ahead.
      medianLeadWorkingDays: 5,
    });
    expect(record.lines.map((l) => [l.projectId, l.outcome, l.troubleKind])).toEqual([
      ['1', 'confirmed', 'slip'],
      ['2', 'not-a-real-issue', null],
    ]);
  });

  test('a trouble nobody escalated is counted as never escalated', async () => {
    const record = await new DeliveryJudgement(
      new InMemoryDeliveryHistory(history),
      new FakeEscalations([]),
      clock,
    ).run('t1');
    expect(record).toMatchObject({ troubledProjects: 1, neverEscalated: 1, escalatedProjects: 0 });
  });
});
