import { addDays, daysBetween } from '../shared/dates';
import { monthOf, type ContractFacts, type TicketMonth } from './contract-facts';
import { editHours, editTickets, FIXTURE_AS_OF, healthyFacts } from './contract-facts.fixture';
import { evaluationMonths, flagRenewalRisk, rampDown, rampUp } from './churn-flagging';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';

const asOf = FIXTURE_AS_OF; // 2025-06-30: June complete, evaluations June and May
const lastN =
  (n: number) =>
  (_m: string, fromEnd: number): boolean =>
    fromEnd < n;

describe('signal ramps', () => {
  test.each<[number, number]>([
    [1.39, 0],
    [1.4, 0.5],
    [1.7, 0.75],
    [2, 1],
    [3, 1],
  ])('volume ratio %p → strength %p', (ratio, s) => {
    expect(rampUp(ratio, P.churn.volume.triggerRatio, P.churn.volume.fullRatio)).toBeCloseTo(s, 10);
  });
  test.each<[number, number]>([
    [0.81, 0],
    [0.8, 0.5],
    [0.7, 0.75],
    [0.6, 1],
  ])('SLA attainment %p → strength %p', (sla, s) => {
    expect(rampDown(sla, P.churn.sla.floor, P.churn.sla.fullFloor)).toBeCloseTo(s, 10);
  });
});

describe('flagRenewalRisk on fixed histories', () => {
  const worse = (months: number) => (f: ContractFacts) =>
    editTickets(
      f,
      () => ({ opened: 20, slaTotal: 20, slaMet: 14, feedbackScores: [2, 3] }),
      lastN(months),
    );

  test('a healthy contract is not flagged', () => {
    const r = flagRenewalRisk(healthyFacts(), asOf, P);
    expect(r).toMatchObject({ flagged: false, cause: null, blockedBy: null, score: 100 });
  });

  test('volume, SLA and sentiment deteriorating for two months flag it, strongest first', () => {
    const r = flagRenewalRisk(worse(2)(healthyFacts()), asOf, P);
    expect(r.flagged).toBe(true);
    expect(r.causes).toEqual(['sentiment', 'service-quality', 'ticket-volume']);
    expect(r.cause).toBe('sentiment');
    expect(r.severity).toBe('high');
    expect(r.score).toBeLessThan(80);
  });

  test('one bad month is noise, not a flag', () => {
    expect(flagRenewalRisk(worse(1)(healthyFacts()), asOf, P).flagged).toBe(false);
  });

  test('a single signal family, however persistent, does not flag', () => {
    const f = editTickets(
      healthyFacts(),
      () => ({ opened: 25, slaTotal: 25, slaMet: 25 }),
      lastN(4),
    );
    const r = flagRenewalRisk(f, asOf, P);
    expect(r.flagged).toBe(false);
    expect(r.evaluations[0]?.strengths['ticket-volume']).toBe(1);
  });

  test('overdue invoices and falling utilisation together flag it', () => {
    const f = editHours(
      healthyFacts({ overdueInvoices: { count: 2, amount: 4000, oldestDaysOverdue: 95 } }),
      3,
      lastN(2),
    );
    const r = flagRenewalRisk(f, asOf, P);
    expect(r.flagged).toBe(true);
    // Strongest first over the evaluations: the invoices were already overdue the month before.
    expect(r.causes).toEqual(['overdue-invoices', 'low-utilisation']);
  });

  describe('a quiet month neither confirms nor clears a family', () => {
    // Poor SLA and poor feedback in June and April; May is either quiet (3 tickets, too few SLA
    // outcomes or scores to judge) or a judged clean month.
    const bad = { opened: 12, slaTotal: 12, slaMet: 6, feedbackScores: [1, 2] };
    const withMay = (may: Partial<TicketMonth>): ContractFacts =>
      editTickets(
        healthyFacts(),
        (t) => (t.month === '2025-05' ? may : bad),
        (_m, i) => i <= 2,
      );
    const quiet = { opened: 3, slaTotal: 3, slaMet: 1, feedbackScores: [2] };

    test('a quiet month between two bad ones is looked past', () => {
      const r = flagRenewalRisk(withMay(quiet), asOf, P);
      expect(r.evaluations[1]?.judged['service-quality']).toBe(false);
      expect(r.flagged).toBe(true);
      expect(r.causes).toContain('service-quality');
    });

    test('with no skipped months allowed, the quiet month breaks persistence', () => {
      const strict = { ...P, churn: { ...P.churn, maxSkippedMonths: 0 } };
      expect(flagRenewalRisk(withMay(quiet), asOf, strict).flagged).toBe(false);
    });

    const clean = { opened: 10, slaTotal: 10, slaMet: 10, feedbackScores: [5, 5] };

    test('a judged clean month between two bad ones does not reset them: two of three, the latest bad', () => {
      const r = flagRenewalRisk(withMay(clean), asOf, P);
      expect(r.evaluations[1]?.judged['service-quality']).toBe(true);
      expect(r.flagged).toBe(true);
    });

    test('two bad months of three with the latest clean is not a flag: it has stopped', () => {
      const f = editTickets(
        healthyFacts(),
        (t) => (t.month === '2025-06' ? clean : bad),
        (_m, i) => i <= 2,
      );
      expect(flagRenewalRisk(f, asOf, P).flagged).toBe(false);
    });
  });

  describe('late payment', () => {
    const late = (days: (month: string, fromEnd: number) => number) => (f: ContractFacts) => ({
      ...f,
      paymentLatenessByMonth: f.paymentLatenessByMonth.map((l, i, all) => ({
        month: l.month,
        worstDaysOverdue: days(l.month, all.length - 1 - i),
      })),
    });
    const lowUse = (f: ContractFacts) => editHours(f, 3, lastN(2));

    test('invoices paid late count in the months they were overdue, though nothing is unpaid today', () => {
      const f = late((_m, i) => (i < 2 ? 70 : 0))(lowUse(healthyFacts()));
      expect(f.overdueInvoices?.count).toBe(0);
      const r = flagRenewalRisk(f, asOf, P);
      expect(r.evaluations[0]?.strengths['overdue-invoices']).toBeCloseTo(
        0.5 + 0.5 * (40 / 45),
        10,
      );
      expect(r.flagged).toBe(true);
      expect(r.causes).toContain('overdue-invoices');
    });

    test('a client that always pays 70 days late shows no new payment signal', () => {
      const r = flagRenewalRisk(late(() => 70)(lowUse(healthyFacts())), asOf, P);
      expect(r.evaluations[0]?.strengths['overdue-invoices']).toBe(0);
      expect(r.flagged).toBe(false);
    });
  });

  test.each<[string, Partial<ContractFacts>, string]>([
    ['no end date', { endDate: null }, 'data-quality'],
    ['no account manager', { accountManagerAgentId: null }, 'data-quality'],
    ['ended', { endDate: '2025-06-29' }, 'expired'],
    ['ending beyond the horizon', { endDate: '2027-01-01' }, 'beyond-horizon'],
    ['too little history', { tickets: [], startDate: '2025-05-01' }, 'thin-history'],
  ])('%s is never flagged (%s)', (_label, patch, blockedBy) => {
    const r = flagRenewalRisk({ ...worse(3)(healthyFacts()), ...patch }, asOf, P);
    expect(r.flagged).toBe(false);
    expect(r.blockedBy).toBe(blockedBy);
  });

  test('the month to date counts as an evaluation from day 10', () => {
    // Two persisted months, and one more for a family a month could not judge.
    expect(evaluationMonths('2025-07-09', P)).toEqual(['2025-06', '2025-05', '2025-04']);
    expect(evaluationMonths('2025-07-10', P)).toEqual(['2025-07', '2025-06', '2025-05']);
  });

  test('hysteresis: once flagged, it holds while the latest evaluation keeps the clear score', () => {
    // Only the latest month is still bad: not persistent, but held when previously flagged.
    const f = editTickets(
      worse(3)(healthyFacts()),
      (t) => healthyMonthLike(t),
      (_m, i) => i === 1 || i === 2,
    );
    expect(flagRenewalRisk(f, asOf, P).flagged).toBe(false);
    expect(flagRenewalRisk(f, asOf, P, { flagged: true }).flagged).toBe(true);
    expect(flagRenewalRisk(healthyFacts(), asOf, P, { flagged: true }).flagged).toBe(false);
  });
});

function healthyMonthLike(t: TicketMonth): Partial<TicketMonth> {
  return { ...t, opened: 10, slaTotal: 10, slaMet: 10, feedbackScores: [5, 5] };
}

/**
 * A small synthetic portfolio replayed day by day, independent of the demo generator: daily ticket
 * events with Poisson noise, healthy contracts with one-off spikes and dips, contracts with a
 * single persistent problem, busy contracts whose service strains (more tickets, slower fixes)
 * without the client meaning to leave, and contracts that churn after months of compounding
 * signals.
 */
describe('day-by-day replay on a synthetic portfolio', () => {
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  function poisson(r: () => number, lambda: number): number {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k += 1;
      p *= r();
    } while (p > l);
    return k - 1;
  }
  type Kind = 'healthy' | 'single-signal' | 'strained' | 'churn';
  interface Day {
    opened: number;
    slaTotal: number;
    slaMet: number;
    reopened: number;
    fb: number[];
    hits: number;
    hours: number;
  }
  interface Synthetic {
    kind: Kind;
    facts: ContractFacts;
    start: string;
    days: Day[];
    endDate: string;
    unpaidFrom: string | null;
    monthOfDay: string[];
  }

  function generate(i: number, kind: Kind, r: () => number): Synthetic {
    const start = '2023-07-01';
    const endDate = addDays('2025-08-01', Math.floor(r() * 240));
    const signalStart = addDays(endDate, -(140 + Math.floor(r() * 60)));
    const n = daysBetween(start, endDate) + 1;
    const base = 6 + r() * 18;
    const baseSla = 0.92 + r() * 0.07;
    const ent = 20 + Math.floor(r() * 40);
    const spikeMonth = monthOf(addDays(start, 300 + Math.floor(r() * 400)));
    const dipMonth = monthOf(addDays(start, 300 + Math.floor(r() * 400)));
    // Which families deteriorate: churners get a random two or more, single-signal contracts one.
    const families = ['volume', 'sla', 'sentiment', 'overdue', 'utilisation'];
    let on = new Set<string>();
    if (kind === 'churn') {
      while (on.size < 2) on = new Set(families.filter(() => r() < 0.6));
    } else if (kind === 'strained') {
      on = new Set(['volume', 'sla']);
    } else if (kind === 'single-signal') {
      on = new Set([families[Math.floor(r() * families.length)] ?? 'volume']);
    }
    const unpaidFrom = on.has('overdue') ? addDays(signalStart, 10) : null;
    const days: Day[] = [];
    for (let d = 0; d < n; d += 1) {
      const date = addDays(start, d);
      const m = monthOf(date);
      const t = daysBetween(signalStart, date);
      const ramp = kind !== 'healthy' && t >= 0 ? Math.min(1, t / 30) : 0;
      let vol = base;
      let sla = baseSla;
      let fbMean = 4.5;
      let hitRate = 0.02;
      let util = 0.8;
      if (m === spikeMonth) vol *= 2;
      if (m === dipMonth) sla -= 0.12;
      if (on.has('volume')) vol *= 1 + 0.8 * ramp;
      if (on.has('sla')) sla -= 0.2 * ramp;
      if (on.has('sentiment')) {
        fbMean -= 2 * ramp;
        hitRate += 0.5 * ramp;
      }
      if (on.has('utilisation')) util -= 0.6 * ramp;
      const opened = poisson(r, vol / 30);
      let slaMet = 0;
      for (let k = 0; k < opened; k += 1) if (r() < sla) slaMet += 1;
      const fb: number[] = [];
      for (let k = 0; k < opened; k += 1) {
        if (r() < 0.25) fb.push(Math.min(5, Math.max(1, Math.round(fbMean + (r() - 0.5) * 2))));
      }
      days.push({
        opened,
        slaTotal: opened,
        slaMet,
        reopened: poisson(r, (opened * 0.04) / 1),
        fb,
        hits: poisson(r, opened * hitRate),
        hours: Math.max(0, (ent * util) / 30 + (r() - 0.5) * 0.4),
      });
    }
    const facts: ContractFacts = {
      ...healthyFacts(),
      contractId: `S${i}`,
      endDate,
      startDate: start,
      entitlementHoursPerMonth: ent,
      monthlyValue: 1000 + Math.floor(r() * 5000),
    };
    const monthOfDay = days.map((_, d) => monthOf(addDays(start, d)));
    return { kind, facts, start, days, endDate, unpaidFrom, monthOfDay };
  }

  function factsAsOf(s: Synthetic, date: string): ContractFacts {
    const months = new Map<string, TicketMonth>();
    const hours = new Map<string, number>();
    const upto = daysBetween(s.start, date);
    for (let d = 0; d <= upto && d < s.days.length; d += 1) {
      const day = s.days[d];
      const m = s.monthOfDay[d];
      if (!day || m === undefined) continue;
      const t = months.get(m) ?? {
        month: m,
        opened: 0,
        p1: 0,
        slaTotal: 0,
        slaMet: 0,
        reopened: 0,
        categories: {},
        feedbackScores: [],
        negativeNoteHits: 0,
      };
      t.opened += day.opened;
      t.slaTotal += day.slaTotal;
      t.slaMet += day.slaMet;
      t.reopened += day.reopened;
      t.feedbackScores.push(...day.fb);
      t.negativeNoteHits += day.hits;
      months.set(m, t);
      hours.set(m, (hours.get(m) ?? 0) + day.hours);
    }
    const overdueDays =
      s.unpaidFrom === null ? 0 : Math.max(0, daysBetween(addDays(s.unpaidFrom, 30), date));
    return {
      ...s.facts,
      tickets: [...months.values()].slice(-24),
      hoursUsedByMonth: [...hours.entries()].slice(-24).map(([month, h]) => ({ month, hours: h })),
      overdueInvoices:
        overdueDays > 0
          ? { count: Math.ceil(overdueDays / 30), amount: 1000, oldestDaysOverdue: overdueDays }
          : { count: 0, amount: 0, oldestDaysOverdue: 0 },
    };
  }

  test('flags churners at least 60 days before their end with precision ≥ 0.8; noise and strain do not flag', () => {
    const r = prng(2025);
    const kinds: Kind[] = [];
    for (let i = 0; i < 36; i += 1)
      kinds.push(i % 3 === 0 ? 'churn' : i % 3 === 1 ? 'single-signal' : 'healthy');
    // Strained contracts from their own stream, so they leave the rest of the portfolio as it was.
    const r2 = prng(14);
    const portfolio = [
      ...kinds.map((k, i) => generate(i, k, r)),
      ...Array.from({ length: 12 }, (_, i) => generate(100 + i, 'strained', r2)),
    ];
    const firstFlag = new Map<string, string>();
    for (const s of portfolio) {
      let previous = { flagged: false };
      for (let date = '2025-01-01'; date <= s.endDate; date = addDays(date, 2)) {
        const res = flagRenewalRisk(factsAsOf(s, date), date, P, previous);
        if (res.flagged && !firstFlag.has(s.facts.contractId))
          firstFlag.set(s.facts.contractId, date);
        previous = { flagged: res.flagged };
      }
    }
    const flagged = portfolio.filter((s) => firstFlag.has(s.facts.contractId));
    const truePositives = flagged.filter((s) => s.kind === 'churn');
    const precision = truePositives.length / Math.max(1, flagged.length);
    const churners = portfolio.filter((s) => s.kind === 'churn');
    const early = churners.filter((s) => {
      const d = firstFlag.get(s.facts.contractId);
      return d !== undefined && daysBetween(d, s.endDate) >= 60;
    });
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(early.length / churners.length).toBeGreaterThanOrEqual(0.8);
    expect(flagged.filter((s) => s.kind === 'healthy' || s.kind === 'strained')).toEqual([]);
  });
});
