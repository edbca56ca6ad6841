import {
  blockage,
  burnForecast,
  capacityHoursPerDay,
  effortModel,
  scheduleForecast,
  signalsFor,
} from './forecast';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import type { ProjectFacts } from './project-facts';
import { effort, referenceFacts, task } from './testing/facts-builder';

const policy = DEFAULT_DELIVERY_POLICY;

/** Reference project with per-task logged hours: t1 took 36 h for 30 h estimated. */
function withLogs() {
  const base = referenceFacts();
  return referenceFacts({
    tasks: [
      { ...base.tasks[0]!, loggedHours: 36 },
      { ...base.tasks[1]!, loggedHours: 4 },
      { ...base.tasks[2]!, loggedHours: 0 },
    ],
  });
}

describe('burn forecast', () => {
  test('task-level: AC + what open tasks still need at the recency-weighted, shrunk rate', () => {
    // rate = (36w + 5) / (30w + 5) with w = 0.5^((1/7)/2) (half-life two weeks) and a prior of 5 % of 100 h.
    const f = burnForecast(withLogs(), policy);
    expect(f.basis).toBe('forecast');
    expect(f.rate).toBeCloseTo(1.170194, 5);
    expect(f.eacHours).toBeCloseTo(117.913615, 4);
    expect(f.value).toBeCloseTo(0.179136, 5);
  });

  test('no budget → no value', () => {
    const facts = withLogs();
    const f = burnForecast(
      { ...facts, baseline: { ...facts.baseline, plannedHours: null, plannedMoney: null } },
      policy,
    );
    expect(f).toMatchObject({ value: null, basis: 'no-budget' });
  });

  test('too little progress → no opinion, unless already over budget', () => {
    const facts = referenceFacts({ tasks: [task('t1', { estimateHours: 100, status: 'open' })] });
    expect(burnForecast(facts, policy).basis).toBe('insufficient-evidence');
    const over = { ...facts, dailyHours: effort('2025-01-06', '2025-01-10', 25) };
    expect(burnForecast(over, policy)).toMatchObject({ basis: 'already-over-budget', value: 0.25 });
  });

  test('a task already past its expectation adds to the forecast', () => {
    const facts = withLogs();
    // t2 has taken 40 h against 20 h estimated (36 more hours booked than in the base case).
    const overrunning = {
      ...facts,
      tasks: facts.tasks.map((t) => (t.id === 't2' ? { ...t, loggedHours: 40 } : t)),
      dailyHours: [...facts.dailyHours, { date: '2025-01-10', hours: 36, cost: 3600 }],
    };
    expect(burnForecast(overrunning, policy).value ?? 0).toBeGreaterThan(
      burnForecast(facts, policy).value ?? 0,
    );
  });
});

describe('the cost rate: a regime is every recent task running over, not one spike', () => {
  // Ten closed tasks of 10 h: six older ones on their estimate, then the latest four; plus open work.
  const facts = (latest: number[]) =>
    referenceFacts({
      asOf: '2025-01-24',
      tasks: [
        ...[0, 1, 2, 3, 4, 5].map((i) =>
          task(`old${i}`, { status: 'closed', loggedHours: 10, closedOn: '2025-01-08' }),
        ),
        ...latest.map((h, i) =>
          task(`new${i}`, { status: 'closed', loggedHours: h, closedOn: `2025-01-2${i}` }),
        ),
        task('open1', { estimateHours: 40 }),
      ],
    });
  const rate = (latest: number[]) => effortModel(facts(latest))!.rate;

  test.each<[string, number[]]>([
    ['one task absorbed a spike', [14, 10, 10, 10]],
    ['two tasks absorbed a spike', [14, 14, 10, 10]],
  ])('%s: the recent four do not set the rate', (_label, latest) => {
    // Below what the latest four alone would give ((Σ latest + prior) / (40 + prior)).
    const pooledLatest = (latest.reduce((a, b) => a + b, 0) + 7) / (40 + 7);
    expect(rate(latest)).toBeLessThan(pooledLatest);
  });

  test('every one of the latest four over its estimate: the new regime is the rate', () => {
    // (4 × 14 + prior 7) / (40 + 7), prior = 5 % of the 140 h estimate.
    expect(rate([14, 14, 14, 14])).toBeCloseTo((56 + 7) / 47, 6);
  });
});

describe('capacity and schedule forecast', () => {
  test('capacity needs history, then reads the sustained weekly hours', () => {
    const early = referenceFacts({
      asOf: '2025-01-08',
      dailyHours: effort('2025-01-06', '2025-01-08', 8),
    });
    expect(capacityHoursPerDay(early, policy)).toBeNull();
    const later = referenceFacts({
      asOf: '2025-01-31',
      dailyHours: effort('2025-01-06', '2025-01-31', 8),
    });
    expect(capacityHoursPerDay(later, policy)).toBe(8);
  });

  test('a quiet week does not move capacity (median of weeks)', () => {
    const hours = effort('2025-01-06', '2025-02-21', 8).filter(
      (d) => d.date < '2025-02-10' || d.date > '2025-02-14',
    );
    const facts = referenceFacts({ asOf: '2025-02-21', dailyHours: hours });
    expect(capacityHoursPerDay(facts, policy)).toBe(8);
  });

  /** `hours` on every working day from `from` to `to`, less the `off` days. */
  const booked = (
    from: string,
    to: string,
    hours: number,
    off: (d: string) => boolean = () => false,
  ) => effort(from, to, hours).filter((d) => !off(d.date));
  test.each<[string, ReturnType<typeof effort>, string, number]>([
    [
      'back from a hold at 12 h a day: the week it went on hold is read over the days before it',
      [
        ...booked('2025-01-06', '2025-02-04', 8),
        // On hold 02-05 → 02-13 (seven working days with nothing booked), then a catch-up.
        ...booked('2025-02-16', '2025-02-20', 12),
      ],
      '2025-02-20',
      // Weeks read as 60, 40, 40, 40, 40 h (not 60, 24, 40…): recent mean 50 h a week.
      10,
    ],
    [
      'a holiday fortnight from mid-week to mid-week is absence: the weeks it cuts are read whole',
      booked('2025-01-06', '2025-02-28', 8, (d) => d >= '2025-02-12' && d <= '2025-02-25'),
      '2025-02-28',
      8,
    ],
    [
      'gaps shorter than a working week are pace: Monday and Thursday bookings are 16 h a week',
      booked('2025-01-06', '2025-02-21', 8, (d) => ![1, 4].includes(new Date(d).getUTCDay())),
      '2025-02-21',
      3.2,
    ],
  ])('pace over the days present: %s', (_name, dailyHours, asOf, perDay) => {
    expect(capacityHoursPerDay(referenceFacts({ asOf, dailyHours }), policy)).toBeCloseTo(
      perDay,
      6,
    );
  });

  test('milestones forecast earliest-due-first against capacity', () => {
    // As of Fri 01-17 at 8 h/day: m1 (due 01-16) still has t2 open; m2 (due 01-26) adds t3.
    const facts = referenceFacts({
      asOf: '2025-01-17',
      dataAsOf: '2025-01-17',
      dailyHours: effort('2025-01-06', '2025-01-17', 8),
    });
    const s = scheduleForecast(facts, policy);
    const m1 = s.milestones.find((m) => m.milestoneId === 'm1');
    const m2 = s.milestones.find((m) => m.milestoneId === 'm2');
    expect(m1?.complete).toBe(false);
    // m1 was due 01-16 and is still open on 01-17: at least one working day late.
    expect(m1?.slipWorkingDays ?? 0).toBeGreaterThanOrEqual(1);
    expect(m2?.forecastEnd).not.toBeNull();
    expect(s.value).toBe(Math.max(m1?.slipWorkingDays ?? 0, m2?.slipWorkingDays ?? 0));
    expect(s.worst).not.toBeNull();
  });
});

describe('schedule forecast by phase', () => {
  // A long project: design (m1, 30 h of work at 2 h a day) then a build (m2, 240 h planned at
  // 8 h a day from 2025-03-03). On 2025-02-14 design is on track at the design team's pace.
  const phased = (patch: Partial<ProjectFacts> = {}): ProjectFacts => {
    const base = referenceFacts();
    return referenceFacts({
      asOf: '2025-02-14',
      dataAsOf: '2025-02-14',
      targetEndDate: '2025-04-04',
      baseline: {
        ...base.baseline,
        plannedHours: 300,
        milestones: [
          { ...base.baseline.milestones[0]!, plannedStart: '2025-01-06', plannedEnd: '2025-02-28' },
          { ...base.baseline.milestones[1]!, plannedStart: '2025-03-03', plannedEnd: '2025-04-04' },
        ],
      },
      tasks: [
        task('d1', {
          estimateHours: 60,
          status: 'closed',
          loggedHours: 60,
          startedOn: '2025-01-06',
          closedOn: '2025-02-07',
        }),
        task('d2', {
          estimateHours: 20,
          status: 'in-progress',
          loggedHours: 10,
          startedOn: '2025-02-10',
        }),
        task('b1', { estimateHours: 120, milestoneId: 'm2', loggedHours: 0 }),
        task('b2', { estimateHours: 120, milestoneId: 'm2', loggedHours: 0 }),
      ],
      dailyHours: effort('2025-01-06', '2025-02-14', 2),
      ...patch,
    });
  };

  test('a phase not yet begun is forecast on its plan, not at the current phase’s pace', () => {
    const s = scheduleForecast(phased(), policy);
    const build = s.milestones.find((m) => m.milestoneId === 'm2');
    // At 2 h a day the 240 h build would take 120 working days; its own plan gives it 25.
    expect(build).toMatchObject({ forecastEnd: '2025-04-04', slipWorkingDays: 0 });
    expect(s.value).toBe(0);
  });

  test.each<[string, number, number]>([
    // Design needs 10 h more at 2 h a day: 5 working days, done 02-21, a week early → nothing to carry.
    ['design on track', 10, 0],
    // 40 h more at 2 h a day is 20 working days: 03-14, 10 working days late; the build starts
    // the next working day after design by plan, so it carries all 10.
    ['design ten working days late', 40, 10],
  ])(
    '%s: the build carries the slip of the phase before it (%i h left → %i)',
    (_n, left, carried) => {
      const facts = phased();
      const s = scheduleForecast(
        {
          ...facts,
          tasks: facts.tasks.map((t) =>
            t.id === 'd2' ? { ...t, estimateHours: 10 + left, loggedHours: 10 } : t,
          ),
        },
        policy,
      );
      expect(s.milestones.find((m) => m.milestoneId === 'm2')?.slipWorkingDays).toBe(carried);
    },
  );

  test('planned slack between phases absorbs slip before it is carried', () => {
    const facts = phased();
    const milestones = facts.baseline.milestones.map((m) =>
      m.id === 'm2' ? { ...m, plannedStart: '2025-03-10' } : m,
    );
    const s = scheduleForecast(
      {
        ...facts,
        baseline: { ...facts.baseline, milestones },
        tasks: facts.tasks.map((t) =>
          t.id === 'd2' ? { ...t, estimateHours: 50, loggedHours: 10 } : t,
        ),
      },
      policy,
    );
    // Design 10 working days late; the plan leaves 5 working days (03-03 … 03-07) before the build.
    expect(s.milestones.find((m) => m.milestoneId === 'm2')?.slipWorkingDays).toBe(5);
  });

  test('a phase that has just begun is on its plan until it has a week of its own history', () => {
    // Build tasks started on 03-03; on 03-05 the pace is still the design team's 2 h a day.
    const facts = phased({
      asOf: '2025-03-05',
      dataAsOf: '2025-03-05',
      tasks: phased().tasks.map((t) =>
        t.id === 'd2'
          ? { ...t, status: 'closed' as const, loggedHours: 20, closedOn: '2025-02-21' }
          : t.id === 'b1'
            ? { ...t, status: 'in-progress' as const, loggedHours: 6, startedOn: '2025-03-03' }
            : t,
      ),
      dailyHours: effort('2025-01-06', '2025-03-05', 2),
    });
    expect(
      scheduleForecast(facts, policy).milestones.find((m) => m.milestoneId === 'm2'),
    ).toMatchObject({
      forecastEnd: '2025-04-04',
      slipWorkingDays: 0,
    });
    // Two weeks in at the same pace, the build is forecast from it, and it is late.
    const later = {
      ...facts,
      asOf: '2025-03-17',
      dataAsOf: '2025-03-17',
      dailyHours: effort('2025-01-06', '2025-03-17', 2),
    };
    expect(scheduleForecast(later, policy).value ?? 0).toBeGreaterThan(policy.schedule.red);
  });
});

describe('blockage', () => {
  const base = referenceFacts({
    asOf: '2025-01-24',
    dataAsOf: '2025-01-24',
    dailyHours: effort('2025-01-06', '2025-01-24', 8),
  });

  test.each([
    ['nothing held', null, 0],
    ['held since Monday', '2025-01-20', 4],
    ['held for two weeks', '2025-01-10', 10],
  ])('%s → %i working days', (_n, since, days) => {
    const facts = {
      ...base,
      tasks: base.tasks.map((t) =>
        t.id === 't3' && since !== null
          ? { ...t, status: 'on-hold' as const, onHoldSince: since }
          : t,
      ),
    };
    expect(blockage(facts, policy).value).toBe(days);
  });

  test('a trivial hold (below the share of remaining work) does not count', () => {
    const facts = {
      ...base,
      tasks: [
        ...base.tasks,
        task('tiny', { estimateHours: 1, status: 'on-hold', onHoldSince: '2025-01-06' }),
      ],
    };
    expect(blockage(facts, policy).value).toBe(0);
  });

  test('a small hold that blocks downstream work counts, and so does an overdue dependency', () => {
    const held = {
      ...base,
      tasks: [
        ...base.tasks.map((t) => (t.id === 't3' ? { ...t, dependsOnTaskIds: ['gate'] } : t)),
        task('gate', { estimateHours: 1, status: 'on-hold', onHoldSince: '2025-01-13' }),
      ],
    };
    expect(blockage(held, policy)).toMatchObject({ value: 9, worstTaskId: 'gate' });
    const overdue = {
      ...base,
      tasks: [
        ...base.tasks.map((t) => (t.id === 't3' ? { ...t, dependsOnTaskIds: ['dep'] } : t)),
        task('dep', { estimateHours: 5, status: 'in-progress', targetDate: '2025-01-17' }),
      ],
    };
    expect(blockage(overdue, policy).value).toBe(5);
    // The blocked work waits: the schedule forecast reflects the blockage too.
    expect(signalsFor(overdue, policy).schedule.value ?? 0).toBeGreaterThanOrEqual(
      signalsFor(base, policy).schedule.value ?? 0,
    );
  });

  test('a project on hold is fully blocked', () => {
    const facts = { ...base, status: 'on-hold' as const, onHoldSince: '2025-01-17' };
    expect(blockage(facts, policy)).toMatchObject({ value: 5, blockedShare: 1 });
  });
});
