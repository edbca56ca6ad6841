import fc from 'fast-check';
import { addWorkingDays } from '../shared/dates';
import { persistedSignal, type Family, type SignalReading } from './health-score';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, type Level } from './policy';
import { replay } from './testing/replay-harness';
import { simulateProject } from './testing/simulated-project';

const policy = DEFAULT_DELIVERY_POLICY;
const cost: Family = {
  cause: 'burn',
  minClosures: policy.persistence.costClosures,
  estimateBorne: (r) => r.planRateBurn ?? null,
  members: [
    { key: 'burn', pick: (r) => r.burn, t: policy.burn },
    { key: 'scope', pick: (r) => r.scope ?? null, t: policy.scope },
  ],
};
const time: Family = {
  cause: 'schedule',
  members: [
    { key: 'schedule', pick: (r) => r.schedule, t: policy.schedule },
    { key: 'resourcing', pick: (r) => r.resourcing ?? null, t: policy.resourcing },
  ],
};

/**
 * A day: burn value, schedule value, evidence (default yes), tasks closed (default 1), scope, tasks
 * closed over their estimate and the burn at the plan's rate (both default unknown, as on readings
 * stored before they existed).
 */
type Day = [
  burn: number | null,
  schedule: number,
  evidence?: boolean,
  closed?: number,
  scope?: number | null,
  overrun?: number,
  planRate?: number | null,
];

/** Readings latest first, one a working day back from 2025-03-14. */
function readings(days: Day[]): SignalReading[] {
  return days.map(
    ([burn, schedule, evidence = true, closed = 1, scope = 0, overrun, planRate], i) => ({
      date: addWorkingDays('2025-03-14', -i),
      burn,
      schedule,
      dependency: 0,
      scope,
      resourcing: 0,
      evidence,
      closedTasks: closed,
      ...(overrun === undefined ? {} : { overrunClosures: overrun }),
      ...(planRate === undefined ? {} : { planRateBurn: planRate }),
    }),
  );
}

const amber = 0.08;
const red = 0.2;
const green = 0.01;
const times = (n: number, d: Day): Day[] => Array.from({ length: n }, () => d);

describe('persistence in working days with evidence', () => {
  test.each<[string, Day[], Level | null, number, string | null]>([
    ['amber on 6 evidence days opens at amber', times(6, [amber, 0]), 'amber', 6, null],
    [
      'amber on 5 evidence days is not yet persistent',
      [...times(5, [amber, 0]), [green, 0]],
      'green',
      0,
      null,
    ],
    [
      'quiet days in between neither count nor break the run',
      [...times(3, [amber, 0]), ...times(3, [green, 0, false, 0]), ...times(3, [amber, 0])],
      'amber',
      6,
      null,
    ],
    [
      'quiet days do not count towards persistence',
      [...times(3, [amber, 0]), ...times(8, [amber, 0, false, 0]), [green, 0]],
      'green',
      0,
      null,
    ],
    ['red on 6 evidence days opens at red', times(6, [red, 0]), 'red', 6, null],
    [
      'red on 3 days then amber holds at amber',
      [...times(3, [red, 0]), ...times(3, [amber, 0])],
      'amber',
      6,
      null,
    ],
    [
      'two evidence days confirmed by a second family (schedule) open at amber',
      [...times(2, [amber, 3]), [green, 0]],
      'amber',
      2,
      'schedule',
    ],
    [
      'a level carried by one day of closures is one reading repeated',
      [[amber, 0, true, 3], ...times(5, [amber, 0, true, 0])],
      'green',
      0,
      null,
    ],
    [
      'a level resting on the rate is not confirmed by closures within their estimates (a spike)',
      times(6, [amber, 0, true, 1, 0, 0, green]),
      'green',
      0,
      null,
    ],
    [
      'a level resting on the rate is confirmed by closures over their estimates on two days',
      [
        [amber, 0, true, 1, 0, 1, green],
        ...times(4, [amber, 0, true, 1, 0, 0, green]),
        [amber, 0, true, 1, 0, 1, green],
      ],
      'amber',
      6,
      null,
    ],
    [
      'one day of closures over their estimates is one reading, whatever closed within them',
      [[red, 0, true, 2, 0, 2, green], ...times(5, [red, 0, true, 1, 0, 0, green])],
      'green',
      0,
      null,
    ],
    [
      'a level the estimates alone carry is re-measured by any closure',
      times(6, [amber, 0, true, 1, 0, 0, amber]),
      'amber',
      6,
      null,
    ],
    ['gone today: nothing opens', [[green, 0], ...times(8, [red, 0])], 'green', 0, null],
    ['scope creep carries the cost family', times(6, [green, 0, true, 1, 0.12]), 'amber', 6, null],
    ['unmeasurable today', [[null, 0, true, 1, null], ...times(6, [amber, 0])], null, 0, null],
  ])('%s', (_name, days, level, evidenceDays, confirmedBy) => {
    const r = readings(days);
    const s = persistedSignal(cost, [time], (i) => r[i] ?? null, policy);
    expect({
      level: s.persistentLevel,
      evidenceDays: s.evidenceDays,
      confirmedBy: s.confirmedBy,
    }).toEqual({
      level,
      evidenceDays,
      confirmedBy,
    });
  });

  test('the driver carrying the family is named', () => {
    const r = readings(times(6, [green, 0, true, 1, 0.12]));
    expect(persistedSignal(cost, [time], (i) => r[i] ?? null, policy)).toMatchObject({
      cause: 'burn',
      driver: 'scope',
    });
  });

  test('recovered only when every value in the window is back at or below back-to-green', () => {
    const calm = readings(times(6, [-0.02, 0]));
    const dip = readings([...times(5, [-0.02, 0]), [amber, 0]]);
    expect(persistedSignal(cost, [time], (i) => calm[i] ?? null, policy).recovered).toBe(true);
    expect(persistedSignal(cost, [time], (i) => dip[i] ?? null, policy).recovered).toBe(false);
  });

  test('the numbers come from the policy', () => {
    const strict: DeliveryPolicy = { ...policy, persistenceDays: 8 };
    const r = readings(times(7, [amber, 0]));
    expect(persistedSignal(cost, [time], (i) => r[i] ?? null, strict).persistentLevel).toBe(
      'green',
    );
    expect(persistedSignal(cost, [time], (i) => r[i] ?? null, policy).persistentLevel).toBe(
      'amber',
    );
  });
});

describe('property: a recovering one-week burn spike on a healthy project never escalates', () => {
  test('any seed, spike of 1.3–2× the usual hours per unit of work, for a working week', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 1.3, max: 2, noNaN: true }),
        fc.integer({ min: 10, max: 45 }),
        (seed, factor, from) => {
          const healthy = simulateProject({ seed });
          const spiked = simulateProject({ seed, bursts: [{ from, to: from + 5, factor }] });
          // Preconditions: healthy without the spike, and the spike does not turn into trouble.
          fc.pre(healthy.visibleOn === null && spiked.visibleOn === null);
          expect(replay(healthy.days, healthy.factsOn, policy).firstEscalation).toBeNull();
          const run = replay(spiked.days, spiked.factsOn, policy);
          return run.firstEscalation === null;
        },
      ),
      { numRuns: 12, seed: 14 },
    );
  });
});
