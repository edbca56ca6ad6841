/**
 * The renewal half of `npm run replay` (SPEC §6, §9): the renewal engine run day by day over the
 * loaded history with the as-of loader, printing `renewal.flagged` and `uplift.proposed` state
 * changes, and scoring churn flags against known outcomes when the generator's intents are known.
 */
import {
  detectUplift,
  flagRenewalRisk,
  mergeUplift,
  type RenewalPolicy,
  type UpliftOpportunity,
} from '../../domain/renewals';
import { addDays } from '../../domain/shared/dates';
import { buildContractFacts, indexRenewalHistory } from './build-contract-facts';
import type { RenewalHistory, RenewalHistoryReader } from './renewal-history.port';

/** One renewal state change the replay prints (SPEC §6 shape). */
export interface RenewalReplayEvent {
  date: string;
  kind: 'renewal.flagged' | 'uplift.proposed';
  contractId: string;
  cause: string;
  severity: string;
  score: number;
}

/** What a renewal replay found. */
export interface RenewalReplayResult {
  events: RenewalReplayEvent[];
  /** First day each contract was flagged as likely to churn. */
  firstFlag: Map<string, string>;
  contractsEvaluated: number;
  /** Contracts never judged because of data-quality exceptions. */
  dataQualityContracts: string[];
}

/**
 * Runs the renewal engine over `days`, seeing each day only what was dated on or before it; the
 * churn flag's hysteresis and the known uplift opportunities carry from day to day as the daily
 * job keeps them. Pure over the loaded history.
 */
export function replayRenewals(
  history: RenewalHistory,
  days: readonly string[],
  policy: RenewalPolicy,
): RenewalReplayResult {
  const indexed = indexRenewalHistory(history);
  const flagged = new Map<string, boolean>();
  const known = new Map<string, UpliftOpportunity[]>();
  const events: RenewalReplayEvent[] = [];
  const firstFlag = new Map<string, string>();
  const evaluated = new Set<string>();
  const dataQuality = new Set<string>();

  for (const date of days) {
    for (const contract of indexed.contracts.values()) {
      const facts = buildContractFacts(contract, indexed, date);
      if (facts === null) continue;
      if (facts.endDate !== null && facts.endDate < date) continue;
      evaluated.add(facts.contractId);
      const was = flagged.get(facts.contractId) ?? false;
      const flag = flagRenewalRisk(facts, date, policy, { flagged: was });
      if (flag.blockedBy === 'data-quality') dataQuality.add(facts.contractId);
      else dataQuality.delete(facts.contractId);
      flagged.set(facts.contractId, flag.flagged);
      if (flag.flagged && !was) {
        if (!firstFlag.has(facts.contractId)) firstFlag.set(facts.contractId, date);
        events.push({
          date,
          kind: 'renewal.flagged',
          contractId: facts.contractId,
          cause: flag.cause ?? 'churn-risk',
          severity: flag.severity ?? 'medium',
          score: flag.score,
        });
      }
      const merged = mergeUplift(
        known.get(facts.contractId) ?? [],
        detectUplift(facts, date, policy),
      );
      known.set(facts.contractId, merged.opportunities);
      for (const o of merged.newlyProposed) {
        events.push({
          date,
          kind: 'uplift.proposed',
          contractId: facts.contractId,
          cause: o.kind,
          severity: 'info',
          // The contract's readiness score, as on every line (the estimate is on the opportunity).
          score: flag.score,
        });
      }
    }
  }
  return {
    events,
    firstFlag,
    contractsEvaluated: evaluated.size,
    dataQualityContracts: [...dataQuality],
  };
}

/** A contract's known outcome (from the generator, or from what really happened). */
export interface ContractOutcome {
  contractId: string;
  churns: boolean;
  endDate: string;
}

/** How well churn flags matched known outcomes. */
export interface RenewalReplayScore {
  /** Flagged contracts that really churned / all flagged contracts (null when none flagged). */
  precision: number | null;
  /** Churning contracts flagged at least `leadDays` before their end / churning contracts whose
   *  end − `leadDays` fell inside the replay (the only ones that could be flagged in time). */
  recallInTime: number | null;
  leadDays: number;
  flagged: number;
  truePositives: number;
  churnsJudgeable: number;
  churnsFlaggedInTime: number;
  /** Median days between the first flag and the end date, over churning contracts flagged. */
  medianLeadDays: number | null;
}

/** Scores churn flags: precision over every flag, recall over churns that could be flagged in time. */
export function scoreRenewalReplay(
  firstFlag: ReadonlyMap<string, string>,
  outcomes: readonly ContractOutcome[],
  range: { from: string; to: string },
  leadDays = 60,
): RenewalReplayScore {
  const byId = new Map(outcomes.map((o) => [o.contractId, o]));
  let tp = 0;
  for (const id of firstFlag.keys()) if (byId.get(id)?.churns === true) tp += 1;
  let judgeable = 0;
  let inTime = 0;
  const leads: number[] = [];
  for (const o of outcomes) {
    if (!o.churns) continue;
    const deadline = addDays(o.endDate, -leadDays);
    const first = firstFlag.get(o.contractId);
    if (first !== undefined) {
      leads.push((Date.parse(o.endDate) - Date.parse(first)) / 86_400_000);
    }
    if (deadline < range.from || deadline > range.to) continue;
    judgeable += 1;
    if (first !== undefined && first <= deadline) inTime += 1;
  }
  leads.sort((a, b) => a - b);
  const mid = Math.floor(leads.length / 2);
  const median =
    leads.length === 0
      ? null
      : leads.length % 2 === 1
        ? leads[mid]!
        : (leads[mid - 1]! + leads[mid]!) / 2;
  return {
    precision: firstFlag.size === 0 ? null : Math.round((tp / firstFlag.size) * 1000) / 1000,
    recallInTime: judgeable === 0 ? null : Math.round((inTime / judgeable) * 1000) / 1000,
    leadDays,
    flagged: firstFlag.size,
    truePositives: tp,
    churnsJudgeable: judgeable,
    churnsFlaggedInTime: inTime,
    medianLeadDays: median,
  };
}

/** The renewal part of the replay summary line. */
export interface RenewalReplaySummary {
  contractsEvaluated: number;
  dataQualityContracts: number;
  /** Churn scoring against the generator's intents (demo simulator only). */
  churn?: RenewalReplayScore;
}

/**
 * Loads the renewal history through `reader`, replays `days` and scores the churn flags against
 * `outcomes` when they are known: the one call `npm run replay` makes for renewals.
 */
export async function runRenewalReplay(input: {
  reader: RenewalHistoryReader;
  tenantId: string;
  days: readonly string[];
  policy: RenewalPolicy;
  outcomes: readonly ContractOutcome[] | null;
}): Promise<{ events: RenewalReplayEvent[]; summary: RenewalReplaySummary }> {
  const history = await input.reader.load(input.tenantId);
  const result = replayRenewals(history, input.days, input.policy);
  const summary: RenewalReplaySummary = {
    contractsEvaluated: result.contractsEvaluated,
    dataQualityContracts: result.dataQualityContracts.length,
  };
  const from = input.days[0];
  const to = input.days[input.days.length - 1];
  if (input.outcomes !== null && from !== undefined && to !== undefined) {
    summary.churn = scoreRenewalReplay(result.firstFlag, input.outcomes, { from, to });
  }
  return { events: result.events, summary };
}
