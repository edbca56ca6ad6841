/**
 * KPI progress for the tab (SPEC §2.7, §3.7): each family's frozen baseline, week 4, week 8 and now,
 * from the stored daily snapshots.
 */
import { kpiProgress, type KpiProgress } from '../../domain/reporting/kpi-progress';
import type { PilotSettings } from '../settings/tab-settings.port';
import { pilotKey } from './capture-kpi-snapshots';
import type { KpiFamily, KpiSnapshotStore } from './kpi-snapshots.port';

/** The KPIs of each family, in display order, with the direction that counts as better. */
export const KPI_DIRECTIONS: Record<
  KpiFamily,
  Array<{ kpi: string; better: 'higher' | 'lower' }>
> = {
  delivery: [
    { kpi: 'onTimeMilestoneRate', better: 'higher' },
    { kpi: 'budgetVariance', better: 'lower' },
    { kpi: 'grossMarginAccuracy', better: 'higher' },
  ],
  renewal: [
    { kpi: 'grr', better: 'higher' },
    { kpi: 'upliftConversion', better: 'higher' },
    { kpi: 'avgConcessionDepthPct', better: 'lower' },
  ],
};

/** One family's progress as the tab shows it. */
export interface KpiProgressView extends KpiProgress {
  family: KpiFamily;
  /** The pilot start the baseline belongs to (null: none set, the first snapshot is the baseline). */
  pilotStartsOn: string | null;
  kpis: Array<{ kpi: string; better: 'higher' | 'lower' }>;
}

/** Reads a family's progress. */
export class ReadKpiProgress {
  constructor(
    private readonly deps: {
      tenantId: string;
      store: KpiSnapshotStore;
      pilot: Pick<PilotSettings, 'pilot'>;
    },
  ) {}

  async run(family: KpiFamily): Promise<KpiProgressView> {
    const pilot = await this.deps.pilot.pilot(this.deps.tenantId);
    const [baseline, snapshots] = await Promise.all([
      this.deps.store.baseline(family, pilotKey(pilot.startsOn)),
      this.deps.store.snapshots(family),
    ]);
    return {
      family,
      pilotStartsOn: pilot.startsOn ?? null,
      kpis: KPI_DIRECTIONS[family],
      ...kpiProgress(baseline, snapshots),
    };
  }
}
