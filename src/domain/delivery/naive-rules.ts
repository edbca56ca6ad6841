/**
 * The two naive early-warning rules SPEC §9 asks the engine to beat, over the same facts:
 * (1) % of budget used > % of time elapsed + 10 points; (2) CPI < 0.9 or SPI < 0.9.
 * Both give no opinion (`null`) when the inputs are missing, like the engine's "unknown".
 */
import { daysBetween } from '../shared/dates';
import { safeDivide } from '../shared/numbers';
import type { ProjectFacts } from './project-facts';
import { actuals, budgetHours, plannedPercentOn, progressOf } from './progress';

/** Outcome of a naive rule on one day: flagged, not flagged, or no opinion (null). */
export type NaiveVerdict = boolean | null;

/** Rule 1: hours used / budget > elapsed / planned duration + 0.10. */
export function budgetAheadOfTimeRule(facts: ProjectFacts): NaiveVerdict {
  const bac = budgetHours(facts);
  const end = facts.targetEndDate;
  if (bac === null || end === null) return null;
  const duration = daysBetween(facts.startDate, end);
  if (duration <= 0) return null;
  const elapsed = Math.min(1, Math.max(0, daysBetween(facts.startDate, facts.asOf) / duration));
  const used = actuals(facts).hours / bac;
  return used > elapsed + 0.1;
}

/** Rule 2: CPI < 0.9 or SPI < 0.9 (hours basis, % complete from task completion). */
export function cpiSpiRule(facts: ProjectFacts): NaiveVerdict {
  const bac = budgetHours(facts);
  const pc = progressOf(facts).percentComplete;
  if (bac === null || pc === null) return null;
  const ev = pc * bac;
  const ac = actuals(facts).hours;
  const planned = plannedPercentOn(facts, facts.asOf);
  const cpi = safeDivide(ev, ac);
  const spi = planned === null ? null : safeDivide(ev, planned * bac);
  if (cpi === null && spi === null) return null;
  return (cpi !== null && cpi < 0.9) || (spi !== null && spi < 0.9);
}

/** The naive rules by name, for replay comparisons. */
export const NAIVE_RULES = {
  'budget-ahead-of-time': budgetAheadOfTimeRule,
  'cpi-spi-below-0.9': cpiSpiRule,
} as const;
