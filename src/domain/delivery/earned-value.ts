/**
 * Earned-value management for one project as of a day: % complete from task completion (never
 * hours burned), PV from milestone windows, EV, AC, CPI/SPI, three EAC variants, ETC, VAC, TCPI,
 * in hours and (when a money budget or rate exists) in money; hours-burn ratio separately. Every
 * ratio is guarded: undefined figures are `null`, never NaN or Infinity.
 */
import { roundOrNull, safeDivide } from '../shared/numbers';
import type { DeliveryPolicy } from './policy';
import { DEFAULT_DELIVERY_POLICY } from './policy';
import type { ProjectFacts } from './project-facts';
import { scheduleForecast } from './forecast';
import { actuals, budgetHours, budgetMoney, plannedPercentOn, progressOf } from './progress';

/** The EVM figures in one unit (hours or money). */
export interface EvmFigures {
  /** Budget at completion. */
  bac: number;
  /** Planned value as of the day. */
  pv: number | null;
  /** Earned value. */
  ev: number | null;
  /** Actual cost. */
  ac: number;
  /** Cost variance EV − AC. */
  cv: number | null;
  /** Schedule variance EV − PV. */
  sv: number | null;
  cpi: number | null;
  spi: number | null;
  /** EAC assuming remaining work goes to budget: AC + (BAC − EV). */
  eacAtBudgetRate: number | null;
  /** EAC assuming current cost efficiency persists: BAC / CPI. */
  eacAtCpi: number | null;
  /** EAC assuming both cost and schedule efficiency persist: AC + (BAC − EV) / (CPI × SPI). */
  eacAtCpiSpi: number | null;
  /** Estimate to complete (EAC at CPI − AC). */
  etc: number | null;
  /** Variance at completion (BAC − EAC at CPI). */
  vac: number | null;
  /** To-complete performance index (BAC − EV) / (BAC − AC); null once the budget is spent. */
  tcpi: number | null;
  /** True when |TCPI − CPI| > 0.1: the remaining work would need an efficiency not yet shown. */
  unrealisticForecast: boolean;
}

/** Earned value for a project as of `facts.asOf`. */
export interface EarnedValue {
  asOf: string;
  /** Fraction complete by task completion (0–1); null when unmeasurable. */
  percentComplete: number | null;
  /** Fraction planned complete by today; null without a dated plan. */
  plannedPercent: number | null;
  /** Worst forecast milestone slip in working days (forecast vs planned end); null when unknown. */
  scheduleSlipDays: number | null;
  /** Actual hours / budget hours — shown apart from progress, never used as progress. */
  hoursBurnRatio: number | null;
  hours: EvmFigures | null;
  money: EvmFigures | null;
}

/** Compute EVM figures for one unit from BAC, AC and the two percentages. */
export function evmFigures(
  bac: number,
  ac: number,
  percentComplete: number | null,
  plannedPercent: number | null,
): EvmFigures {
  const ev = percentComplete === null ? null : percentComplete * bac;
  const pv = plannedPercent === null ? null : plannedPercent * bac;
  const cpi = safeDivide(ev, ac);
  const spi = safeDivide(ev, pv);
  const remaining = ev === null ? null : bac - ev;
  const eacAtBudgetRate = remaining === null ? null : ac + remaining;
  const eacAtCpi = safeDivide(bac, cpi);
  const cpiSpi = cpi === null || spi === null ? null : cpi * spi;
  const eacAtCpiSpi =
    remaining === null || cpiSpi === null || cpiSpi === 0 ? null : ac + remaining / cpiSpi;
  const etc = eacAtCpi === null ? null : eacAtCpi - ac;
  const vac = eacAtCpi === null ? null : bac - eacAtCpi;
  const tcpi = remaining === null || bac - ac <= 0 ? null : safeDivide(remaining, bac - ac);
  return {
    bac,
    pv,
    ev,
    ac,
    cv: ev === null ? null : ev - ac,
    sv: ev === null || pv === null ? null : ev - pv,
    cpi,
    spi,
    eacAtBudgetRate,
    eacAtCpi,
    eacAtCpiSpi,
    etc,
    vac,
    tcpi,
    unrealisticForecast: tcpi !== null && cpi !== null && Math.abs(tcpi - cpi) > 0.1,
  };
}

function rounded(f: EvmFigures): EvmFigures {
  return {
    ...f,
    bac: roundOrNull(f.bac) ?? 0,
    pv: roundOrNull(f.pv),
    ev: roundOrNull(f.ev),
    ac: roundOrNull(f.ac) ?? 0,
    cv: roundOrNull(f.cv),
    sv: roundOrNull(f.sv),
    cpi: roundOrNull(f.cpi, 3),
    spi: roundOrNull(f.spi, 3),
    eacAtBudgetRate: roundOrNull(f.eacAtBudgetRate),
    eacAtCpi: roundOrNull(f.eacAtCpi),
    eacAtCpiSpi: roundOrNull(f.eacAtCpiSpi),
    etc: roundOrNull(f.etc),
    vac: roundOrNull(f.vac),
    tcpi: roundOrNull(f.tcpi, 3),
  };
}

/**
 * Earned value of a project as of its facts' day (figures rounded for display). `scheduleSlipDays`
 * may be passed when the caller already forecast the schedule.
 */
export function computeEarnedValue(
  facts: ProjectFacts,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  scheduleSlipDays?: number | null,
): EarnedValue {
  const progress = progressOf(facts);
  const planned = plannedPercentOn(facts, facts.asOf);
  const ac = actuals(facts);
  const bacH = budgetHours(facts);
  const bacM = budgetMoney(facts);
  const hours =
    bacH === null ? null : evmFigures(bacH, ac.hours, progress.percentComplete, planned);
  const money = bacM === null ? null : evmFigures(bacM, ac.cost, progress.percentComplete, planned);
  return {
    asOf: facts.asOf,
    percentComplete: roundOrNull(progress.percentComplete, 4),
    plannedPercent: roundOrNull(planned, 4),
    scheduleSlipDays:
      scheduleSlipDays === undefined ? scheduleForecast(facts, policy).value : scheduleSlipDays,
    hoursBurnRatio: roundOrNull(safeDivide(ac.hours, bacH), 4),
    hours: hours === null ? null : rounded(hours),
    money: money === null ? null : rounded(money),
  };
}
