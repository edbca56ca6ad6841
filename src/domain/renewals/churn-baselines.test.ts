/**
 * What "usual" means for a contract (issue 14): the churn judgement compares each month with the
 * client's usual month, which a run-up already under way must not redefine, and judges a small
 * client on as many months as make a sample.
 */
import { evaluateMonth, flagRenewalRisk } from './churn-flagging';
import { monthOf } from './contract-facts';
import { editTickets, FIXTURE_AS_OF, healthyFacts } from './contract-facts.fixture';
import { DEFAULT_RENEWAL_POLICY as P } from './renewal-policy';

const asOf = FIXTURE_AS_OF;
const latest = monthOf(asOf);
const lastN =
  (n: number) =>
  (_m: string, fromEnd: number): boolean =>
    fromEnd < n;

/** Sour service: 8 negative notes per 10 tickets, SLA 7 of 10, poor feedback. */
const sour = { negativeNoteHits: 8, slaMet: 7, feedbackScores: [2, 3] };

describe('a run-up already under way does not become the client usual', () => {
  // The baseline is the six months ending two months back: a four-month run-up puts two sour
  // months into it. Pooled, those lift "usual" to meet the run-up (16 notes / 60 tickets, SLA
  // 90 %); the median month stays the client's own (no notes, SLA 100 %).
  test.each([
    ['negative language', 'sentiment'],
    ['SLA attainment', 'service-quality'],
  ] as const)('%s still fires in month four', (_label, family) => {
    const facts = editTickets(healthyFacts(), () => sour, lastN(4));
    const e = evaluateMonth(facts, latest, asOf, P);
    expect(e.strengths[family]).toBeGreaterThan(0);
  });

  test('so the contract stays flagged through the run-up', () => {
    for (const months of [2, 3, 4]) {
      const facts = editTickets(healthyFacts(), () => sour, lastN(months));
      expect(flagRenewalRisk(facts, asOf, P).flagged).toBe(true);
    }
  });

  test('a client whose usual is sour is not flagged for staying so', () => {
    const facts = editTickets(healthyFacts(), () => sour);
    expect(flagRenewalRisk(facts, asOf, P).flagged).toBe(false);
  });
});

describe('a small client is judged on enough months to make a sample', () => {
  // Two tickets a month: one month never holds the five SLA outcomes a judgement needs.
  const small = editTickets(healthyFacts(), () => ({
    opened: 2,
    slaTotal: 2,
    slaMet: 2,
    feedbackScores: [5],
    categories: { Email: 2 },
  }));

  test.each<[string, number, boolean]>([
    ['three months at 1 of 2 within SLA', 3, true],
    ['no miss at all', 0, false],
  ])('%s → service quality fires %p', (_label, months, fires) => {
    const facts = editTickets(small, () => ({ slaMet: 1 }), lastN(months));
    const e = evaluateMonth(facts, latest, asOf, P);
    expect(e.judged['service-quality']).toBe(true);
    expect(e.strengths['service-quality'] > 0).toBe(fires);
  });

  test('a normal-sized client is judged on the month alone: a thin month is not judged', () => {
    // Ten tickets a month usually; the latest month has two, both missed; the month before was bad
    // too. Borrowing that month would count it twice: the thin month stays unjudged instead.
    const facts = editTickets(
      editTickets(healthyFacts(), () => ({ opened: 2, slaTotal: 2, slaMet: 0 }), lastN(1)),
      () => ({ slaMet: 5 }),
      (_m, fromEnd) => fromEnd === 1,
    );
    const e = evaluateMonth(facts, latest, asOf, P);
    expect(e.judged['service-quality']).toBe(false);
  });
});
