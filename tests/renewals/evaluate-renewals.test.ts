import { EvaluateRenewals } from '../../src/app/renewals/evaluate-renewals';
import type {
  RenewalHistory,
  RenewalHistoryReader,
} from '../../src/app/renewals/renewal-history.port';
import { DEFAULT_RENEWAL_POLICY, addMonths } from '../../src/domain/renewals';
import { FakeClock } from '../bot/fakes';
import { CountingSignal, fakeRenewalPorts } from './renewal-fakes';

const AS_OF = '2026-06-30';

/**
 * One managed-services client over a year: 12 tickets a month fixed within SLA, hours over the
 * 20 included in the last five months, 25 users against 20 billed (two uplifts). When `leaving`,
 * its last two months turn sour (poor feedback, angry notes) and its last three invoices are paid
 * 70 days late (or not yet).
 */
function history(leaving: boolean, paysLate = leaving): RenewalHistory {
  const h: RenewalHistory = {
    contracts: [
      {
        id: 1,
        clientId: 5,
        clientName: 'Contoso',
        accountManagerAgentId: 7,
        ref: 'MSA-1',
        contractType: 'Managed Services',
        startDate: '2025-01-01',
        endDate: '2026-12-31',
        periodCharge: 2000,
        billingPeriod: 'Monthly',
        costPerPeriod: 1200,
        hoursPerPeriod: 20,
        prepayBalance: null,
      } as RenewalHistory['contracts'][number],
    ],
    tickets: [],
    reopens: [],
    feedback: [],
    notes: [],
    hours: [],
    invoices: [],
    billedLines: [{ contractId: 1, description: 'Managed User', qty: 20, unitPrice: 100 }],
    observed: [{ clientId: 5, item: 'user', qty: 25, source: 'client user count' }],
    projectRags: [],
    dataQuality: new Map(),
    firstTicketDay: '2025-01-02',
  };
  let id = 1;
  for (let i = 17; i >= 0; i -= 1) {
    const month = addMonths('2026-06', -i);
    const sour = leaving && i < 2;
    for (let d = 1; d <= 12; d += 1) {
      const day = `${month}-${String(d + 2).padStart(2, '0')}`;
      h.tickets.push({
        id: id++,
        clientId: 5,
        occurredAt: `${day}T09:00:00Z`,
        priorityId: 3,
        category: `Category ${d % 4}`,
        fixByAt: `${day}T17:00:00Z`,
        firstClosedAt: `${day}T12:00:00Z`,
      });
      if (d % 4 === 0)
        h.feedback.push({ clientId: 5, at: `${day}T15:00:00Z`, score: sour ? 2 : 5 });
      h.notes.push({
        clientId: 5,
        at: `${day}T10:00:00Z`,
        text: sour
          ? `Still not fixed, ticket ${id}. This is unacceptable, very disappointed.`
          : `Thanks, ticket ${id}.`,
      });
    }
    h.hours.push({ contractId: 1, day: `${month}-15`, hours: i < 5 ? 30 : 16 });
    const paid = paysLate && i < 3 ? 70 : 5;
    h.invoices.push({
      clientId: 5,
      invoiceDate: `${month}-01`,
      dueDate: `${month}-01`,
      total: 2000,
      paidOn: new Date(Date.parse(`${month}-01`) + paid * 86_400_000).toISOString().slice(0, 10),
    });
  }
  return h;
}

async function evaluate(leaving: boolean, paysLate = leaving) {
  const { ports, uow } = fakeRenewalPorts();
  // One client, so one scope: the whole history.
  const reader: RenewalHistoryReader = {
    load: async () => history(leaving, paysLate),
    scopes: async () => [{ clientIds: [], withoutClient: true }],
  };
  const evaluation = new EvaluateRenewals({
    store: ports,
    uow,
    history: reader,
    pilot: {
      pilot: async () =>
        ({
          automations: { renewals: true },
          shadowMode: false,
          scopeEnabled: false,
        }) as never,
    },
    tenantId: 't',
    clock: new FakeClock(`${AS_OF}T06:00:00Z`),
    policy: DEFAULT_RENEWAL_POLICY,
    outboxChanged: new CountingSignal(),
  });
  const report = await evaluation.run({ asOf: AS_OF });
  return { report, ports };
}

describe('EvaluateRenewals: uplift and the churn band', () => {
  test('a content, overrunning, under-billed client is proposed both uplifts', async () => {
    const { report, ports } = await evaluate(false);
    expect(report.flagged).toEqual([]);
    expect(report.upliftWithheld).toEqual([]);
    expect(ports.uplift.rows.map((o) => o.kind).sort()).toEqual([
      'service-overrun',
      'under-scoped',
    ]);
  });

  test('the same client turning sour and paying late is flagged and proposed nothing, saying why', async () => {
    const { report, ports } = await evaluate(true);
    expect(report.flagged).toEqual([1]);
    expect(ports.uplift.rows).toEqual([]);
    expect(report.upliftProposed).toEqual([]);
    expect(report.upliftWithheld).toHaveLength(1);
    expect(report.upliftWithheld[0]?.reason).toMatch(/^Uplift withheld: churn flagged \(/);
  });

  test('souring alone, not yet a flag, already holds the pitch back', async () => {
    const { report, ports } = await evaluate(true, false);
    expect(report.flagged).toEqual([]);
    expect(ports.uplift.rows).toEqual([]);
    expect(report.upliftWithheld[0]?.reason).toMatch(
      /^Uplift withheld: leaving signals: Feedback 2\/5/,
    );
  });
});
