/**
 * Test fixtures for the renewal domain: a healthy contract as of a month end, and helpers to
 * reshape its monthly history. Used only by the colocated tests.
 */
import {
  addMonths,
  monthOf,
  type ContractFacts,
  type MonthKey,
  type TicketMonth,
} from './contract-facts';

/** The fixtures' default as-of day (a month end, so every month is complete). */
export const FIXTURE_AS_OF = '2025-06-30';

/** A healthy month: 10 tickets, all within SLA, no P1, no reopens, good feedback. */
export function healthyMonth(month: MonthKey): TicketMonth {
  return {
    month,
    opened: 10,
    p1: 0,
    slaTotal: 10,
    slaMet: 10,
    reopened: 0,
    categories: { Network: 4, Email: 3, Printing: 3 },
    feedbackScores: [5, 5],
    negativeNoteHits: 0,
  };
}

/** The `n` months ending with the month of `asOf`, oldest first. */
export function monthsEnding(asOf: string, n: number): MonthKey[] {
  const last = monthOf(asOf);
  return Array.from({ length: n }, (_, i) => addMonths(last, i - n + 1));
}

/** A healthy, complete contract as of {@link FIXTURE_AS_OF} with 24 months of history. */
export function healthyFacts(overrides: Partial<ContractFacts> = {}): ContractFacts {
  const months = monthsEnding(FIXTURE_AS_OF, 24);
  return {
    contractId: 'C1',
    clientId: 'K1',
    clientName: 'Contoso',
    accountManagerAgentId: 'am-1',
    ref: 'MSA-1',
    contractType: 'Managed Services',
    startDate: '2023-07-01',
    endDate: '2025-12-31',
    monthlyValue: 2000,
    monthlyCost: 1200,
    entitlementHoursPerMonth: 20,
    prepayBalance: null,
    tickets: months.map(healthyMonth),
    hoursUsedByMonth: months.map((month) => ({ month, hours: 16 })),
    billedQuantities: [{ item: 'user', qty: 20, unitPrice: 50 }],
    observedQuantities: [{ item: 'user', qty: 20, source: 'distinct ticket users, 90 days' }],
    overdueInvoices: { count: 0, amount: 0, oldestDaysOverdue: 0 },
    paymentLatenessByMonth: months.map((month) => ({ month, worstDaysOverdue: 0 })),
    projectHealth: null,
    mainForClient: true,
    dataQualityIssues: [],
    ...overrides,
  };
}

/** Apply `f` to the ticket months of `facts` for which `when(month, indexFromEnd)` holds. */
export function editTickets(
  facts: ContractFacts,
  f: (t: TicketMonth) => Partial<TicketMonth>,
  when: (month: MonthKey, fromEnd: number) => boolean = () => true,
): ContractFacts {
  const n = facts.tickets.length;
  return {
    ...facts,
    tickets: facts.tickets.map((t, i) => (when(t.month, n - 1 - i) ? { ...t, ...f(t) } : t)),
  };
}

/** Replace the hours of the months for which `when(month, indexFromEnd)` holds. */
export function editHours(
  facts: ContractFacts,
  hours: number,
  when: (month: MonthKey, fromEnd: number) => boolean = () => true,
): ContractFacts {
  const n = facts.hoursUsedByMonth.length;
  return {
    ...facts,
    hoursUsedByMonth: facts.hoursUsedByMonth.map((h, i) =>
      when(h.month, n - 1 - i) ? { ...h, hours } : h,
    ),
  };
}
