/**
 * SPEC §8: "latency figures are the median of three rounds, with their spread". A latency figure is
 * measured in three rounds in one run; each round gives a p99 of the measured path and a p99 of its
 * reference (or a fixed target). The figure's value and reference are the medians of the rounds'
 * p99s; its ratio is the median of the per-round ratios (each ratio compares a round with its own
 * reference, taken under the same machine load), not the ratio of the medians.
 */

/** Rounds per latency figure. */
export const LATENCY_ROUNDS = 3;

/** One round of a latency figure. */
export interface Round {
  value: number;
  reference: number;
}

/** A round as reported: with its own ratio. */
export interface ReportedRound extends Round {
  ratio: number;
}

/** A latency figure over its rounds. */
export interface RoundsSummary {
  value: number;
  reference: number;
  ratio: number;
  rounds: ReportedRound[];
  /** Lowest and highest value of the rounds. */
  spread: { min: number; max: number };
  /** Lowest and highest ratio of the rounds. */
  ratioSpread: { min: number; max: number };
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Medians of value and reference, median of the per-round ratios, and the spreads. */
export function summariseRounds(rounds: readonly Round[]): RoundsSummary {
  if (rounds.length === 0) throw new Error('a latency figure needs at least one round');
  const reported = rounds.map((r) => ({ ...r, ratio: r.value / r.reference }));
  const values = reported.map((r) => r.value);
  const ratios = reported.map((r) => r.ratio);
  return {
    value: median(values),
    reference: median(reported.map((r) => r.reference)),
    ratio: median(ratios),
    rounds: reported,
    spread: { min: Math.min(...values), max: Math.max(...values) },
    ratioSpread: { min: Math.min(...ratios), max: Math.max(...ratios) },
  };
}

/** Deals `items` out in turn into `count` rounds (item i to round i mod count). */
export function dealRounds<T>(items: readonly T[], count: number): T[][] {
  const rounds: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, i) => rounds[i % count]!.push(item));
  return rounds;
}
