import { DeliveryKpis } from './delivery-kpis';
import type { DeliveryHistory } from '../../domain/delivery/delivery-history';
import { InMemoryDeliveryHistory } from '../../../tests/support/in-memory-delivery-history';

const EMPTY: DeliveryHistory = {
  projects: [],
  milestones: [],
  tasks: [],
  statusChanges: [],
  effort: [],
  statusNames: new Map(),
  dataQuality: new Map(),
  dataAsOf: null,
};

describe('DeliveryKpis', () => {
  test('answers the asked number of ISO weeks, oldest first, ending with the current week', async () => {
    const history = new InMemoryDeliveryHistory(EMPTY);
    const clock = { now: () => new Date('2026-01-08T10:00:00Z') }; // a Thursday
    const kpis = await new DeliveryKpis(history, clock).run('t1', 3);
    expect([...history.tenantsRead]).toEqual(['t1']);
    expect(kpis.weeks).toHaveLength(3);
    expect(kpis.generatedAt).toBe('2026-01-08T10:00:00.000Z');
    expect(kpis.weeks.map((w) => w.week)).toEqual(['2025-W52', '2026-W01', '2026-W02']);
  });
});
