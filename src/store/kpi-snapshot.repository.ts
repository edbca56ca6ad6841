import type { KpiFamily, KpiSnapshotStore } from '../app/reporting/kpi-snapshots.port';
import type { KpiSnapshot } from '../domain/reporting/kpi-progress';
import type { Db } from './db';
import { dayOf, json } from './renewal-columns';

const TABLE: Record<KpiFamily, string> = {
  renewal: 'renewal_kpi_snapshots',
  delivery: 'delivery_kpi_snapshots',
};

/** Daily KPI snapshots (`renewal_kpi_snapshots`, `delivery_kpi_snapshots`) and `kpi_baselines`. */
export class SqlKpiSnapshots implements KpiSnapshotStore {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async saveSnapshot(
    family: KpiFamily,
    snapshot: KpiSnapshot,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO ${TABLE[family]} (tenant_id, captured_on, kpis, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, captured_on) DO UPDATE SET kpis = EXCLUDED.kpis, detail = EXCLUDED.detail`,
      [this.tenantId, snapshot.capturedOn, JSON.stringify(snapshot.values), JSON.stringify(detail)],
    );
  }

  async snapshots(family: KpiFamily): Promise<KpiSnapshot[]> {
    const rows = await this.db.query(
      `SELECT captured_on, kpis FROM ${TABLE[family]} WHERE tenant_id = $1 ORDER BY captured_on`,
      [this.tenantId],
    );
    return rows.map((r) => ({ capturedOn: dayOf(r.captured_on), values: values(r.kpis) }));
  }

  async baseline(family: KpiFamily, pilotKey: string): Promise<KpiSnapshot | null> {
    const [row] = await this.db.query(
      `SELECT captured_on, kpis FROM kpi_baselines
        WHERE tenant_id = $1 AND family = $2 AND pilot_key = $3`,
      [this.tenantId, family, pilotKey],
    );
    return row ? { capturedOn: dayOf(row.captured_on), values: values(row.kpis) } : null;
  }

  async freezeBaseline(
    family: KpiFamily,
    pilotKey: string,
    snapshot: KpiSnapshot,
    at: Date,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO kpi_baselines (tenant_id, family, pilot_key, captured_on, kpis, frozen_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING family`,
      [
        this.tenantId,
        family,
        pilotKey,
        snapshot.capturedOn,
        JSON.stringify(snapshot.values),
        at.toISOString(),
      ],
    );
    return rows.length > 0;
  }
}

/** Stored KPI values: numbers stay numbers, anything else (a missing measure) reads as null. */
function values(v: unknown): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, x] of Object.entries(json<Record<string, unknown>>(v) ?? {})) {
    out[k] = typeof x === 'number' && Number.isFinite(x) ? x : null;
  }
  return out;
}
