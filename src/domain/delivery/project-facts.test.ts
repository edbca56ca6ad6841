import { factsAsOf, intakeExceptions } from './project-facts';
import { referenceFacts, task } from './testing/facts-builder';

describe('intake validation', () => {
  test('a complete project has no exceptions', () => {
    expect(intakeExceptions(referenceFacts())).toEqual([]);
  });

  test('lists every missing mandatory field', () => {
    const base = referenceFacts();
    const facts = referenceFacts({
      pmAgentId: null,
      targetEndDate: null,
      baseline: {
        ...base.baseline,
        plannedHours: null,
        plannedMoney: null,
        milestones: base.baseline.milestones.map((m) => ({ ...m, plannedEnd: null })),
      },
      tasks: [task('t1', { estimateHours: null, status: 'on-hold' })],
    });
    expect(intakeExceptions(facts)).toEqual([
      'no budget (hours or money)',
      'no task estimates',
      'no project manager',
      'no end date or milestone dates',
      'task t1 is on hold without a hold date',
    ]);
  });
});

describe('facts as of an earlier day', () => {
  test('removes later time, closures and holds; keeps earlier ones', () => {
    const base = referenceFacts();
    const facts = referenceFacts({
      tasks: [
        { ...base.tasks[0]!, loggedHours: 36 },
        { ...base.tasks[1]!, loggedHours: 4, status: 'on-hold', onHoldSince: '2025-01-10' },
        { ...base.tasks[2]!, createdOn: '2025-01-09' },
      ],
    });
    const earlier = factsAsOf(facts, '2025-01-08');
    expect(earlier.asOf).toBe('2025-01-08');
    expect(earlier.dailyHours.map((d) => d.date)).toEqual([
      '2025-01-06',
      '2025-01-07',
      '2025-01-08',
    ]);
    expect(earlier.tasks.map((t) => [t.id, t.status, t.closedOn, t.onHoldSince])).toEqual([
      ['t1', 'in-progress', null, null],
      ['t2', 'open', null, null],
    ]);
    // Hours booked after the day come back off the tasks that were open then.
    expect(earlier.tasks[0]?.loggedHours).toBeLessThan(36);
    expect(factsAsOf(facts, facts.asOf)).toBe(facts);
  });

  test('a project closed later was active on the earlier day', () => {
    const facts = referenceFacts({ status: 'closed', closedOn: '2025-01-10' });
    expect(factsAsOf(facts, '2025-01-09').status).toBe('active');
    expect(factsAsOf(facts, '2025-01-09').closedOn).toBeNull();
  });
});
