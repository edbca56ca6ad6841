import type { KpiSnapshot } from '../../domain/reporting/kpi-progress';
import { defaultPilot } from '../settings/settings-views';
import { CaptureKpiSnapshots } from './capture-kpi-snapshots';
import type { KpiFamily, KpiSnapshotStore } from './kpi-snapshots.port';
import { ReadKpiProgress } from './kpi-progress-view';

class MemoryKpiSnapshots implements KpiSnapshotStore {
  rows: Record<KpiFamily, Map<string, KpiSnapshot>> = { renewal: new Map(), delivery: new Map() };
  baselines = new Map<string, KpiSnapshot>();
  async saveSnapshot(family: KpiFamily, snapshot: KpiSnapshot) {
    this.rows[family].set(snapshot.capturedOn, snapshot);
  }
  async snapshots(family: KpiFamily) {
    return [...this.rows[family].values()].sort((a, b) => a.capturedOn.localeCompare(b.capturedOn));
  }
  async baseline(family: KpiFamily, key: string) {
    return this.baselines.get(`${family}:${key}`) ?? null;
  }
  async freezeBaseline(family: KpiFamily, key: string, snapshot: KpiSnapshot) {
    if (this.baselines.has(`${family}:${key}`)) return false;
    this.baselines.set(`${family}:${key}`, snapshot);
    return true;
  }
}

describe('the daily KPI capture', () => {
  const setup = (startsOn: string | null) => {
    const store = new MemoryKpiSnapshots();
    let value = 0.5;
    const pilot = { pilot: async () => ({ ...defaultPilot(), startsOn }) };
    const capture = new CaptureKpiSnapshots({
      tenantId: 't',
      store,
      pilot,
      clock: { now: () => new Date('2026-03-01T07:00:00Z') },
      sources: {
        delivery: async () => ({ values: { onTimeMilestoneRate: value }, detail: {} }),
        renewal: async () => ({ values: { grr: value }, detail: {} }),
      },
    });
    const read = new ReadKpiProgress({ tenantId: 't', store, pilot });
    return { store, capture, read, set: (v: number) => (value = v) };
  };

  test('stores each day once and freezes the first snapshot on or after the pilot start', async () => {
    const { store, capture, read, set } = setup('2026-03-02');
    expect((await capture.run({ asOf: '2026-03-01' })).frozen).toEqual([]);
    set(0.6);
    expect((await capture.run({ asOf: '2026-03-02' })).frozen).toEqual([
      { family: 'delivery', capturedOn: '2026-03-02' },
      { family: 'renewal', capturedOn: '2026-03-02' },
    ]);
    set(0.9);
    // A second run on the same day replaces the day's values, never the frozen baseline.
    await capture.run({ asOf: '2026-03-02' });
    expect((await capture.run({ asOf: '2026-03-03' })).frozen).toEqual([]);
    expect(store.rows.delivery.size).toBe(3);
    const progress = await read.run('delivery');
    expect(progress.baseline).toEqual({
      capturedOn: '2026-03-02',
      values: { onTimeMilestoneRate: 0.6 },
    });
    expect(progress.now?.values.onTimeMilestoneRate).toBe(0.9);
    expect(progress.now?.delta.onTimeMilestoneRate).toBeCloseTo(0.3, 10);
    expect(progress.kpis.map((k) => k.kpi)).toEqual([
      'onTimeMilestoneRate',
      'budgetVariance',
      'grossMarginAccuracy',
    ]);
  });

  test('without a pilot start the first capture is the baseline', async () => {
    const { capture, read } = setup(null);
    await capture.run({ asOf: '2026-03-01' });
    expect((await read.run('renewal')).baseline?.capturedOn).toBe('2026-03-01');
    expect((await read.run('renewal')).pilotStartsOn).toBeNull();
  });
});
