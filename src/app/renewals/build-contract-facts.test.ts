import { buildContractFacts, indexRenewalHistory, mainContractOn } from './build-contract-facts';
import type { ContractRow, InvoiceRow, RenewalHistory } from './renewal-history.port';

/**
 * One client with one contract and a ticket a month from January (the first, partly synced month
 * is not reported), and the given invoices.
 */
function history(invoices: InvoiceRow[]): RenewalHistory {
  const months = ['01', '02', '03', '04', '05', '06'];
  return {
    contracts: [
      {
        id: 1,
        clientId: 10,
        clientName: 'Contoso',
        accountManagerAgentId: 5,
        ref: 'MSA-1',
        contractType: 'Managed Services',
        startDate: '2025-01-01',
        endDate: '2025-12-31',
        periodCharge: 1000,
        billingPeriod: 'Monthly',
        costPerPeriod: null,
        hoursPerPeriod: null,
        prepayBalance: null,
      },
    ],
    tickets: months.map((m, i) => ({
      id: i + 1,
      clientId: 10,
      occurredAt: `2025-${m}-05T10:00:00.000Z`,
      priorityId: 3,
      category: 'Email',
      fixByAt: null,
      firstClosedAt: null,
    })),
    reopens: [],
    feedback: [],
    notes: [],
    hours: [],
    invoices,
    billedLines: [],
    observed: [],
    projectRags: [],
    dataQuality: new Map(),
    firstTicketDay: '2025-01-05',
  };
}

const invoice = (invoiceDate: string, dueDate: string, paidOn: string | null): InvoiceRow => ({
  clientId: 10,
  invoiceDate,
  dueDate,
  total: 1000,
  paidOn,
});

function lateness(invoices: InvoiceRow[], asOf: string): Record<string, number> {
  const h = indexRenewalHistory(history(invoices));
  const facts = buildContractFacts(h.contracts.get(1)!, h, asOf)!;
  return Object.fromEntries(facts.paymentLatenessByMonth.map((l) => [l.month, l.worstDaysOverdue]));
}

describe('payment lateness per month, as of a day', () => {
  test('an invoice paid 50 days late shows in each month it was overdue, after it was paid too', () => {
    // Due 1 March, paid 20 April: overdue 31 days at the end of March, 49 days on 19 April.
    const l = lateness([invoice('2025-02-01', '2025-03-01', '2025-04-20')], '2025-06-15');
    expect(l).toEqual({
      '2025-02': 0,
      '2025-03': 30,
      '2025-04': 49,
      '2025-05': 0,
      '2025-06': 0,
    });
  });

  test('as of a day before the payment, the invoice is still unpaid then', () => {
    const l = lateness([invoice('2025-02-01', '2025-03-01', '2025-04-20')], '2025-04-10');
    expect(l['2025-04']).toBe(40);
    expect(Object.keys(l)).toEqual(['2025-02', '2025-03', '2025-04']);
  });

  test('invoices paid on time, and invoices not yet issued, show no lateness', () => {
    const l = lateness(
      [
        invoice('2025-02-01', '2025-03-01', '2025-02-25'),
        invoice('2025-07-01', '2025-07-31', null),
      ],
      '2025-06-30',
    );
    expect(Object.values(l).every((d) => d === 0)).toBe(true);
  });

  test('no invoice issued yet: no payment history at all', () => {
    expect(lateness([invoice('2025-07-01', '2025-07-31', null)], '2025-06-30')).toEqual({});
  });
});

describe("the client's main contract on a day", () => {
  const row = (id: number, patch: Partial<ContractRow>): ContractRow => ({
    id,
    clientId: 1,
    clientName: 'Contoso',
    accountManagerAgentId: null,
    ref: `C-${id}`,
    contractType: 'Managed',
    startDate: '2025-01-01',
    endDate: '2025-12-31',
    periodCharge: 1000,
    billingPeriod: 'monthly',
    costPerPeriod: null,
    hoursPerPeriod: null,
    prepayBalance: null,
    ...patch,
  });
  const msa = row(1, { periodCharge: 4000 });
  const backup = row(2, { periodCharge: 300, endDate: '2026-12-31' });
  const successor = row(3, { periodCharge: 4800, startDate: '2026-01-01', endDate: '2026-12-31' });

  test.each<[string, string, number | null]>([
    ['the larger recurring charge while both run', '2025-06-01', 1],
    ['the successor once the old term has ended', '2026-02-01', 3],
    ['nobody before any contract started', '2024-06-01', null],
  ])('%s (%s) → %p', (_label, day, expected) => {
    expect(mainContractOn([msa, backup, successor], day)).toBe(expected);
  });

  test('a yearly charge is compared per month; ties go to the contract ending first', () => {
    const yearly = row(4, { periodCharge: 12_000, billingPeriod: 'yearly', endDate: '2025-09-30' });
    expect(mainContractOn([row(5, { periodCharge: 1000 }), yearly], '2025-06-01')).toBe(4);
  });
});
