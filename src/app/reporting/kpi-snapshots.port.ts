import type { KpiSnapshot } from '../../domain/reporting/kpi-progress';

/** The two KPI families captured daily. */
export type KpiFamily = 'renewal' | 'delivery';

/** The daily KPI snapshots of one tenant and their frozen baselines. */
export interface KpiSnapshotStore {
  /** Stores the day's values of a family (a later capture the same day replaces them). */
  saveSnapshot(
    family: KpiFamily,
    snapshot: KpiSnapshot,
    detail: Record<string, unknown>,
  ): Promise<void>;
  /** Every stored snapshot of a family, oldest first. */
  snapshots(family: KpiFamily): Promise<KpiSnapshot[]>;
  /** The frozen baseline for a pilot (`pilotKey`: its start date, or '' when none was set). */
  baseline(family: KpiFamily, pilotKey: string): Promise<KpiSnapshot | null>;
  /** Freezes `snapshot` as the pilot's baseline unless one is frozen already; true when frozen now. */
  freezeBaseline(
    family: KpiFamily,
    pilotKey: string,
    snapshot: KpiSnapshot,
    at: Date,
  ): Promise<boolean>;
}
