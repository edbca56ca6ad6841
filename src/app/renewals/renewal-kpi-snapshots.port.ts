/** The daily renewal KPI snapshots of one tenant (the first stored day is the baseline). */
export interface RenewalKpiSnapshots {
  saveKpis(
    capturedOn: string,
    kpis: Record<string, unknown>,
    detail: Record<string, unknown>,
  ): Promise<void>;
  /** Every stored snapshot, oldest first. */
  kpiSnapshots(): Promise<Array<{ capturedOn: string; kpis: Record<string, unknown> }>>;
}
