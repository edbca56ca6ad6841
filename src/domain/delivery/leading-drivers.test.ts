import { addDays, isWorkingDay, type IsoDate } from '../shared/dates';
import type { EffortModel } from './forecast';
import {
  bookingPace,
  isEvidenceDay,
  isStalled,
  resourcingGap,
  scopeCreep,
} from './leading-drivers';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import type { DailyEffort, ProjectFacts } from './project-facts';
import { effort, referenceFacts, task } from './testing/facts-builder';

const policy = DEFAULT_DELIVERY_POLICY;

describe('scope creep: estimate growth against a fixed budget', () => {
  // Reference project: budget 100 h, tasks of 30 + 20 + 50 h, first hour booked 2025-01-06.
  test.each<[string, Partial<ProjectFacts>, number | null]>([
    [
      'captured baseline estimate, nothing added',
      { baseline: { ...referenceFacts().baseline, plannedEstimateHours: 100 } },
      0,
    ],
    [
      'captured baseline estimate, a 20 h task added',
      {
        baseline: { ...referenceFacts().baseline, plannedEstimateHours: 100 },
        tasks: [...referenceFacts().tasks, task('t4', { estimateHours: 20 })],
      },
      0.2,
    ],
    [
      'no captured estimate: a task created after the plan settled is growth',
      {
        asOf: '2025-01-20',
        tasks: [
          ...referenceFacts().tasks,
          task('t4', { estimateHours: 15, createdOn: '2025-01-15' }),
        ],
      },
      0.15,
    ],
    [
      'no captured estimate: a task created within the grace period is the plan',
      {
        asOf: '2025-01-20',
        tasks: [
          ...referenceFacts().tasks,
          task('t4', { estimateHours: 15, createdOn: '2025-01-10' }),
        ],
      },
      0,
    ],
    ['before the plan settled there is no baseline to grow from', { asOf: '2025-01-11' }, null],
    [
      'no budget: unmeasurable',
      {
        asOf: '2025-01-20',
        baseline: { ...referenceFacts().baseline, plannedHours: null, plannedMoney: null },
      },
      null,
    ],
  ])('%s', (_name, patch, expected) => {
    const value = scopeCreep(referenceFacts(patch), policy).value;
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 10);
  });

  test.each<[string, number, number]>([
    // Budget 140 h for 100 h of estimates: room up to 95 % of the budget (133 h).
    ['growth the budget still absorbs', 20, 0],
    ['growth up to the reserve', 33, 0],
    ['growth into the reserve', 40, 7 / 140],
    ['growth past the budget', 60, 27 / 140],
  ])('with room in the budget, %s (+%i h) → %f', (_n, added, expected) => {
    const facts = referenceFacts({
      baseline: { ...referenceFacts().baseline, plannedHours: 140, plannedEstimateHours: 100 },
      tasks: [...referenceFacts().tasks, task('t4', { estimateHours: added })],
    });
    expect(scopeCreep(facts, policy).value).toBeCloseTo(expected, 10);
  });

  test('the explanation names the growth, the tasks added and the unchanged budget', () => {
    const s = scopeCreep(
      referenceFacts({
        asOf: '2025-01-20',
        tasks: [
          ...referenceFacts().tasks,
          task('t4', { estimateHours: 15, createdOn: '2025-01-15' }),
        ],
      }),
      policy,
    );
    expect(s).toMatchObject({
      baselineEstimateHours: 100,
      currentEstimateHours: 115,
      budgetHours: 100,
      addedTasks: 1,
    });
  });
});

/** Working days from `from` to `to` inclusive at `hours`, except the listed days (no time). */
function bookings(from: IsoDate, to: IsoDate, hours: number, skip: IsoDate[] = []): DailyEffort[] {
  return effort(from, to, hours).filter((d) => !skip.includes(d.date));
}

function everyOther(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!isWorkingDay(d)) continue;
    if (n % 2 === 1) out.push(d);
    n += 1;
  }
  return out;
}

/** Remaining actual hours = the estimate of every open task (rate 1). */
const atEstimate: EffortModel = {
  rate: 1,
  earnedShare: 0.3,
  taskLevel: true,
  remainingHours: (t) => (t.status === 'closed' ? 0 : (t.estimateHours ?? 0)),
};

/**
 * As of Friday 2025-01-24, with 70 h open (t2 20 h + t3 50 h) all due by milestone m1 on
 * 2025-02-07 — 10 working days away — the team needs 7 h a working day.
 */
function gapFacts(dailyHours: DailyEffort[], plannedEnd: IsoDate = '2025-02-07'): ProjectFacts {
  const base = referenceFacts();
  return referenceFacts({
    asOf: '2025-01-24',
    baseline: {
      ...base.baseline,
      milestones: base.baseline.milestones.map((m) => ({ ...m, plannedEnd })),
    },
    dailyHours: [...effort('2025-01-06', '2025-01-10', 8), ...dailyHours],
  });
}

describe('resourcing gap: bookings against the rate a near milestone needs', () => {
  const window = { from: '2025-01-13', to: '2025-01-24' } as const;
  test.each<[string, DailyEffort[], IsoDate, number | null]>([
    ['booking more than needed', bookings(window.from, window.to, 8), '2025-02-07', 0],
    ['booking half of what is needed', bookings(window.from, window.to, 3.5), '2025-02-07', 0.5],
    [
      'a week of holiday is absence, not pace',
      bookings(window.from, window.to, 7, [
        '2025-01-13',
        '2025-01-14',
        '2025-01-15',
        '2025-01-16',
        '2025-01-17',
      ]),
      '2025-02-07',
      0,
    ],
    [
      'booking only every other day is slow pace',
      bookings(window.from, window.to, 7, everyOther(window.from, window.to)),
      '2025-02-07',
      0.5,
    ],
    [
      'two empty days between bookings count as pace',
      bookings(window.from, window.to, 7, ['2025-01-15', '2025-01-16']),
      '2025-02-07',
      0.2,
    ],
    ['no milestone within the horizon', bookings(window.from, window.to, 1), '2025-03-28', null],
  ])('%s', (_name, daily, plannedEnd, expected) => {
    const gap = resourcingGap(gapFacts(daily, plannedEnd), policy, atEstimate);
    if (expected === null) expect(gap.value).toBeNull();
    else expect(gap.value).toBeCloseTo(expected, 10);
  });

  test('names the milestone, the rate booked and the rate needed', () => {
    const gap = resourcingGap(gapFacts(bookings(window.from, window.to, 3.5)), policy, atEstimate);
    expect(gap).toMatchObject({
      milestoneId: 'm1',
      plannedEnd: '2025-02-07',
      bookedPerDay: 3.5,
      neededPerDay: 7,
    });
  });

  test('booking pace needs half a window of working days present', () => {
    const thin = gapFacts(bookings('2025-01-21', '2025-01-24', 8));
    expect(bookingPace(thin, 10, 3)).toBeNull();
    expect(bookingPace(gapFacts(bookings(window.from, window.to, 6)), 10, 3)).toBe(6);
  });
});

describe('evidence days', () => {
  test.each<[string, IsoDate, boolean]>([
    ['a day with hours booked', '2025-01-08', true],
    ['a weekend with nothing booked', '2025-01-11', false],
    ['a working day with no booking and no task update', '2025-01-09', false],
    ['a day a task closed, even without hours', '2025-01-10', true],
  ])('%s', (_name, date, expected) => {
    const facts = referenceFacts({
      asOf: '2025-01-12',
      dailyHours: effort('2025-01-06', '2025-01-08', 8),
      tasks: [
        task('t1', { status: 'closed', startedOn: '2025-01-06', closedOn: '2025-01-10' }),
        task('t2', { startedOn: null }),
      ],
    });
    expect(isEvidenceDay(facts, date)).toBe(expected);
  });
});

describe('a stall: quiet for longer than anyone is away', () => {
  // Worked 4 h a day from 01-06 to 01-17, then only what the patch books.
  const quiet = (asOf: IsoDate, extra: DailyEffort[] = [], tasks = referenceFacts().tasks) =>
    referenceFacts({
      asOf,
      dataAsOf: asOf,
      tasks,
      dailyHours: [...effort('2025-01-06', '2025-01-17', 4), ...extra],
    });

  test.each<[string, IsoDate, DailyEffort[], boolean]>([
    ['a working week of silence is absence', '2025-01-24', [], false],
    ['a holiday fortnight (10 working days) is absence', '2025-01-31', [], false],
    ['the 11th quiet working day is a stall', '2025-02-03', [], true],
    [
      'half an hour of chasing a week does not break it',
      '2025-02-03',
      [{ date: '2025-01-29', hours: 0.5, cost: 50 }],
      true,
    ],
    ['a real day of work does', '2025-02-03', [{ date: '2025-01-29', hours: 3, cost: 300 }], false],
  ])('%s (%s) → stalled=%p', (_n, asOf, extra, stalled) => {
    const facts = quiet(asOf, extra);
    expect(isStalled(facts, asOf)).toBe(stalled);
    expect(isEvidenceDay(facts, asOf)).toBe(stalled || extra.some((d) => d.date === asOf));
  });

  test('a task closing breaks the silence', () => {
    const tasks = referenceFacts().tasks.map((t) =>
      t.id === 't2' ? { ...t, status: 'closed' as const, closedOn: '2025-01-29' } : t,
    );
    expect(isStalled(quiet('2025-02-03', [], tasks), '2025-02-03')).toBe(false);
  });

  test('a project never worked has no stall to show', () => {
    expect(isStalled(referenceFacts({ dailyHours: [] }), '2025-02-03')).toBe(false);
  });
});
