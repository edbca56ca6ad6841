import { addDays } from '../shared/dates';
import {
  DELIVERY_MODEL_REVISION,
  assessProject,
  overrunClosuresOn,
  penaltyPoints,
  ragForScore,
} from './health-score';
import { toSnapshot, whatChanged, type HealthSnapshot } from './health-snapshot';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import type { ProjectFacts, TaskStatus } from './project-facts';
import { effort, referenceFacts, task } from './testing/facts-builder';
import { seededRandom } from './testing/simulated-project';

const policy = DEFAULT_DELIVERY_POLICY;
const t = { amber: 0.1, red: 0.2, backToGreen: 0.05 };

describe('penalty points at threshold edges', () => {
  test.each([
    [null, 0],
    [0.04, 0],
    [0.05, 0],
    [0.075, 12.5],
    [0.0999, 24.95],
    [0.1, 25],
    [0.15, 37.5],
    [0.1999, 49.975],
    [0.2, 50],
    [0.3, 60],
    [5, 60],
  ])('value %p costs %p points', (value, points) => {
    expect(penaltyPoints(value, t)).toBeCloseTo(points, 6);
  });

  test.each([
    [100, 'green'],
    [75.01, 'green'],
    [75, 'amber'],
    [50.01, 'amber'],
    [50, 'red'],
    [0, 'red'],
  ])('score %p is %p', (score, rag) => {
    expect(ragForScore(score)).toBe(rag);
  });
});

/** Random but plausible facts from a seed. */
function randomFacts(seed: number): ProjectFacts {
  const rnd = seededRandom(seed);
  const n = 3 + Math.floor(rnd() * 10);
  const asOf = '2025-03-03';
  const statuses: TaskStatus[] = ['open', 'in-progress', 'on-hold', 'blocked', 'closed'];
  const tasks = Array.from({ length: n }, (_, i) => {
    const status = statuses[Math.floor(rnd() * statuses.length)] ?? 'open';
    const estimate = rnd() < 0.1 ? null : 4 + Math.round(rnd() * 40);
    return task(`t${i}`, {
      milestoneId: rnd() < 0.5 ? 'm1' : 'm2',
      estimateHours: estimate,
      loggedHours: Math.round(rnd() * 50),
      status,
      startedOn: status === 'open' ? null : '2025-01-13',
      closedOn: status === 'closed' ? addDays('2025-01-20', Math.floor(rnd() * 40)) : null,
      onHoldSince:
        status === 'on-hold' || status === 'blocked'
          ? addDays(asOf, -Math.floor(rnd() * 30))
          : null,
      agentId: rnd() < 0.2 ? null : 'a1',
    });
  });
  const base = referenceFacts();
  return referenceFacts({
    asOf,
    targetEndDate: '2025-04-30',
    baseline: {
      ...base.baseline,
      plannedHours: 50 + Math.round(rnd() * 400),
      milestones: [
        {
          ...base.baseline.milestones[0]!,
          plannedEnd: addDays('2025-02-01', Math.floor(rnd() * 40)),
        },
        { ...base.baseline.milestones[1]!, plannedStart: null, plannedEnd: '2025-04-30' },
      ],
    },
    tasks,
    dailyHours: effort('2025-01-06', asOf, 1 + Math.round(rnd() * 10)),
    assignedAgents: [{ agentId: 'a1', lastTimesheetDate: rnd() < 0.3 ? '2025-01-20' : asOf }],
    dataAsOf: rnd() < 0.2 ? '2025-02-20' : asOf,
  });
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('health invariants (seeded property tests)', () => {
  test.each(SEEDS)('seed %i: contributions reconcile exactly to the score', (seed) => {
    const a = assessProject(randomFacts(seed), policy);
    const total = a.drivers.reduce((s, d) => s + d.contribution, 0);
    expect(a.score + total).toBeCloseTo(100, 9);
    expect(a.score).toBeGreaterThanOrEqual(0);
    for (const d of a.drivers) expect(d.contribution).toBeGreaterThanOrEqual(0);
    const sorted = [...a.drivers].sort((x, y) => y.contribution - x.contribution);
    expect(a.drivers.map((d) => d.contribution)).toEqual(sorted.map((d) => d.contribution));
  });

  test.each(SEEDS)('seed %i: a tighter budget (worse burn) never raises the score', (seed) => {
    const facts = randomFacts(seed);
    const tighter: ProjectFacts = {
      ...facts,
      baseline: { ...facts.baseline, plannedHours: (facts.baseline.plannedHours ?? 100) * 0.8 },
    };
    const a = assessProject(facts, policy);
    const b = assessProject(tighter, policy);
    expect(b.score).toBeLessThanOrEqual(a.score);
    const burn = (x: typeof a): number =>
      x.drivers.find((d) => d.key === 'burn')?.value ?? -Infinity;
    expect(burn(b)).toBeGreaterThanOrEqual(burn(a));
  });

  test.each(SEEDS)('seed %i: missing data lowers confidence and never yields green', (seed) => {
    const facts = randomFacts(seed);
    const a = assessProject(facts, policy);
    const variants: ProjectFacts[] = [
      { ...facts, baseline: { ...facts.baseline, plannedHours: null, plannedMoney: null } },
      { ...facts, tasks: facts.tasks.map((x) => ({ ...x, estimateHours: null })) },
      {
        ...facts,
        assignedAgents: facts.assignedAgents.map((x) => ({ ...x, lastTimesheetDate: null })),
      },
      { ...facts, dataAsOf: addDays(facts.asOf, -10) },
    ];
    for (const v of variants) {
      const b = assessProject(v, policy);
      expect(b.confidence).toBeLessThanOrEqual(a.confidence);
      expect(b.rag).not.toBe('green');
    }
  });
});

describe('assessment', () => {
  test('no budget and no estimates is unknown with a data-quality tag', () => {
    const base = referenceFacts();
    const a = assessProject(
      referenceFacts({
        baseline: { ...base.baseline, plannedHours: null, plannedMoney: null },
        tasks: base.tasks.map((x) => ({ ...x, estimateHours: null })),
      }),
      policy,
    );
    expect(a.rag).toBe('unknown');
    expect(a.riskTags).toContain('data-quality');
    expect(a.dataQualityIssues).toEqual(
      expect.arrayContaining(['no budget (hours or money)', 'no task estimates']),
    );
  });

  test('drivers explain value against thresholds', () => {
    const a = assessProject(referenceFacts(), policy);
    const burn = a.drivers.find((d) => d.key === 'burn');
    expect(burn?.threshold).toEqual(policy.burn);
    expect(burn?.explanation).toMatch(/Forecast .* h at completion vs budget 100 h/);
    expect(a.evm.percentComplete).toBe(0.3);
  });

  test('a long material hold drives the dependency driver and tag', () => {
    const base = referenceFacts();
    const a = assessProject(
      referenceFacts({
        asOf: '2025-01-31',
        dataAsOf: '2025-01-31',
        dailyHours: effort('2025-01-06', '2025-01-31', 4),
        assignedAgents: [{ agentId: 'a1', lastTimesheetDate: '2025-01-31' }],
        tasks: [
          base.tasks[0]!,
          { ...base.tasks[1]!, status: 'on-hold', onHoldSince: '2025-01-13' },
          base.tasks[2]!,
        ],
      }),
      policy,
    );
    const dep = a.drivers.find((d) => d.key === 'dependency');
    expect(dep?.value).toBe(14);
    expect(dep?.level).toBe('red');
    expect(a.riskTags).toContain('dependency');
    expect(a.signals.dependency.ownerHintAgentId).toBe('owner1');
  });
});

describe('a whole project on hold persists before it escalates; a blocked task does not wait', () => {
  const base = referenceFacts();
  // On 2025-01-24 the hold began on 01-14: 8 working days.
  const at = (patch: Partial<ProjectFacts>) =>
    assessProject(
      referenceFacts({
        asOf: '2025-01-24',
        dataAsOf: '2025-01-24',
        dailyHours: effort('2025-01-06', '2025-01-13', 4),
        assignedAgents: [{ agentId: 'a1', lastTimesheetDate: '2025-01-13' }],
        ...patch,
      }),
      policy,
    );

  test.each<[string, Partial<ProjectFacts>, string]>([
    [
      'the project On Hold for 8 working days',
      { status: 'on-hold', onHoldSince: '2025-01-14' },
      'green',
    ],
    [
      'the project On Hold for 13 working days',
      { status: 'on-hold', onHoldSince: '2025-01-07' },
      'amber',
    ],
    [
      'one material task on hold for 8 working days',
      {
        tasks: [
          base.tasks[0]!,
          { ...base.tasks[1]!, status: 'on-hold', onHoldSince: '2025-01-14' },
          base.tasks[2]!,
        ],
      },
      'amber',
    ],
  ])('%s → dependency persists at %s', (_n, patch, level) => {
    expect(at(patch).signals.dependency.persistentLevel).toBe(level);
  });
});

describe('what changed', () => {
  const snap = (patch: Partial<HealthSnapshot>): HealthSnapshot => ({
    ...toSnapshot(assessProject(referenceFacts(), policy)),
    ...patch,
  });

  test('first assessment', () => {
    expect(whatChanged(null, snap({ rag: 'green', score: 100 }))).toEqual([
      'First assessment: GREEN at 100',
    ]);
  });

  test('RAG move, threshold crossing, tags, score delta, confidence', () => {
    const prev = snap({
      rag: 'green',
      score: 90,
      confidence: 1,
      riskTags: ['scope'],
      drivers: [
        { key: 'burn', label: 'Forecast overrun at completion', value: 0.01, level: 'green' },
      ],
    });
    const cur = snap({
      rag: 'amber',
      score: 70,
      confidence: 0.7,
      riskTags: ['burn'],
      drivers: [
        { key: 'burn', label: 'Forecast overrun at completion', value: 0.12, level: 'amber' },
      ],
    });
    expect(whatChanged(prev, cur)).toEqual([
      'RAG moved GREEN → AMBER',
      'Forecast overrun at completion rose to amber (was green)',
      'New risk: burn',
      'Risk cleared: scope',
      'Score down 20 (90 → 70)',
      'Confidence dropped 1 → 0.7',
    ]);
  });

  test('nothing to report when nothing moved', () => {
    const s = snap({});
    expect(whatChanged(s, s)).toEqual([]);
  });

  test('a new model version is named first, so a rule change is not mistaken for the project', () => {
    const prev = snap({ modelVersion: 'r2.p1', rag: 'green', score: 80 });
    const cur = snap({ modelVersion: 'r2.p2', rag: 'amber', score: 70 });
    expect(whatChanged(prev, cur)).toEqual([
      'Judgement model changed r2.p1 → r2.p2',
      'RAG moved GREEN → AMBER',
      'Score down 10 (80 → 70)',
    ]);
  });

  test('every snapshot records the model version: code revision and policy version', () => {
    const a = assessProject(referenceFacts(), { ...policy, version: 7 });
    expect(toSnapshot(a).modelVersion).toBe(`r${DELIVERY_MODEL_REVISION}.p7`);
  });
});

describe("what a day's closures say about a cost level", () => {
  /** The reference project on Friday 2025-01-10, t1 (30 h estimated) closing that day. */
  const closing = (patch: { loggedHours?: number | null; estimateHours?: number | null }) => {
    const base = referenceFacts({ asOf: '2025-01-10' });
    return {
      ...base,
      tasks: base.tasks.map((x) => (x.id === 't1' ? { ...x, loggedHours: 30, ...patch } : x)),
    };
  };
  test.each<[string, ProjectFacts, number]>([
    ['closed over its estimate: confirms', closing({ loggedHours: 36 }), 1],
    ['closed within its estimate: found no overrun', closing({ loggedHours: 27 }), 0],
    ['closed exactly on its estimate: found no overrun', closing({ loggedHours: 30 }), 0],
    ['hours unknown: cannot be ruled out', closing({ loggedHours: null }), 1],
    [
      "closed another day: not today's evidence",
      { ...closing({ loggedHours: 36 }), asOf: '2025-01-13' },
      0,
    ],
  ])('%s', (_name, facts, count) => {
    expect(overrunClosuresOn(facts)).toBe(count);
    expect(assessProject(facts, policy).reading.overrunClosures).toBe(count);
  });

  test("the reading keeps the burn at the plan's rate beside the forecast", () => {
    // t1 took 36 h for 30, t2 has 4 of its 20 h: the forecast runs at the closed tasks' rate
    // (17.9 % over, as in the forecast tests), the plan's rate is every open task on its estimate:
    // 40 h booked + 16 h + 50 h = 106 h against 100 h.
    const base = referenceFacts();
    const logged: Record<string, number> = { t1: 36, t2: 4, t3: 0 };
    const facts = {
      ...base,
      tasks: base.tasks.map((x) => ({ ...x, loggedHours: logged[x.id] ?? null })),
    };
    const r = assessProject(facts, policy).reading;
    expect(r.burn).toBeCloseTo(0.179136, 5);
    expect(r.planRateBurn).toBeCloseTo(0.06, 6);
  });
});
