/**
 * KPI progress over a pilot (SPEC §2.7, §3.7): the frozen baseline — the first daily snapshot on or
 * after the pilot start — then the values at week 4 and week 8 of the pilot and now, each with its
 * movement against the baseline.
 */
import { daysBetween, type IsoDate } from '../shared/dates';

/** The KPI values captured on one day (null: nothing to measure that day). */
export interface KpiSnapshot {
  capturedOn: IsoDate;
  values: Record<string, number | null>;
}

/** One point of the progress: the snapshot, and each KPI's change since the baseline. */
export interface KpiCheckpoint extends KpiSnapshot {
  /** Value − baseline value per KPI; null when either is missing. */
  delta: Record<string, number | null>;
}

/** Baseline, week 4, week 8 and now; a point is null until a snapshot for it exists. */
export interface KpiProgress {
  baseline: KpiSnapshot | null;
  week4: KpiCheckpoint | null;
  week8: KpiCheckpoint | null;
  now: KpiCheckpoint | null;
}

/** The snapshot to freeze as the baseline: the first on or after the pilot start (any when unset). */
export function baselineCandidate(
  snapshots: readonly KpiSnapshot[],
  pilotStartsOn: IsoDate | null,
): KpiSnapshot | null {
  const sorted = [...snapshots].sort((a, b) => a.capturedOn.localeCompare(b.capturedOn));
  return sorted.find((s) => pilotStartsOn === null || s.capturedOn >= pilotStartsOn) ?? null;
}

/**
 * Progress from a frozen baseline: week N is the latest snapshot taken 7·(N−1) to 7·(N−1)+6 days
 * after the baseline (the baseline's day is day 0 of week 1); now is the latest snapshot.
 */
export function kpiProgress(
  baseline: KpiSnapshot | null,
  snapshots: readonly KpiSnapshot[],
): KpiProgress {
  if (baseline === null) return { baseline: null, week4: null, week8: null, now: null };
  const sorted = [...snapshots]
    .filter((s) => s.capturedOn >= baseline.capturedOn)
    .sort((a, b) => a.capturedOn.localeCompare(b.capturedOn));
  const checkpoint = (s: KpiSnapshot | undefined): KpiCheckpoint | null => {
    if (s === undefined) return null;
    const delta: Record<string, number | null> = {};
    for (const [kpi, value] of Object.entries(s.values)) {
      const b = baseline.values[kpi] ?? null;
      delta[kpi] = value === null || b === null ? null : value - b;
    }
    return { ...s, delta };
  };
  const week = (n: number) => {
    const first = 7 * (n - 1);
    return sorted
      .filter((s) => {
        const d = daysBetween(baseline.capturedOn, s.capturedOn);
        return d >= first && d <= first + 6;
      })
      .pop();
  };
  return {
    baseline,
    week4: checkpoint(week(4)),
    week8: checkpoint(week(8)),
    now: checkpoint(sorted[sorted.length - 1]),
  };
}
