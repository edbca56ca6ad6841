import { testDatabases } from '../../../tests/support/databases';
import { DEFAULT_DELIVERY_POLICY } from '../../domain/delivery/policy';
import { SqlDeliveryStore } from '../../store/delivery.repository';
import { saveDeliveryPolicy } from './delivery-policy-settings';

const now = () => new Date('2026-11-23T09:00:00Z');

describe.each(testDatabases())('delivery policy settings on $name', (target) => {
  test('a valid policy set becomes the next version; an invalid one is refused with every problem', async () => {
    const handle = await target.open();
    try {
      const store = new SqlDeliveryStore(handle.db, 't1', { now });
      const valid = {
        default: DEFAULT_DELIVERY_POLICY,
        byProjectType: {},
        byClient: { '7': { persistenceDays: 5 } },
      };
      expect(await saveDeliveryPolicy(store, valid, 'pmo-lead')).toEqual({ ok: true, version: 1 });
      expect(await saveDeliveryPolicy(store, valid, 'pmo-lead')).toEqual({ ok: true, version: 2 });

      const invalid = {
        default: { ...DEFAULT_DELIVERY_POLICY, burn: { amber: 0.3, red: 0.1, backToGreen: 0.5 } },
        byProjectType: {},
        byClient: {},
      };
      const refused = await saveDeliveryPolicy(store, invalid, 'pmo-lead');
      expect(refused.ok).toBe(false);
      expect(refused.ok ? [] : refused.problems.join('\n')).toMatch(/burn/);
      const current = await store.currentPolicy();
      expect(current?.default.version).toBe(2);
      expect(current?.byClient['7']).toEqual({ persistenceDays: 5 });
    } finally {
      await handle.dispose();
    }
  });
});
