import type { RenewalKpiSnapshots } from '../app/renewals/renewal-kpi-snapshots.port';
import type { Db } from './db';
import { json, dayOf } from './renewal-columns';

/** The daily renewal KPI snapshots (`renewal_kpi_snapshots`). */
export class RenewalKpiRepository implements RenewalKpiSnapshots {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  /** Stores the day's KPIs (the first stored day is the baseline). */
  async saveKpis(
    capturedOn: string,
    kpis: Record<string, unknown>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO renewal_kpi_snapshots (tenant_id, captured_on, kpis, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, captured_on) DO UPDATE SET kpis = EXCLUDED.kpis, detail = EXCLUDED.detail`,
      [this.tenantId, capturedOn, JSON.stringify(kpis), JSON.stringify(detail)],
    );
  }

  /** Every stored KPI snapshot, oldest first. */
  async kpiSnapshots(): Promise<Array<{ capturedOn: string; kpis: Record<string, unknown> }>> {
    const rows = await this.db.query(
      'SELECT captured_on, kpis FROM renewal_kpi_snapshots WHERE tenant_id = $1 ORDER BY captured_on',
      [this.tenantId],
    );
    return rows.map((r) => ({ capturedOn: dayOf(r.captured_on), kpis: json(r.kpis) }));
  }
}
