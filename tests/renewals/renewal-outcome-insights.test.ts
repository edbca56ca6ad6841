/** Stored renewal outcomes feeding the insights: GRR, the outcome counts and governance overrides. */
import { RenewalInsights, mrrMovements } from '../../src/app/renewals/renewal-insights';
import type { CheckpointRow } from '../../src/app/renewals/renewal-checkpoints.port';
import type { RenewalOutcomeRow } from '../../src/app/renewals/renewal-outcomes.port';
import { DEFAULT_RENEWAL_POLICY } from '../../src/domain/renewals';
import { fakeRenewalPorts } from './renewal-fakes';

const outcome = (over: Partial<RenewalOutcomeRow>): RenewalOutcomeRow => ({
  contractId: 1,
  endDate: '2026-04-30',
  outcome: 'renewed',
  evidence: 'successor',
  decidedOn: '2026-05-01',
  successorContractId: null,
  newEndDate: null,
  startingMrr: 1000,
  endingMrr: 1000,
  readiness: [],
  recordedAt: '2026-05-01T06:30:00.000Z',
  ...over,
});

const override = (contractId: number, ownerCall: string): Omit<CheckpointRow, 'id'> => ({
  contractId,
  stage: '60',
  meetingOn: '2026-03-10',
  notes: 'Review',
  ownerCall,
  score: 70,
  band: 'healthy',
  disagrees: true,
  routedTo: 'cs_lead',
  loggedBy: { name: 'Alex', email: null, aadObjectId: null },
  loggedAt: '2026-03-10T10:00:00.000Z',
});

describe('renewal outcomes in the insights', () => {
  test('a contract made inactive counts as churned in GRR once its outcome is stored', () => {
    const terms = [
      {
        ...{ contractId: 1, clientId: 1, contractType: 'MS', startDate: '2025-01-01' },
        ...{ endDate: '2026-12-31', periodCharge: 1000, billingPeriod: 'Monthly' },
      },
    ];
    expect(mrrMovements(terms, '2025-06-01', '2026-06-01')[0]?.churned).toBe(false);
    const churned = [{ contractId: 1, outcome: 'churned' as const, decidedOn: '2026-05-20' }];
    expect(mrrMovements(terms, '2025-06-01', '2026-06-01', churned)[0]).toMatchObject({
      churned: true,
      endingMrr: 0,
    });
    // Decided after the period's end: not yet.
    expect(mrrMovements(terms, '2025-06-01', '2026-05-10', churned)[0]?.churned).toBe(false);
  });

  test('governance overrides are resolved by the outcome of their contract; a lower renewal is a contraction', async () => {
    const { ports } = fakeRenewalPorts();
    for (const [id, call] of [
      [1, 'churn'],
      [2, 'at-risk'],
      [3, 'renew'],
      [4, 'churn'],
    ] as const) {
      await ports.checkpoints.addCheckpoint({ ...override(id, call) });
    }
    await ports.outcomes.recordOutcome(
      outcome({ contractId: 1, outcome: 'churned', endingMrr: 0 }),
    );
    await ports.outcomes.recordOutcome(outcome({ contractId: 2, endingMrr: 800 }));
    await ports.outcomes.recordOutcome(outcome({ contractId: 3 }));
    // Contract 4 is decided in June: still pending in the May review.
    await ports.outcomes.recordOutcome(
      outcome({ contractId: 4, outcome: 'churned', decidedOn: '2026-06-02' }),
    );
    const insights = new RenewalInsights(ports, DEFAULT_RENEWAL_POLICY);
    const review = await insights.governance('2026-05');
    // Owners: 1 pessimistic and churned (right), 2 pessimistic and contracted (right), 3 optimistic
    // and renewed (right); 4 unresolved.
    expect(review.overrides).toEqual({ total: 4, resolved: 3, ownerRightRate: 1 });
    const june = await insights.governance('2026-06');
    expect(june.overrides).toMatchObject({ total: 4, resolved: 4 });
  });

  test('the KPI view counts outcomes decided in its twelve months', async () => {
    const { ports } = fakeRenewalPorts();
    await ports.outcomes.recordOutcome(outcome({ contractId: 1, outcome: 'churned' }));
    await ports.outcomes.recordOutcome(outcome({ contractId: 2 }));
    await ports.outcomes.recordOutcome(outcome({ contractId: 3, decidedOn: '2025-01-01' }));
    const view = await new RenewalInsights(ports, DEFAULT_RENEWAL_POLICY).kpis('2026-06-01');
    expect(view.outcomes).toEqual({ renewed: 1, churned: 1 });
  });
});
