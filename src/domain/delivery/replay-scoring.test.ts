import { scoreReplay } from './replay-scoring';

describe('replay scoring', () => {
  const outcomes = [
    { projectId: 'a', troubled: true, visibleOn: '2025-03-14' },
    { projectId: 'b', troubled: true, visibleOn: '2025-03-14' },
    { projectId: 'c', troubled: true, visibleOn: '2025-03-14' },
    { projectId: 'd', troubled: false, visibleOn: null },
    { projectId: 'e', troubled: false, visibleOn: null },
  ];

  test('precision, recall before visibility, F1 and median lead', () => {
    const first = new Map([
      ['a', '2025-02-28'], // 10 working days early
      ['b', '2025-03-13'], // 1 working day early
      ['c', '2025-03-14'], // on the day: too late
      ['d', '2025-02-01'], // false positive
    ]);
    const s = scoreReplay(first, outcomes);
    expect(s).toMatchObject({
      flagged: 4,
      troubled: 3,
      truePositives: 3,
      caughtEarly: 2,
      caughtWithLead: 1,
      precision: 0.75,
      medianLeadWorkingDays: 5.5,
      missed: ['c'],
      falsePositives: ['d'],
    });
    expect(s.recall).toBeCloseTo(2 / 3, 10);
    expect(s.f1).toBeCloseTo((2 * 0.75 * (2 / 3)) / (0.75 + 2 / 3), 10);
  });

  test('nothing flagged: precision and F1 undefined, recall 0', () => {
    const s = scoreReplay(new Map(), outcomes);
    expect(s).toMatchObject({ precision: null, recall: 0, f1: null, medianLeadWorkingDays: null });
  });

  test('confusion per archetype: escalated or not, troubled or not, before or after visible', () => {
    const labelled = [
      { projectId: 'a', troubled: true, visibleOn: '2025-03-14', archetype: 'burning' },
      { projectId: 'b', troubled: true, visibleOn: '2025-03-14', archetype: 'burning' },
      { projectId: 'c', troubled: true, visibleOn: '2025-03-14', archetype: 'creeping-scope' },
      { projectId: 'd', troubled: false, visibleOn: null, archetype: 'healthy:burn-spike' },
      { projectId: 'e', troubled: false, visibleOn: null, archetype: 'healthy:burn-spike' },
      { projectId: 'f', troubled: false, visibleOn: null },
    ];
    const first = new Map([
      ['a', '2025-02-28'],
      ['b', '2025-03-14'],
      ['d', '2025-02-01'],
    ]);
    const zero = { caughtEarly: 0, caughtLate: 0, missed: 0, falseAlarms: 0, quiet: 0 };
    expect(scoreReplay(first, labelled).byArchetype).toEqual({
      burning: { ...zero, projects: 2, caughtEarly: 1, caughtLate: 1 },
      'creeping-scope': { ...zero, projects: 1, missed: 1 },
      'healthy:burn-spike': { ...zero, projects: 2, falseAlarms: 1, quiet: 1 },
      unlabelled: { ...zero, projects: 1, quiet: 1 },
    });
  });
});
