/**
 * Churn risk and uplift kept apart: an overrun is an uplift conversation, not a churn signal; strain
 * on the service (more tickets, slower fixes) is not a sign of leaving on its own; no uplift is
 * pitched to a contract in the churn band; an uplift's evidence must persist.
 */
import fc from 'fast-check';
import { churnBand, flagRenewalRisk } from './churn-flagging';
import { type ContractFacts, type TicketMonth } from './contract-facts';
import { editHours, editTickets, FIXTURE_AS_OF, healthyFacts } from './contract-facts.fixture';
import { assessReadiness } from './readiness-score';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';
import { mergeUplift, proposeUplift, withdrawUplift } from './uplift';

const asOf = FIXTURE_AS_OF; // 2025-06-30; the contract ends 2025-12-31
const lastN =
  (n: number) =>
  (_m: string, fromEnd: number): boolean =>
    fromEnd < n;

/** Hours well over the 20 included, for the last `n` months. */
const overrun =
  (n: number) =>
  (f: ContractFacts): ContractFacts =>
    editHours(f, 30, lastN(n));
/** Twice the tickets and 70 % SLA attainment: a busy, strained service. */
const strain =
  (n: number) =>
  (f: ContractFacts): ContractFacts =>
    editTickets(f, () => ({ opened: 20, slaTotal: 20, slaMet: 14 }), lastN(n));
/** Poor feedback and angry notes. */
const souring =
  (n: number) =>
  (f: ContractFacts): ContractFacts =>
    editTickets(f, () => ({ feedbackScores: [2, 2, 3], negativeNoteHits: 8 }), lastN(n));
/** One sour month `n` months back (0 = the latest), clean months either side. */
const sourMonthBack =
  (n: number) =>
  (f: ContractFacts): ContractFacts =>
    editTickets(
      f,
      () => ({ feedbackScores: [2, 2, 3], negativeNoteHits: 8 }),
      (_m, fromEnd) => fromEnd === n,
    );
/** Invoices paid 70 days late, against a client that always paid on time. */
const payingLate =
  (n: number) =>
  (f: ContractFacts): ContractFacts => ({
    ...f,
    paymentLatenessByMonth: f.paymentLatenessByMonth.map((l, i, all) =>
      all.length - 1 - i < n ? { ...l, worstDaysOverdue: 70 } : l,
    ),
  });
/** Twenty-five users in use against twenty billed. */
const underBilled = (f: ContractFacts): ContractFacts => ({
  ...f,
  observedQuantities: [{ item: 'user', qty: 25, source: 'distinct ticket users, 90 days' }],
});

const build = (...steps: Array<(f: ContractFacts) => ContractFacts>): ContractFacts =>
  steps.reduce((f, step) => step(f), healthyFacts());

describe('churn flag: only signals about leaving flag, strain and overrun corroborate at most', () => {
  test.each([
    { label: 'a healthy contract', flagged: false, inBand: false, facts: build() },
    {
      label: 'an overrunning, renewing client: hours over, tickets up, SLA strained',
      flagged: false,
      inBand: false,
      facts: build(overrun(6), strain(2)),
    },
    {
      label: 'ticket volume up and SLA strained, no overrun',
      flagged: false,
      inBand: false,
      facts: build(strain(2)),
    },
    {
      label: 'ticket volume and SLA strain for six months, no overrun',
      flagged: false,
      inBand: false,
      facts: build(strain(6)),
    },
    {
      label: 'an overrunning client with nothing else',
      flagged: false,
      inBand: false,
      facts: build(overrun(6)),
    },
    {
      label: 'an overrunning client whose sentiment sours as the service strains',
      flagged: true,
      inBand: true,
      facts: build(overrun(6), strain(2), souring(2)),
    },
    {
      label: 'a client whose service and scores have always been mediocre',
      flagged: false,
      inBand: false,
      facts: editTickets(build(), () => ({
        opened: 20,
        slaTotal: 20,
        slaMet: 11,
        feedbackScores: [2, 3, 2, 3],
      })),
    },
    {
      label: 'sentiment souring and late payment',
      flagged: true,
      inBand: true,
      facts: build(souring(2), payingLate(2)),
    },
    {
      label: 'sentiment souring under strain, no overrun',
      flagged: true,
      inBand: true,
      facts: build(strain(2), souring(2)),
    },
    {
      label: 'one sour month, the latest: noise, no flag; the band holds a pitch while it lasts',
      flagged: false,
      inBand: true,
      facts: build(souring(1)),
    },
    {
      label: 'one sour month followed by clean ones: neither a flag nor the band',
      flagged: false,
      inBand: false,
      facts: build(sourMonthBack(2)),
    },
    {
      label: 'sentiment sour two months, nothing to corroborate it: no flag, but the band',
      flagged: false,
      inBand: true,
      facts: build(souring(2)),
    },
    {
      label:
        'sentiment at its full level for a quarter, nothing to corroborate it: sustained, flagged',
      flagged: true,
      inBand: true,
      facts: build(souring(3)),
    },
    {
      label: 'sentiment sour for a quarter but not at its full level every month: the band only',
      flagged: false,
      inBand: true,
      facts: editTickets(build(souring(3)), () => ({ feedbackScores: [4, 3, 4] }), lastN(1)),
    },
    {
      label: 'disengaging: hours collapse to a tenth of the usual two months running',
      flagged: false,
      inBand: true,
      facts: editHours(build(), 1.6, lastN(2)),
    },
  ])('$label → flagged $flagged, churn band $inBand', ({ facts, flagged, inBand }) => {
    const flag = flagRenewalRisk(facts, asOf, P);
    expect(flag.flagged).toBe(flagged);
    expect(churnBand(flag, P).inBand).toBe(inBand);
  });

  test('a quiet ten days (2 h against a usual 16 h a month) is within noise, not disengagement', () => {
    const facts = editHours(build(), 2, (m) => m === '2025-06');
    const flag = flagRenewalRisk(facts, '2025-06-10', P);
    expect(flag.evaluations[0]?.month).toBe('2025-06');
    expect(flag.evaluations[0]?.judged['low-utilisation']).toBe(true);
    expect(flag.evaluations[0]?.strengths['low-utilisation']).toBe(0);
    // The same 2 h over the whole month is a collapse.
    const month = flagRenewalRisk(facts, asOf, P);
    expect(month.evaluations[0]?.strengths['low-utilisation']).toBeGreaterThan(0);
  });

  test('an overrun month explains its extra tickets: ticket volume is no cause of the flag', () => {
    const flag = flagRenewalRisk(build(overrun(6), strain(2), souring(2)), asOf, P);
    expect(flag.causes).toContain('sentiment');
    expect(flag.causes).not.toContain('ticket-volume');
    expect(flag.evaluations[0]?.judged['ticket-volume']).toBe(true);
    expect(flag.evaluations[0]?.strengths['ticket-volume']).toBe(0);
    expect(flag.explanation).toContain('Feedback');
  });

  test('without the overrun the same ticket rise is strain evidence that corroborates', () => {
    const flag = flagRenewalRisk(build(strain(2), souring(2)), asOf, P);
    expect(flag.causes).toEqual(expect.arrayContaining(['sentiment', 'ticket-volume']));
  });

  test('hysteresis holds on evidence: a flagged contract whose strain continues but whose client is content again clears', () => {
    const recovered = editTickets(
      build(strain(6), souring(3)),
      () => ({ feedbackScores: [5, 5, 5], negativeNoteHits: 0 }),
      lastN(1),
    );
    expect(flagRenewalRisk(recovered, asOf, P, { flagged: true }).flagged).toBe(false);
    // The same latest month still sour: held.
    expect(flagRenewalRisk(build(strain(6), souring(1)), asOf, P, { flagged: true }).flagged).toBe(
      true,
    );
  });
});

describe('uplift: never pitched in the churn band, and only on persisting evidence', () => {
  test.each([
    {
      label: 'an overrunning, renewing client',
      kinds: ['service-overrun'],
      facts: build(overrun(4), strain(4)),
    },
    { label: 'an under-billed healthy client', kinds: ['under-scoped'], facts: build(underBilled) },
    {
      label: 'a client in the churn band (flagged)',
      kinds: [],
      facts: build(overrun(4), underBilled, souring(2), payingLate(2)),
    },
    {
      label: 'a client in the churn band (sentiment sour two months, not flagged)',
      kinds: [],
      facts: build(overrun(4), souring(2)),
    },
    {
      label: 'a client unhappy this month (not flagged; pitched once a clean month follows)',
      kinds: [],
      facts: build(overrun(4), souring(1)),
    },
    {
      label: 'a client with one sour month two months ago (noise: not in the band)',
      kinds: ['service-overrun'],
      facts: build(overrun(4), sourMonthBack(2)),
    },
    { label: 'a one-month overrun spike', kinds: [], facts: build(overrun(1)) },
    { label: 'a spike straddling two months', kinds: [], facts: build(overrun(2)) },
  ])('$label → proposes $kinds', ({ facts, kinds }) => {
    const band = churnBand(flagRenewalRisk(facts, asOf, P), P);
    const proposal = proposeUplift(facts, asOf, P, band);
    expect(proposal.opportunities.map((o) => o.kind)).toEqual(kinds);
  });

  test('a withheld uplift says why, in signal terms', () => {
    const facts = build(overrun(4), souring(2), payingLate(2));
    const band = churnBand(flagRenewalRisk(facts, asOf, P), P);
    const proposal = proposeUplift(facts, asOf, P, band);
    expect(proposal.withheld).toMatch(/^Uplift withheld: churn flagged \(.*sentiment/);
  });

  test('a proposal is withdrawn when the contract enters the band, and proposed again once it has left', () => {
    const before = build(overrun(4));
    const first = mergeUplift(
      [],
      proposeUplift(before, asOf, P, { inBand: false, reason: null }).opportunities,
    );
    expect(first.newlyProposed.map((o) => o.kind)).toEqual(['service-overrun']);

    const souredBand = churnBand(flagRenewalRisk(build(overrun(4), souring(2)), asOf, P), P);
    const withdrawn = withdrawUplift(first.opportunities, souredBand, asOf);
    expect(withdrawn.withdrawn.map((o) => o.status)).toEqual(['withdrawn']);

    const again = mergeUplift(
      withdrawn.opportunities,
      proposeUplift(before, '2025-07-31', P, { inBand: false, reason: null }).opportunities,
    );
    expect(again.newlyProposed.map((o) => o.status)).toEqual(['proposed']);
  });

  test('decided opportunities keep their answer when the contract enters the band', () => {
    const band = { inBand: true, reason: 'churn flagged (sentiment)' };
    const accepted = mergeUplift(
      [],
      proposeUplift(build(overrun(4)), asOf, P, { inBand: false, reason: null }).opportunities,
    ).opportunities.map((o) => ({ ...o, status: 'accepted' as const }));
    expect(withdrawUplift(accepted, band, asOf).withdrawn).toEqual([]);
  });
});

describe('readiness: growth in use above the entitlement is not a readiness risk', () => {
  test('the ticket rise costs points without an overrun and none with one', () => {
    const trend = (f: ContractFacts) =>
      assessReadiness(f, asOf, P).drivers.find((d) => d.key === 'ticketTrend');
    const strained = trend(build(strain(3)));
    const grown = trend(build(strain(3), overrun(3)));
    expect(strained?.contribution).toBeGreaterThan(0);
    expect(grown?.value).toBe(strained?.value);
    expect(grown?.contribution).toBe(0);
    expect(grown?.level).toBe('ok');
    expect(grown?.explanation).toContain('growth in use');
  });
});

describe('properties', () => {
  /** A month of random service: volume, SLA, sentiment and payment each clean or bad. */
  const month = fc.record({
    opened: fc.integer({ min: 4, max: 40 }),
    slaShare: fc.double({ min: 0.4, max: 1, noNaN: true }),
    feedback: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 4 }),
    hits: fc.integer({ min: 0, max: 12 }),
    late: fc.integer({ min: 0, max: 100 }),
    hours: fc.integer({ min: 0, max: 40 }),
  });
  const history = fc.array(month, { minLength: 12, maxLength: 12 });
  const apply = (
    ms: ReadonlyArray<{
      opened: number;
      slaShare: number;
      feedback: number[];
      hits: number;
      late: number;
      hours: number;
    }>,
    opts: { leaving: boolean; hours: 'random' | 'over' },
  ): ContractFacts => {
    const base = healthyFacts();
    const k = base.tickets.length - ms.length;
    const tickets: TicketMonth[] = base.tickets.map((t, i) => {
      const m = ms[i - k];
      if (!m) return t;
      return {
        ...t,
        opened: m.opened,
        slaTotal: m.opened,
        slaMet: Math.round(m.opened * m.slaShare),
        ...(opts.leaving ? { feedbackScores: m.feedback, negativeNoteHits: m.hits } : {}),
      };
    });
    return {
      ...base,
      tickets,
      hoursUsedByMonth: base.hoursUsedByMonth.map((h, i) => {
        const m = ms[i - k];
        if (!m) return h;
        return { ...h, hours: opts.hours === 'over' ? 30 + m.hours : m.hours };
      }),
      paymentLatenessByMonth: base.paymentLatenessByMonth.map((l, i) => {
        const m = ms[i - k];
        return m && opts.leaving ? { ...l, worstDaysOverdue: m.late } : l;
      }),
    };
  };

  test('the random histories reach flags and the band (so the properties below are not vacuous)', () => {
    const samples = fc.sample(history, { numRuns: 150, seed: 14 });
    const flags = samples.map((ms) =>
      flagRenewalRisk(apply(ms, { leaving: true, hours: 'random' }), asOf, P),
    );
    expect(flags.filter((f) => f.flagged).length).toBeGreaterThan(0);
    expect(flags.filter((f) => !churnBand(f, P).inBand).length).toBeGreaterThan(0);
  });

  test('strain alone — any ticket volume and SLA history, content client paying on time, hours over — never flags', () => {
    fc.assert(
      fc.property(history, (ms) => {
        const facts = apply(ms, { leaving: false, hours: 'over' });
        expect(flagRenewalRisk(facts, asOf, P).flagged).toBe(false);
        expect(churnBand(flagRenewalRisk(facts, asOf, P), P).inBand).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test('using more than the entitlement never turns an unflagged contract flagged', () => {
    fc.assert(
      fc.property(history, (ms) => {
        const random = flagRenewalRisk(apply(ms, { leaving: true, hours: 'random' }), asOf, P);
        const over = flagRenewalRisk(apply(ms, { leaving: true, hours: 'over' }), asOf, P);
        expect(over.flagged && !random.flagged).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test('whatever the history, an uplift is never proposed to a contract in the churn band', () => {
    fc.assert(
      fc.property(history, fc.boolean(), (ms, over) => {
        const facts = underBilled(apply(ms, { leaving: true, hours: over ? 'over' : 'random' }));
        const band = churnBand(flagRenewalRisk(facts, asOf, P), P);
        const proposal = proposeUplift(facts, asOf, P, band);
        if (band.inBand) expect(proposal.opportunities).toEqual([]);
        else expect(proposal.opportunities.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
