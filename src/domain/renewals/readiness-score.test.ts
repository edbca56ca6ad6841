import { type ContractFacts } from './contract-facts';
import { editHours, editTickets, FIXTURE_AS_OF, healthyFacts } from './contract-facts.fixture';
import {
  apportion,
  assessReadiness,
  driverLevel,
  driverSeverity,
  type ReadinessAssessment,
} from './readiness-score';
import { whatChanged } from './readiness-change';
import {
  DEFAULT_RENEWAL_POLICY as P,
  READINESS_DRIVER_KEYS,
  type ReadinessBand,
  type ReadinessDriverKey,
} from './renewal-policy';

const asOf = FIXTURE_AS_OF;
const assess = (f: ContractFacts): ReadinessAssessment => assessReadiness(f, asOf, P);
const driver = (a: ReadinessAssessment, key: ReadinessDriverKey) => {
  const d = a.drivers.find((x) => x.key === key);
  if (!d) throw new Error(`no driver ${key}`);
  return d;
};
const BAND_RANK: Record<ReadinessBand, number> = { ready: 0, watch: 1, 'at-risk': 2, unknown: 3 };

describe('driver thresholds', () => {
  const rows = READINESS_DRIVER_KEYS.flatMap((key) => {
    const t = P.readiness.drivers[key];
    const beyond = t.risk + (t.risk - t.watch);
    return [
      [key, 'good', t.good, 0, 'ok'],
      [key, 'half-way to watch', (t.good + t.watch) / 2, 0.25, 'ok'],
      [key, 'watch', t.watch, 0.5, 'watch'],
      [key, 'half-way to risk', (t.watch + t.risk) / 2, 0.75, 'watch'],
      [key, 'risk', t.risk, 1, 'risk'],
      [key, 'beyond risk', beyond, 1, 'risk'],
    ] as const;
  });
  test.each(rows)(
    '%s at %s (%p) has severity %p and level %s',
    (key, _label, value, sev, level) => {
      const t = P.readiness.drivers[key];
      expect(driverSeverity(value, t)).toBeCloseTo(sev, 10);
      expect(driverLevel(value, t)).toBe(level);
    },
  );

  test('an unmeasured value costs nothing and has no level', () => {
    expect(driverSeverity(null, P.readiness.drivers.sla)).toBe(0);
    expect(driverLevel(null, P.readiness.drivers.sla)).toBeNull();
  });
});

describe('each driver from contract facts', () => {
  const all = (): boolean => true;
  const lastN =
    (n: number) =>
    (_m: string, fromEnd: number): boolean =>
      fromEnd < n;
  const rows: [ReadinessDriverKey, ContractFacts, number][] = [
    ['sla', editTickets(healthyFacts(), () => ({ slaMet: 9 })), 0.9],
    ['reopen', editTickets(healthyFacts(), () => ({ opened: 25, reopened: 2 }), all), 0.08],
    [
      'p1',
      editTickets(
        healthyFacts(),
        () => ({ p1: 1 }),
        (_m, i) => i === 1 || i === 2,
      ),
      2,
    ],
    [
      'ticketTrend',
      editTickets(healthyFacts(), () => ({ opened: 13, slaTotal: 13, slaMet: 13 }), lastN(3)),
      0.3,
    ],
    ['feedback', editTickets(healthyFacts(), () => ({ feedbackScores: [4, 4, 4, 4, 3] })), 3.8],
    [
      'negativeLanguage',
      editTickets(healthyFacts(), () => ({ opened: 20, negativeNoteHits: 5 })),
      0.25,
    ],
    ['utilisation', editHours(healthyFacts(), 10), 0.5],
    ['prepay', healthyFacts({ prepayBalance: 8000 }), 4],
    [
      'overdue',
      healthyFacts({ overdueInvoices: { count: 1, amount: 500, oldestDaysOverdue: 30 } }),
      30,
    ],
    [
      'delivery',
      healthyFacts({ projectHealth: { worstRag: 'amber', redCount: 0, amberCount: 1 } }),
      1,
    ],
  ];
  test.each(rows)('%s at its watch threshold takes half its weight', (key, facts, value) => {
    const a = assess(facts);
    const d = driver(a, key);
    expect(d.value).toBeCloseTo(value, 4);
    expect(d.level).toBe('watch');
    expect(d.contribution).toBe(P.readiness.drivers[key].weight / 2);
    expect(a.score).toBe(100 - P.readiness.drivers[key].weight / 2);
    for (const other of a.drivers) if (other.key !== key) expect(other.contribution).toBe(0);
  });

  test('the healthy fixture is ready with full confidence and a perfect score', () => {
    const a = assess(healthyFacts());
    expect(a.score).toBe(100);
    expect(a.band).toBe('ready');
    expect(a.confidence).toBe(1);
  });

  test('one driver at risk level caps the band at watch even with a high score', () => {
    const a = assess(
      healthyFacts({ overdueInvoices: { count: 2, amount: 900, oldestDaysOverdue: 75 } }),
    );
    expect(a.score).toBe(84);
    expect(a.band).toBe('watch');
    expect(a.bandReasons.join(' ')).toContain('Oldest overdue invoice');
  });

  test('two drivers at risk level make the contract at-risk', () => {
    const f = editTickets(
      healthyFacts({ overdueInvoices: { count: 2, amount: 900, oldestDaysOverdue: 75 } }),
      () => ({ slaMet: 7 }),
    );
    const a = assess(f);
    expect(a.band).toBe('at-risk');
    expect(driver(a, 'sla').level).toBe('risk');
  });
});

describe('properties', () => {
  // A small deterministic PRNG so the property runs are reproducible.
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const randomFacts = (r: () => number): ContractFacts => {
    const base = editTickets(healthyFacts(), (t) => {
      const opened = Math.floor(r() * 30);
      const slaTotal = Math.floor(r() * opened);
      return {
        opened,
        p1: Math.floor(r() * 3),
        slaTotal,
        slaMet: Math.floor(r() * (slaTotal + 1)),
        reopened: Math.floor(r() * Math.max(1, opened / 4)),
        feedbackScores: r() < 0.5 ? [] : [1 + Math.floor(r() * 5)],
        negativeNoteHits: Math.floor(r() * 8),
        month: t.month,
      };
    });
    return {
      ...base,
      entitlementHoursPerMonth: r() < 0.2 ? null : 10 + Math.floor(r() * 30),
      hoursUsedByMonth: base.hoursUsedByMonth.map((h) => ({ ...h, hours: r() * 40 })),
      prepayBalance: r() < 0.5 ? null : r() * 20000,
      overdueInvoices:
        r() < 0.2
          ? null
          : { count: 1, amount: r() * 5000, oldestDaysOverdue: Math.floor(r() * 120) },
      projectHealth:
        r() < 0.5
          ? null
          : {
              worstRag: (['green', 'amber', 'red'] as const)[Math.floor(r() * 3)] ?? 'green',
              redCount: 0,
              amberCount: 0,
            },
    };
  };

  test('contributions always sum exactly to 100 − score, and the score stays in 0–100', () => {
    const r = prng(42);
    for (let i = 0; i < 300; i += 1) {
      const a = assess(randomFacts(r));
      const sum = a.drivers.reduce((s, d) => s + d.contribution, 0);
      expect(sum + a.score).toBe(100);
      expect(Number.isInteger(a.score)).toBe(true);
      expect(a.score).toBeGreaterThanOrEqual(0);
      expect(a.score).toBeLessThanOrEqual(100);
      for (const d of a.drivers) expect(d.contribution).toBeGreaterThanOrEqual(0);
    }
  });

  test('more overdue never raises readiness (score or band)', () => {
    const r = prng(7);
    for (let i = 0; i < 40; i += 1) {
      const f = randomFacts(r);
      let prev: ReadinessAssessment | null = null;
      for (let days = 0; days <= 150; days += 5) {
        const a = assess({
          ...f,
          overdueInvoices: { count: 1, amount: 1000, oldestDaysOverdue: days },
        });
        if (prev) {
          expect(a.score).toBeLessThanOrEqual(prev.score);
          if (prev.band !== 'unknown')
            expect(BAND_RANK[a.band]).toBeGreaterThanOrEqual(BAND_RANK[prev.band]);
        }
        prev = a;
      }
    }
  });

  const missing: [string, ContractFacts][] = [
    ['no ticket history', healthyFacts({ tickets: [] })],
    ['no entitlement', healthyFacts({ entitlementHoursPerMonth: null })],
    ['no invoices', healthyFacts({ overdueInvoices: null })],
    ['no tickets and no invoices', healthyFacts({ tickets: [], overdueInvoices: null })],
  ];
  test.each(missing)('%s lowers confidence and never gives ready', (_label, facts) => {
    const full = assess(healthyFacts());
    const a = assess(facts);
    expect(a.confidence).toBeLessThan(full.confidence);
    expect(a.band).not.toBe('ready');
  });

  test('no ticket history is unknown (too thin to judge)', () => {
    expect(assess(healthyFacts({ tickets: [] })).band).toBe('unknown');
  });

  test('apportion rounds to whole points that sum to the rounded total', () => {
    expect(apportion([0.4, 0.4, 0.4])).toEqual([1, 0, 0]);
    expect(apportion([2.5, 2.5])).toEqual([3, 2]);
    expect(apportion([0, 0])).toEqual([0, 0]);
  });
});

describe('whatChanged', () => {
  test('reports the band change and the driver that moved, largest first', () => {
    const before = assess(healthyFacts());
    const after = assess(
      healthyFacts({ overdueInvoices: { count: 1, amount: 400, oldestDaysOverdue: 60 } }),
    );
    const change = whatChanged(before, after);
    expect(change.band).toEqual({ from: 'ready', to: 'watch' });
    expect(change.scoreDelta).toBe(-16);
    expect(change.drivers[0]).toMatchObject({
      key: 'overdue',
      from: 0,
      to: 60,
      contributionDelta: 16,
      levelFrom: 'ok',
      levelTo: 'risk',
    });
    expect(change.summary[0]).toBe('Band ready → watch');
  });

  test('first assessment has nothing to compare', () => {
    const change = whatChanged(null, assess(healthyFacts()));
    expect(change.drivers).toEqual([]);
    expect(change.summary[0]).toContain('First assessment');
  });
});
