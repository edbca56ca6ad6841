/**
 * The daily KPI capture (job `kpi-snapshots`): today's delivery and renewal KPIs are stored per tenant
 * (once per day: a second run the same day replaces that day's values), and the first snapshot on or
 * after the pilot start is frozen as the family's baseline, never replaced afterwards.
 */
import { baselineCandidate } from '../../domain/reporting/kpi-progress';
import type { Clock } from '../../shared/clock';
import type { PilotSettings } from '../settings/tab-settings.port';
import type { KpiFamily, KpiSnapshotStore } from './kpi-snapshots.port';

/** What a family's KPIs are as of a day: the values and what they were measured on. */
export type KpiSource = (
  asOf: string,
) => Promise<{ values: Record<string, number | null>; detail: Record<string, unknown> }>;

/** What the capture is built from. */
export interface CaptureKpiSnapshotsDeps {
  tenantId: string;
  sources: Record<KpiFamily, KpiSource>;
  store: KpiSnapshotStore;
  pilot: Pick<PilotSettings, 'pilot'>;
  clock: Clock;
}

/** What one capture did. */
export interface KpiCaptureReport {
  asOf: string;
  captured: KpiFamily[];
  /** Families whose baseline was frozen by this run (with its day). */
  frozen: Array<{ family: KpiFamily; capturedOn: string }>;
}

/** The pilot a baseline belongs to: its start day, or '' when the tenant set none. */
export function pilotKey(startsOn: string | null | undefined): string {
  return startsOn ?? '';
}

/** Captures every KPI family for a day and freezes missing baselines. */
export class CaptureKpiSnapshots {
  constructor(private readonly deps: CaptureKpiSnapshotsDeps) {}

  async run(options: { asOf?: string } = {}): Promise<KpiCaptureReport> {
    const { store, clock } = this.deps;
    const asOf = options.asOf ?? clock.now().toISOString().slice(0, 10);
    const pilot = await this.deps.pilot.pilot(this.deps.tenantId);
    const key = pilotKey(pilot.startsOn);
    const report: KpiCaptureReport = { asOf, captured: [], frozen: [] };
    for (const family of ['delivery', 'renewal'] as const) {
      const { values, detail } = await this.deps.sources[family](asOf);
      await store.saveSnapshot(family, { capturedOn: asOf, values }, detail);
      report.captured.push(family);
      if ((await store.baseline(family, key)) !== null) continue;
      const candidate = baselineCandidate(await store.snapshots(family), pilot.startsOn ?? null);
      if (candidate !== null && (await store.freezeBaseline(family, key, candidate, clock.now()))) {
        report.frozen.push({ family, capturedOn: candidate.capturedOn });
      }
    }
    return report;
  }
}
