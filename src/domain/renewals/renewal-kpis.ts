/**
 * Renewal-loop KPIs (SPEC §3.7): gross retention rate, uplift conversion rate and average concession
 * depth — with a week-1 baseline and the movement since (shown at week 4 and week 8).
 */
import { daysBetween, type IsoDate } from '../shared/dates';
import { mean, round } from '../shared/numbers';
import { type UpliftOpportunity } from './uplift';

/** MRR movement of one contract over the measured period. */
export interface ContractMrrMovement {
  contractId: string;
  /** MRR at the start of the period (contracts that started inside the period are excluded). */
  startingMrr: number;
  /** MRR at the end of the period (0 when churned). */
  endingMrr: number;
  churned: boolean;
}

/** The parts of gross retention. */
export interface GrossRetention {
  startingMrr: number;
  churnedMrr: number;
  contractionMrr: number;
  /** (starting − churned − contraction) / starting, capped at 1; null with no starting MRR. */
  grr: number | null;
}

/**
 * GRR = (starting MRR − churned − contraction) / starting MRR, capped at 100 %. Expansion never
 * counts (that is net retention); a churned contract's whole starting MRR is churned; a renewed one
 * contributes its decrease, if any, as contraction.
 */
export function grossRetention(movements: readonly ContractMrrMovement[]): GrossRetention {
  let starting = 0;
  let churned = 0;
  let contraction = 0;
  for (const m of movements) {
    starting += m.startingMrr;
    if (m.churned) churned += m.startingMrr;
    else contraction += Math.max(0, m.startingMrr - m.endingMrr);
  }
  return {
    startingMrr: round(starting, 2),
    churnedMrr: round(churned, 2),
    contractionMrr: round(contraction, 2),
    grr: grossRetentionRate(starting, churned, contraction),
  };
}

/** The GRR formula on totals, capped to [0, 1]; null when starting MRR is not positive. */
export function grossRetentionRate(
  startingMrr: number,
  churnedMrr: number,
  contractionMrr: number,
): number | null {
  if (!(startingMrr > 0)) return null;
  const r = (startingMrr - churnedMrr - contractionMrr) / startingMrr;
  return round(Math.min(1, Math.max(0, r)), 4);
}

/** Uplift conversion over a set of opportunities. */
export interface UpliftConversion {
  proposed: number;
  accepted: number;
  declined: number;
  /** Still open (proposed, not yet answered). */
  open: number;
  /** accepted / (accepted + declined): conversion of answered proposals; null when none answered. */
  conversionRate: number | null;
  /** accepted / all proposed (open ones count against): null when nothing was proposed. */
  perProposedRate: number | null;
  acceptedMonthlyUplift: number;
}

/** Uplift conversion: `proposed` counts every opportunity ever proposed, whatever its status now. */
export function upliftConversion(opps: readonly UpliftOpportunity[]): UpliftConversion {
  const accepted = opps.filter((o) => o.status === 'accepted');
  const declined = opps.filter((o) => o.status === 'declined').length;
  const answered = accepted.length + declined;
  return {
    proposed: opps.length,
    accepted: accepted.length,
    declined,
    open: opps.length - answered,
    conversionRate: answered > 0 ? round(accepted.length / answered, 4) : null,
    perProposedRate: opps.length > 0 ? round(accepted.length / opps.length, 4) : null,
    acceptedMonthlyUplift: round(
      accepted.reduce((a, o) => a + o.estimatedMonthlyUplift, 0),
      2,
    ),
  };
}

/** A decided concession for KPI purposes. */
export interface DecidedConcession {
  contractId: string;
  discountPct: number;
  status: 'approved' | 'rejected';
}

/**
 * Average concession depth: the mean discount % of **approved** concessions (what was actually
 * given away); also the mean requested depth over all decided requests (discount pressure).
 */
export function averageConcessionDepth(concessions: readonly DecidedConcession[]): {
  approvedAvgPct: number | null;
  requestedAvgPct: number | null;
  approved: number;
  decided: number;
} {
  const approved = concessions.filter((c) => c.status === 'approved');
  const a = mean(approved.map((c) => c.discountPct));
  const r = mean(concessions.map((c) => c.discountPct));
  return {
    approvedAvgPct: a === null ? null : round(a, 2),
    requestedAvgPct: r === null ? null : round(r, 2),
    approved: approved.length,
    decided: concessions.length,
  };
}

/** The three KPIs at one point in time. */
export interface RenewalKpis {
  grr: number | null;
  upliftConversion: number | null;
  avgConcessionDepthPct: number | null;
}

/** KPIs captured on a day (the first one is the week-1 baseline). */
export interface RenewalKpiSnapshot {
  capturedOn: IsoDate;
  kpis: RenewalKpis;
}

/** Which direction is an improvement for each KPI. */
export const KPI_BETTER: Record<keyof RenewalKpis, 'higher' | 'lower'> = {
  grr: 'higher',
  upliftConversion: 'higher',
  avgConcessionDepthPct: 'lower',
};

/** Movement of one KPI against the baseline. */
export interface KpiMovement {
  kpi: keyof RenewalKpis;
  baseline: number | null;
  current: number | null;
  /** current − baseline. */
  delta: number | null;
  /** delta / |baseline|; null when the baseline is 0 or missing. */
  relativeChange: number | null;
  improved: boolean | null;
}

/** Movement of every KPI from `baseline` to `current`. */
export function kpiMovement(baseline: RenewalKpis, current: RenewalKpis): KpiMovement[] {
  return (Object.keys(KPI_BETTER) as (keyof RenewalKpis)[]).map((kpi) => {
    const b = baseline[kpi];
    const c = current[kpi];
    const delta = b === null || c === null ? null : round(c - b, 4);
    return {
      kpi,
      baseline: b,
      current: c,
      delta,
      relativeChange:
        delta === null || b === null || b === 0 ? null : round(delta / Math.abs(b), 4),
      improved: delta === null ? null : KPI_BETTER[kpi] === 'higher' ? delta > 0 : delta < 0,
    };
  });
}

/**
 * The KPI report: baseline = the first snapshot (week 1), then the movement at week 4 and week 8
 * (the latest snapshot taken 21–27 / 49–55 days after the baseline) and at the latest snapshot.
 */
export function kpiReport(snapshots: readonly RenewalKpiSnapshot[]): {
  baseline: RenewalKpiSnapshot | null;
  week4: KpiMovement[] | null;
  week8: KpiMovement[] | null;
  latest: KpiMovement[] | null;
} {
  const sorted = [...snapshots].sort((a, b) => a.capturedOn.localeCompare(b.capturedOn));
  const baseline = sorted[0] ?? null;
  if (baseline === null) return { baseline: null, week4: null, week8: null, latest: null };
  const at = (week: number): KpiMovement[] | null => {
    const minDay = (week - 1) * 7;
    const hit = sorted.filter((s) => {
      const d = daysBetween(baseline.capturedOn, s.capturedOn);
      return d >= minDay && d < minDay + 7;
    });
    const last = hit[hit.length - 1];
    return last ? kpiMovement(baseline.kpis, last.kpis) : null;
  };
  const last = sorted[sorted.length - 1];
  return {
    baseline,
    week4: at(4),
    week8: at(8),
    latest: last && last !== baseline ? kpiMovement(baseline.kpis, last.kpis) : null,
  };
}
