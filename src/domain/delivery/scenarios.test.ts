import { workingDaysBetween } from '../shared/dates';
import { median } from '../shared/numbers';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import { replay } from './testing/replay-harness';
import { simulateProject, type SimulationOptions } from './testing/simulated-project';

const policy = DEFAULT_DELIVERY_POLICY;
const SEEDS = [1, 2, 3, 4, 5, 6];

function run(opts: Partial<SimulationOptions>) {
  const sim = simulateProject(opts);
  const r = replay(sim.days, sim.factsOn, policy);
  const timeline = r.decisions.map(
    (d) =>
      `${d.date} ${d.decision.kind} ${d.decision.escalation.cause} ${d.decision.escalation.severity}`,
  );
  return { sim, r, timeline };
}

describe('day-by-day scenarios: noise that is not trouble never escalates', () => {
  /**
   * The whole project On Hold for working days [from, to) — nothing booked, nothing due — then the
   * team catching up at `catchUp` times its planned hours for two weeks.
   */
  function shortHold(seed: number, from: number, to: number, catchUp: number) {
    const sim = simulateProject({
      seed,
      quiet: [{ from, to }],
      understaffed: [{ from: to, to: to + 10, factor: catchUp }],
    });
    const onHoldSince = sim.days[from] as string;
    const resumed = sim.days[to] as string;
    const factsOn = (date: string) => {
      const facts = sim.factsOn(date);
      return date >= onHoldSince && date < resumed
        ? { ...facts, status: 'on-hold' as const, onHoldSince }
        : facts;
    };
    return { sim, r: replay(sim.days, factsOn, policy) };
  }

  test.each<[string, number, number, number]>([
    ['a seven-working-day hold straddling two weeks, caught up at 1.5×', 37, 44, 1.5],
    ['a five-working-day hold from mid-week, caught up at 1.4×', 43, 48, 1.4],
  ])('a short hold with nothing booked and nothing due: %s', (_name, from, to, catchUp) => {
    for (const seed of SEEDS) {
      const { sim, r } = shortHold(seed, from, to, catchUp);
      const due = sim
        .factsOn(sim.days[to] as string)
        .baseline.milestones.filter(
          (m) =>
            m.plannedEnd !== null &&
            m.plannedEnd >= (sim.days[from] as string) &&
            m.plannedEnd < (sim.days[to] as string),
        );
      // Preconditions: nothing fell due during the hold, and the project did not slip.
      expect({ seed, due: due.length, visibleOn: sim.visibleOn }).toEqual({
        seed,
        due: 0,
        visibleOn: null,
      });
      expect({ seed, first: r.firstEscalation }).toEqual({ seed, first: null });
    }
  });

  test.each<[string, Partial<SimulationOptions>]>([
    ['a healthy project', {}],
    [
      'a one-week burn spike that recovers',
      { spikes: [{ from: 20, to: 25, extraHoursPerDay: 6 }] },
    ],
    ['a short hold of three days', { holds: [{ task: 8, from: 15, to: 18, stopsWork: true }] }],
    ['a quiet week with no time', { quiet: [{ from: 25, to: 30 }] }],
    ['a holiday fortnight with no time', { quiet: [{ from: 20, to: 30 }], slack: 0.7 }],
    ['a one-week burn spike booked on the tasks', { bursts: [{ from: 20, to: 25, factor: 1.8 }] }],
  ])('%s', (_name, opts) => {
    for (const seed of SEEDS) {
      const { sim, r, timeline } = run({ ...opts, seed });
      // Precondition: the scenario really is not trouble.
      expect({ seed, visibleOn: sim.visibleOn }).toEqual({ seed, visibleOn: null });
      expect({ seed, first: r.firstEscalation, timeline }).toEqual({
        seed,
        first: null,
        timeline: [],
      });
      expect(r.assessments.filter((a) => a.status !== 'closed').some((a) => a.rag === 'red')).toBe(
        false,
      );
    }
  });
});

describe('day-by-day scenarios: trouble escalates early', () => {
  test.each<[string, Partial<SimulationOptions>, string]>([
    ['burning 35 % over estimates', { productivity: 1.35 }, 'burn'],
    ['burning from mid-project', { changeAt: 25, laterProductivity: 1.6, slack: 0.35 }, 'burn'],
    ['slipping at 70 % capacity', { capacityFactor: 0.7, contingency: 0.5 }, 'schedule'],
  ])('%s: before the trouble shows, a median of 10 working days ahead', (_name, opts, cause) => {
    const leads: number[] = [];
    for (const seed of SEEDS) {
      const { sim, r, timeline } = run({ ...opts, seed });
      expect(sim.visibleOn).not.toBeNull();
      const lead =
        r.firstEscalation === null || sim.visibleOn === null
          ? -999
          : workingDaysBetween(r.firstEscalation, sim.visibleOn);
      leads.push(lead);
      expect({ seed, ok: lead > 0, lead, timeline }).toEqual({ seed, ok: true, lead, timeline });
      const opens = r.decisions.filter((d) => d.decision.kind === 'open');
      expect(opens.map((d) => d.decision.escalation.cause)).toContain(cause);
      // One escalation per cause at a time: a cause re-opens only after it was resolved.
      const active = new Set<string>();
      for (const { decision } of r.decisions) {
        const c = decision.escalation.cause;
        if (decision.kind === 'open') {
          expect(active.has(c)).toBe(false);
          active.add(c);
        } else if (decision.kind === 'resolve') active.delete(c);
        else expect(active.has(c)).toBe(true);
      }
    }
    expect(median(leads)).toBeGreaterThanOrEqual(10);
  });

  test('creeping scope (tasks added, budget unchanged): the scope driver turns amber before the trouble shows, and it escalates in time', () => {
    for (const seed of SEEDS) {
      const { sim, r, timeline } = run({
        seed,
        creep: { from: 10, every: 4, hours: 24, count: 8 },
      });
      expect(sim.visibleOn).not.toBeNull();
      const visible = sim.visibleOn ?? '';
      const scopeAmber = r.assessments.find(
        (a) => a.drivers.find((d) => d.key === 'scope')?.level === 'amber',
      );
      expect({ seed, early: (scopeAmber?.asOf ?? '9999') < visible }).toEqual({
        seed,
        early: true,
      });
      expect({ seed, timeline, early: (r.firstEscalation ?? '9999') < visible }).toEqual({
        seed,
        timeline,
        early: true,
      });
    }
  });

  test('blocked for six weeks: escalates within 6 working days of the hold, before the slip shows', () => {
    for (const seed of SEEDS) {
      const { sim, r, timeline } = run({
        seed,
        holds: [{ task: 9, from: 20, to: 50, stopsWork: true }],
        contingency: 0.3,
      });
      const holdStart = sim.days[20] as string;
      const dep = r.decisions.find(
        (d) => d.decision.kind === 'open' && d.decision.escalation.cause === 'dependency',
      );
      expect({ seed, timeline, found: dep !== undefined }).toEqual({ seed, timeline, found: true });
      expect(workingDaysBetween(holdStart, dep?.date ?? holdStart)).toBeLessThanOrEqual(6);
      // Where the slip shows more than 6 working days after the hold began, it was seen first.
      if (sim.visibleOn !== null && workingDaysBetween(holdStart, sim.visibleOn) > 6) {
        expect((r.firstEscalation ?? '9999') < sim.visibleOn).toBe(true);
      }
    }
  });

  test('missing budget and estimates: unknown every day, never escalated', () => {
    const { r } = run({ withBudget: false, withEstimates: false, productivity: 1.4 });
    expect(r.firstEscalation).toBeNull();
    expect(r.assessments.every((a) => a.rag === 'unknown')).toBe(true);
  });
});
