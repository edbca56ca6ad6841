/**
 * Delivery KPIs per ISO week (SPEC §2.7): on-time milestone rate, budget variance and project
 * gross-margin accuracy, with the week-1 baseline and the movement at week 4 and week 8.
 * Computed from as-of facts (milestone completion from task closures, actuals from timesheets).
 */
import { addDays, isoWeek, weekday, type IsoDate } from '../shared/dates';
import { mean, safeDivide } from '../shared/numbers';
import type { ProjectFacts } from './project-facts';
import { actuals, budgetHours } from './progress';

/** The three KPIs for one ISO week; null when nothing fell in the week. */
export interface WeeklyKpis {
  /** ISO week label, e.g. `2025-W03`. */
  week: string;
  /** Milestones due this week completed on or before their planned end / milestones due. */
  onTimeMilestoneRate: number | null;
  milestonesDue: number;
  /** Mean absolute budget variance (|actual hours / budget − 1|) of projects closed this week. */
  budgetVariance: number | null;
  /** Mean of 1 − |actual margin − planned margin| over projects closed this week (1 = exact). */
  grossMarginAccuracy: number | null;
  projectsClosed: number;
}

function milestoneCompletion(facts: ProjectFacts, milestoneId: string): IsoDate | null {
  const tasks = facts.tasks.filter((t) => t.milestoneId === milestoneId);
  if (tasks.length === 0 || tasks.some((t) => t.status !== 'closed')) return null;
  let last: IsoDate | null = null;
  for (const t of tasks)
    if (t.closedOn !== null && (last === null || t.closedOn > last)) last = t.closedOn;
  return last;
}

/**
 * Planned and actual gross margin of a closed project (fractions of revenue); null when the price is
 * unknown. Actual revenue is what was billed against the project; without invoices, the agreed price
 * (a fixed-price project bills its price).
 */
export function marginOf(facts: ProjectFacts): { planned: number; actual: number } | null {
  const b = facts.baseline;
  const revenue = b.plannedRevenue;
  if (revenue === null || revenue <= 0 || b.plannedMoney === null) return null;
  const actualRevenue = facts.actualRevenue ?? revenue;
  if (actualRevenue <= 0) return null;
  const cost = actuals(facts).cost;
  return {
    planned: (revenue - b.plannedMoney) / revenue,
    actual: (actualRevenue - cost) / actualRevenue,
  };
}

/** The three KPIs over a span of days, with what they were measured on. */
export type PeriodKpis = Omit<WeeklyKpis, 'week'>;

/**
 * KPIs for the ISO week containing `weekOf`, over the portfolio's facts (as of the end of that week
 * or later: only dated events are used, so later facts give the same answer).
 */
export function weeklyKpis(weekOf: IsoDate, portfolio: readonly ProjectFacts[]): WeeklyKpis {
  const monday = addDays(weekOf, -((weekday(weekOf) + 6) % 7));
  return { week: isoWeek(weekOf), ...kpisBetween(monday, addDays(monday, 6), portfolio) };
}

/**
 * KPIs over the days `from`..`to` inclusive: milestones planned to end in the span, projects closed
 * in it (the daily snapshot uses the trailing four weeks, so a quiet week still has a value).
 */
export function kpisBetween(
  from: IsoDate,
  to: IsoDate,
  portfolio: readonly ProjectFacts[],
): PeriodKpis {
  const inSpan = (d: IsoDate) => d >= from && d <= to;
  let due = 0;
  let onTime = 0;
  const variances: number[] = [];
  const accuracies: number[] = [];
  let closed = 0;
  for (const f of portfolio) {
    for (const m of f.baseline.milestones) {
      if (m.plannedEnd === null || !inSpan(m.plannedEnd)) continue;
      due += 1;
      const done = milestoneCompletion(f, m.id);
      if (done !== null && done <= m.plannedEnd) onTime += 1;
    }
    if (f.status === 'closed' && f.closedOn !== null && inSpan(f.closedOn)) {
      closed += 1;
      const bac = budgetHours(f);
      const v = safeDivide(actuals(f).hours, bac);
      if (v !== null) variances.push(Math.abs(v - 1));
      const m = marginOf(f);
      if (m !== null) accuracies.push(Math.max(0, 1 - Math.abs(m.actual - m.planned)));
    }
  }
  return {
    onTimeMilestoneRate: due === 0 ? null : onTime / due,
    milestonesDue: due,
    budgetVariance: mean(variances),
    grossMarginAccuracy: mean(accuracies),
    projectsClosed: closed,
  };
}

/** Names of the tracked KPIs. */
export type KpiName = 'onTimeMilestoneRate' | 'budgetVariance' | 'grossMarginAccuracy';

/** Week-1 baseline and movement at weeks 4 and 8 for one KPI. */
export interface KpiMovement {
  kpi: KpiName;
  /** True when a lower value is better (budget variance). */
  lowerIsBetter: boolean;
  baseline: number | null;
  week4: number | null;
  week8: number | null;
  /** Relative improvement vs baseline (positive = better), null when not computable. */
  improvementAtWeek4: number | null;
  improvementAtWeek8: number | null;
}

/**
 * Baseline (first week) and movement at weeks 4 and 8 of a weekly series ordered oldest first.
 * Weeks with no data are skipped when picking the baseline.
 */
export function kpiMovement(series: readonly WeeklyKpis[]): KpiMovement[] {
  const names: [KpiName, boolean][] = [
    ['onTimeMilestoneRate', false],
    ['budgetVariance', true],
    ['grossMarginAccuracy', false],
  ];
  return names.map(([kpi, lowerIsBetter]) => {
    const baseline = series.find((w) => w[kpi] !== null)?.[kpi] ?? null;
    const at = (n: number): number | null => series[n - 1]?.[kpi] ?? null;
    const improvement = (v: number | null): number | null => {
      if (v === null || baseline === null || baseline === 0) return null;
      const rel = (v - baseline) / Math.abs(baseline);
      return lowerIsBetter ? -rel : rel;
    };
    return {
      kpi,
      lowerIsBetter,
      baseline,
      week4: at(4),
      week8: at(8),
      improvementAtWeek4: improvement(at(4)),
      improvementAtWeek8: improvement(at(8)),
    };
  });
}
