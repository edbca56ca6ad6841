import { addWorkingDays, dayOf } from '../simulator/calendar';
import { Rng } from '../simulator/prng';
import { runProject, runVisibility, type ProjectPlan } from './project-run';
import { recordVisibility, renewalRecords } from './record-checks';

const MONDAY = dayOf('2026-03-02');
const LAST = dayOf('2026-09-30');

/** Two milestones of 20 working days, two tasks each (40 h estimated per milestone). */
function plan(): ProjectPlan {
  const t1 = addWorkingDays(MONDAY, 19);
  const s2 = addWorkingDays(t1, 1);
  const t2 = addWorkingDays(s2, 19);
  const task = (name: string, milestone: number): ProjectPlan['tasks'][number] => ({
    name,
    milestone,
    estimate: 20,
    effort: 18,
    createdDay: MONDAY,
    engineer: 10,
  });
  return {
    start: MONDAY,
    kickoff: MONDAY,
    milestones: [
      { name: 'Design', start: MONDAY, target: t1 },
      { name: 'Build', start: s2, target: t2 },
    ],
    tasks: [task('a', 0), task('b', 0), task('c', 1), task('d', 1)],
    budgetHours: 90,
    team: [10, 11],
    headroom: 1.6,
    chargeRate: 150,
    disturbances: { idle: [], capacity: [], recordShare: 1 },
  };
}

const hours = (run: ReturnType<typeof runProject>): number =>
  run.entries.reduce((s, e) => s + e.hours, 0);

describe('a project run', () => {
  test('a healthy plan finishes every milestone by its target and within budget', () => {
    const p = plan();
    const run = runProject(p, LAST, new Rng(1));
    p.milestones.forEach((m, i) => expect(run.milestoneDone[i]).toBeLessThanOrEqual(m.target));
    expect(runVisibility(run, LAST)).toEqual({ slipOn: undefined, overrunOn: undefined });
    expect(run.closedOn).toBeDefined();
  });

  test('a resourcing gap inside a milestone makes it slip, visible the day after its target', () => {
    const p = plan();
    const target = p.milestones[1]!.target;
    p.disturbances.capacity.push({ from: p.milestones[1]!.start, to: target + 10, mult: 0.2 });
    const run = runProject(p, LAST, new Rng(1));
    expect(run.milestoneDone[1]).toBeGreaterThan(target);
    expect(runVisibility(run, LAST).slipOn).toBe(target + 1);
  });

  test('a burn spike books far more hours in its week, and more in total, than the same plan without it', () => {
    const calm = runProject(plan(), LAST, new Rng(2));
    const p = plan();
    p.disturbances.spike = { from: MONDAY + 7, to: MONDAY + 11, mult: 2.5 };
    const spiked = runProject(p, LAST, new Rng(2));
    const week = (run: typeof calm, from: number): number =>
      run.entries
        .filter((e) => e.day >= from && e.day <= from + 4)
        .reduce((s, e) => s + e.hours, 0);
    expect(week(spiked, MONDAY + 7)).toBeGreaterThan(1.5 * week(spiked, MONDAY));
    expect(hours(spiked)).toBeGreaterThan(hours(calm) + 5);
  });

  test('nothing is booked while the project is on hold', () => {
    const p = plan();
    p.disturbances.idle.push({ from: MONDAY + 14, to: MONDAY + 18, kind: 'hold' });
    const run = runProject(p, LAST, new Rng(3));
    expect(run.entries.filter((e) => e.day >= MONDAY + 14 && e.day <= MONDAY + 18)).toEqual([]);
  });

  test('a blocked milestone cannot complete before the block lifts', () => {
    const p = plan();
    const lift = p.milestones[1]!.target + 14;
    p.disturbances.block = {
      from: p.milestones[1]!.start + 2,
      to: lift,
      waitingOn: 'vendor',
      reason: 'hardware',
    };
    const run = runProject(p, LAST, new Rng(4));
    expect(run.blockStartedOn).toBeDefined();
    expect(run.milestoneDone[1]).toBeGreaterThanOrEqual(lift);
    expect(runVisibility(run, LAST).slipOn).toBe(p.milestones[1]!.target + 1);
  });

  test('an overrun shows on the day recorded hours pass the budget', () => {
    const p = plan();
    p.budgetHours = 30;
    const run = runProject(p, LAST, new Rng(5));
    let sum = 0;
    const crossing = [...run.entries]
      .sort((a, b) => a.day - b.day || a.startHour - b.startHour)
      .find((e) => (sum += e.hours) > 30);
    expect(runVisibility(run, LAST).overrunOn).toBe(crossing?.day);
  });
});

describe('record checks', () => {
  const full = {
    id: 1,
    projecttimebudget: 10,
    milestones: [
      { id: 7, target_date: '2026-03-10T00:00:00' },
      { id: 8, target_date: '2026-03-20T00:00:00' },
    ],
  };
  const tasks = [
    { id: 2, milestone_id: 7, dateclosed: '2026-03-10T17:30:00' },
    { id: 3, milestone_id: 8, dateclosed: '2026-03-23T12:00:00' },
  ];
  const events = [
    { start_date: '2026-03-05T09:00:00Z', timetaken: 6 },
    { start_date: '2026-03-12T09:00:00Z', timetaken: 4 },
    { start_date: '2026-03-16T09:00:00Z', timetaken: 0.25 },
  ];

  test('a milestone closed on its target day is on time; one closed later slips the next day', () => {
    const vis = recordVisibility({ full, tasks, events }, dayOf('2026-04-30'));
    expect(vis.slipOn).toBe(dayOf('2026-03-21'));
  });

  test('the overrun is the day hours first exceed the budget, not the day they reach it', () => {
    const vis = recordVisibility({ full, tasks, events }, dayOf('2026-04-30'));
    expect(vis.overrunOn).toBe(dayOf('2026-03-16'));
  });

  test('a project without a budget never overruns', () => {
    const vis = recordVisibility(
      { full: { ...full, projecttimebudget: 0 }, tasks, events },
      dayOf('2026-04-30'),
    );
    expect(vis.overrunOn).toBeUndefined();
  });

  test('a renewal is a same-type contract of the client starting the day after the end', () => {
    const contracts = [
      {
        id: 1,
        client_id: 5,
        contracttype_name: 'Managed Services',
        start_date: '2025-01-01T00:00:00',
        end_date: '2025-12-31T00:00:00',
      },
      {
        id: 2,
        client_id: 5,
        contracttype_name: 'Managed Services',
        start_date: '2026-01-01T00:00:00',
        end_date: '2026-12-31T00:00:00',
      },
      {
        id: 3,
        client_id: 6,
        contracttype_name: 'Managed Services',
        start_date: '2025-01-01T00:00:00',
        end_date: '2025-12-31T00:00:00',
      },
    ];
    const asOf = dayOf('2026-06-01');
    expect(renewalRecords(1, contracts, asOf).successor?.id).toBe(2);
    expect(renewalRecords(3, contracts, asOf)).toEqual({ ended: true, laterContracts: 0 });
  });
});
