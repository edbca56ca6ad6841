import type { Escalation } from './escalation';
import { judgementRecord, visibleTrouble, type VisibleTrouble } from './judgement-record';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import { effort, referenceFacts, task } from './testing/facts-builder';

function escalation(
  projectId: string,
  openedOn: string,
  patch: Partial<Escalation> = {},
): Escalation {
  const at = `${openedOn}T06:00:00.000Z`;
  return {
    id: `${projectId}:burn:${at}`,
    projectId,
    clientId: 'c1',
    cause: 'burn',
    severity: 'medium',
    status: 'open',
    openedAt: at,
    updatedAt: at,
    closedAt: null,
    ownerAgentId: 'pm1',
    mitigationOwnerAgentId: null,
    acknowledgeBy: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    reescalatedAt: null,
    snoozedUntil: null,
    snoozeReason: null,
    falsePositiveReason: null,
    suppressedUntil: null,
    incidentCommander: false,
    shadow: false,
    lastValue: 0.08,
    lastScore: 70,
    policyVersion: 1,
    events: [],
    ...patch,
  };
}

const notReal = (reason: string): Partial<Escalation> => ({
  status: 'false-positive',
  falsePositiveReason: reason,
});

describe('judgement record from the tenant’s own history', () => {
  // A small fixed history, counted by hand:
  // p1 escalated 02-03, slipped 02-17 → confirmed, 10 working days ahead
  // p2 escalated 02-10, marked not real, nothing showed → not a real issue
  // p3 escalated 02-12, nothing showed, nobody marked it → unconfirmed
  // p4 overran 02-20, never escalated → never escalated
  // p5 escalated 03-03 after its overrun showed 02-28 → escalated late
  // p6 escalated 01-20, marked not real, but slipped 02-24 → confirmed (HaloPSA overrules), 25 ahead
  // p7 nothing at all → no line
  const escalations = [
    escalation('p1', '2025-02-03'),
    escalation('p2', '2025-02-10', notReal('Customer pays for the extra hours')),
    escalation('p3', '2025-02-12', { policyVersion: 2 }),
    escalation('p5', '2025-03-03'),
    escalation('p6', '2025-01-20', notReal('Just a busy week')),
    escalation('p6', '2025-02-11', { cause: 'schedule', policyVersion: 2 }),
  ];
  const troubles: VisibleTrouble[] = [
    { projectId: 'p1', visibleOn: '2025-02-17', kind: 'slip' },
    { projectId: 'p4', visibleOn: '2025-02-20', kind: 'overrun' },
    { projectId: 'p5', visibleOn: '2025-02-28', kind: 'overrun' },
    { projectId: 'p6', visibleOn: '2025-02-24', kind: 'slip' },
  ];
  const record = judgementRecord(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'], escalations, troubles);

  test('the figures match the hand count', () => {
    expect(record).toMatchObject({
      escalatedProjects: 5,
      confirmed: 2,
      notARealIssue: 1,
      unconfirmed: 1,
      troubledProjects: 4,
      escalatedLate: 1,
      neverEscalated: 1,
      precision: 0.75,
      recallBeforeVisible: 0.5,
      medianLeadWorkingDays: 17.5,
    });
  });

  test.each([
    ['p1', 'confirmed', 10],
    ['p2', 'not-a-real-issue', null],
    ['p3', 'unconfirmed', null],
    ['p4', 'never-escalated', null],
    ['p5', 'escalated-late', null],
    ['p6', 'confirmed', 25],
  ])('%s is %s', (projectId, outcome, lead) => {
    expect(record.lines.find((l) => l.projectId === projectId)).toMatchObject({
      outcome,
      leadWorkingDays: lead,
    });
  });

  test('a project with neither escalation nor trouble has no line; versions and reasons are kept', () => {
    expect(record.lines.map((l) => l.projectId)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(record.lines.find((l) => l.projectId === 'p6')).toMatchObject({
      notRealReasons: ['Just a busy week'],
      policyVersions: [1, 2],
    });
  });

  test('an empty history has no figures', () => {
    expect(judgementRecord([], [], [])).toMatchObject({
      escalatedProjects: 0,
      precision: null,
      recallBeforeVisible: null,
      medianLeadWorkingDays: null,
      lines: [],
    });
  });
});

describe('visible trouble in a project’s record', () => {
  const policy = DEFAULT_DELIVERY_POLICY;
  // Reference project: budget 100 h; m1 due 01-16 (t1 closed, t2 open), m2 due 01-26.
  test.each<[string, Parameters<typeof referenceFacts>[0], VisibleTrouble | null]>([
    ['nothing late, nothing over budget', {}, null],
    [
      'a milestone passed with work open shows the next day',
      { asOf: '2025-01-20' },
      { projectId: 'p1', visibleOn: '2025-01-17', kind: 'slip' },
    ],
    [
      'hours past the budget show the day they are booked',
      // 14 h a working day: 98 h by 01-14, 112 h on 01-15.
      { asOf: '2025-01-15', dailyHours: effort('2025-01-06', '2025-01-15', 14) },
      { projectId: 'p1', visibleOn: '2025-01-15', kind: 'overrun' },
    ],
    [
      'a milestone closed late is a slip from the day after its date',
      {
        asOf: '2025-01-22',
        tasks: [
          task('t1', { status: 'closed', startedOn: '2025-01-06', closedOn: '2025-01-10' }),
          task('t2', { status: 'closed', startedOn: '2025-01-09', closedOn: '2025-01-20' }),
          task('t3', { milestoneId: 'm2' }),
        ],
      },
      { projectId: 'p1', visibleOn: '2025-01-17', kind: 'slip' },
    ],
  ])('%s', (_name, patch, expected) => {
    expect(visibleTrouble(referenceFacts(patch), policy)).toEqual(expected);
  });
});
