import { anEscalation } from '../../../tests/support/escalations';
import type { Escalation, EscalationDecision } from '../../domain/delivery/escalation';
import { assessProject } from '../../domain/delivery/health-score';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicyConfig } from '../../domain/delivery/policy';
import { referenceFacts } from '../../domain/delivery/testing/facts-builder';
import type { DeliveryStore, DeliveryUnitOfWork, OpenEscalationWatch } from './delivery-store.port';
import { RunEscalationSla } from './run-escalation-sla';

const OPENED = '2026-11-23T09:00:00.000Z';
const assessment = assessProject(
  referenceFacts({ projectId: '501', clientId: '7' }),
  DEFAULT_DELIVERY_POLICY,
);

function escalation(patch: Partial<Escalation> = {}): Escalation {
  return anEscalation({
    openedAt: OPENED,
    severity: 'high',
    ownerAgentId: '40',
    acknowledgeBy: '2026-11-23T13:00:00.000Z',
    incidentCommander: true,
    lastValue: 0.3,
    lastScore: 40,
    ...patch,
  });
}

/** The escalations table in memory; a unit of work reads the current row, as the lock would. */
class InMemoryEscalations implements Pick<
  DeliveryStore,
  'currentPolicy' | 'unacknowledgedEscalations' | 'inTransaction'
> {
  rows = new Map<string, Escalation>();
  applied: EscalationDecision[] = [];
  config: DeliveryPolicyConfig | null = null;
  /** What a concurrent action did between the watch list and the lock. */
  meanwhile: ((e: Escalation) => Escalation) | null = null;

  async currentPolicy() {
    return this.config;
  }
  async unacknowledgedEscalations(): Promise<OpenEscalationWatch[]> {
    return [...this.rows.values()]
      .filter((e) => e.status === 'open' && e.reescalatedAt === null)
      .map((e) => ({ escalation: e, assessment, projectType: 'implementation' }));
  }
  async inTransaction<T>(work: (uow: DeliveryUnitOfWork) => Promise<T>): Promise<T> {
    return work({
      saveSnapshot: async () => undefined,
      applyDecision: async (d) => {
        this.applied.push(d);
        this.rows.set(d.escalation.id, d.escalation);
      },
      lockEscalation: async (id) => {
        const current = this.rows.get(id) ?? null;
        if (current && this.meanwhile) this.rows.set(id, this.meanwhile(current));
        return this.rows.get(id) ?? null;
      },
    });
  }
}

function setUp(at: string) {
  const store = new InMemoryEscalations();
  store.rows.set(escalation().id, escalation());
  const sla = new RunEscalationSla({
    store,
    clock: { now: () => new Date(at) },
    owners: { deliveryDirectorAgentId: 'dd1', incidentCommanderAgentId: 'ic1' },
  });
  return { store, sla };
}

describe('RunEscalationSla', () => {
  test('before acknowledge-by + delay it re-escalates nothing', async () => {
    const { store, sla } = setUp('2026-11-23T16:59:00.000Z');
    expect(await sla.run()).toEqual({ watched: 1, reescalated: [] });
    expect(store.applied).toEqual([]);
  });

  test('at acknowledge-by + delay it re-escalates to the delivery director, once', async () => {
    const { store, sla } = setUp('2026-11-23T17:00:00.000Z');

    expect((await sla.run()).reescalated).toEqual([escalation().id]);
    expect(await sla.run()).toEqual({ watched: 0, reescalated: [] });

    expect(store.applied.map((d) => [d.kind, d.notification.recipientAgentId])).toEqual([
      ['re-escalate', 'dd1'],
    ]);
  });

  test('the tenant policy sets the delay: 1 h instead of 4 h re-escalates at 14:00', async () => {
    const { store, sla } = setUp('2026-11-23T14:00:00.000Z');
    store.config = {
      default: { ...DEFAULT_DELIVERY_POLICY, reescalateAfterHours: { low: 1, medium: 1, high: 1 } },
      byProjectType: {},
      byClient: {},
    };
    expect((await sla.run()).reescalated).toHaveLength(1);
  });

  test('an acknowledgement that lands before the lock wins', async () => {
    const { store, sla } = setUp('2026-11-23T18:00:00.000Z');
    store.meanwhile = (e) => ({ ...e, status: 'acknowledged', acknowledgedBy: '40' });
    expect((await sla.run()).reescalated).toEqual([]);
    expect(store.applied).toEqual([]);
  });
});
