/**
 * The renewal half of `npm run replay` (SPEC §6, §9): the renewal engine run day by day over the
 * loaded history with the as-of loader, printing `renewal.flagged` and `uplift.proposed` state
 * changes, and scoring churn flags and uplift proposals against known outcomes when the generator's
 * intents are known.
 */
import {
  churnBand,
  flagRenewalRisk,
  mergeUplift,
  proposeUplift,
  withdrawUplift,
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
  /** First day each contract was proposed an uplift (of any kind). */
  firstProposal: Map<string, string>;
  contractsEvaluated: number;
  /** Ids of the contracts judged on at least one day (live, with a loadable record). */
  evaluatedContracts: string[];
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
  const firstProposal = new Map<string, string>();
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
      // No uplift pitched to a client in the churn band; what was proposed is withdrawn (the
      // replay prints no line for it: a pitch made counts in the scoring, withdrawn or not).
      const band = churnBand(flag, policy);
      const kept = withdrawUplift(known.get(facts.contractId) ?? [], band, date);
      const merged = mergeUplift(
        kept.opportunities,
        proposeUplift(facts, date, policy, band).opportunities,
      );
      known.set(facts.contractId, merged.opportunities);
      for (const o of merged.newlyProposed) {
        if (!firstProposal.has(facts.contractId)) firstProposal.set(facts.contractId, date);
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
    firstProposal,
    contractsEvaluated: evaluated.size,
    evaluatedContracts: [...evaluated],
    dataQualityContracts: [...dataQuality],
  };
}

/** A contract's known outcome (from the generator, or from what really happened). */
export interface ContractOutcome {
  contractId: string;
  churns: boolean;
  endDate: string;
  /** The client took more at renewal (an uplift was warranted unless it churned); unknown = false. */
  expands?: boolean;
  /** The kind of story the contract tells (scenario archetype, else the generator's situation). */
  archetype?: string;
  /**
   * First day anything in the records pointed to the outcome, when known: a churn whose first sign
   * came after the lead deadline (an acquisition announced weeks before the end) could not have been
   * flagged in time by anyone, and is not counted in the in-time recall.
   */
  signalsStartOn?: string;
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

/**
 * Scores churn flags: precision over every flag, recall over churns that could be flagged in time
 * (their deadline inside the replay, and a first sign on or before it when the outcome says when).
 */
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
    if (o.signalsStartOn !== undefined && o.signalsStartOn > deadline) continue;
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

/** How well uplift proposals matched known outcomes, counted per contract. */
export interface UpliftReplayScore {
  /**
   * Contracts proposed an uplift that expanded and did not churn / contracts proposed an uplift
   * (null when none). A proposal counts once made, even if later withdrawn: it was pitched.
   */
  precision: number | null;
  /** Warranted contracts proposed an uplift / warranted contracts evaluated (null when none). */
  recall: number | null;
  proposed: number;
  truePositives: number;
  warranted: number;
  /** Proposed contracts that went on to churn (never a good pitch). */
  proposedToChurners: number;
}

/** Churn flags and uplift proposals against outcomes, for the contracts of one archetype. */
export interface ContractConfusion {
  contracts: number;
  churn: {
    flaggedChurned: number;
    flaggedRenewed: number;
    notFlaggedChurned: number;
    notFlaggedRenewed: number;
  };
  uplift: {
    proposedWarranted: number;
    proposedUnwarranted: number;
    notProposedWarranted: number;
    notProposedUnwarranted: number;
  };
}

/** An uplift is warranted when the client expanded and stayed. */
function warranted(o: ContractOutcome): boolean {
  return o.expands === true && !o.churns;
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 1000) / 1000;
}

/** Scores uplift proposals per contract: any proposal to a churner or a non-expander is a false one. */
export function scoreUpliftReplay(
  firstProposal: ReadonlyMap<string, string>,
  outcomes: readonly ContractOutcome[],
  evaluated: ReadonlySet<string>,
): UpliftReplayScore {
  const byId = new Map(outcomes.map((o) => [o.contractId, o]));
  let tp = 0;
  let toChurners = 0;
  for (const id of firstProposal.keys()) {
    const o = byId.get(id);
    if (o !== undefined && warranted(o)) tp += 1;
    if (o?.churns === true) toChurners += 1;
  }
  const due = outcomes.filter((o) => evaluated.has(o.contractId) && warranted(o));
  const found = due.filter((o) => firstProposal.has(o.contractId)).length;
  return {
    precision: ratio(tp, firstProposal.size),
    recall: ratio(found, due.length),
    proposed: firstProposal.size,
    truePositives: tp,
    warranted: due.length,
    proposedToChurners: toChurners,
  };
}

/**
 * The confusion per archetype over the contracts the replay evaluated, so a regression names the
 * kind of contract it hit: flagged or not × churned or not, proposed or not × warranted or not.
 */
export function confusionByArchetype(
  result: Pick<RenewalReplayResult, 'firstFlag' | 'firstProposal'>,
  outcomes: readonly ContractOutcome[],
  evaluated: ReadonlySet<string>,
): Record<string, ContractConfusion> {
  const out: Record<string, ContractConfusion> = {};
  const sorted = [...outcomes].sort((a, b) => (a.archetype ?? '').localeCompare(b.archetype ?? ''));
  for (const o of sorted) {
    if (!evaluated.has(o.contractId)) continue;
    const c = (out[o.archetype ?? 'unknown'] ??= {
      contracts: 0,
      churn: { flaggedChurned: 0, flaggedRenewed: 0, notFlaggedChurned: 0, notFlaggedRenewed: 0 },
      uplift: {
        proposedWarranted: 0,
        proposedUnwarranted: 0,
        notProposedWarranted: 0,
        notProposedUnwarranted: 0,
      },
    });
    c.contracts += 1;
    const flagged = result.firstFlag.has(o.contractId);
    if (flagged) c.churn[o.churns ? 'flaggedChurned' : 'flaggedRenewed'] += 1;
    else c.churn[o.churns ? 'notFlaggedChurned' : 'notFlaggedRenewed'] += 1;
    const proposed = result.firstProposal.has(o.contractId);
    const due = warranted(o);
    if (proposed) c.uplift[due ? 'proposedWarranted' : 'proposedUnwarranted'] += 1;
    else c.uplift[due ? 'notProposedWarranted' : 'notProposedUnwarranted'] += 1;
  }
  return out;
}

/** The renewal part of the replay summary line. */
export interface RenewalReplaySummary {
  contractsEvaluated: number;
  dataQualityContracts: number;
  /** Churn scoring against the generator's intents (demo simulator only). */
  churn?: RenewalReplayScore;
  /** Uplift-proposal scoring against the same intents (truth: expands and does not churn). */
  uplift?: UpliftReplayScore;
  /** Confusion per contract archetype (intent archetype, else situation). */
  byArchetype?: Record<string, ContractConfusion>;
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
    const evaluated = new Set(result.evaluatedContracts);
    summary.churn = scoreRenewalReplay(result.firstFlag, input.outcomes, { from, to });
    summary.uplift = scoreUpliftReplay(result.firstProposal, input.outcomes, evaluated);
    summary.byArchetype = confusionByArchetype(result, input.outcomes, evaluated);
  }
  return { events: result.events, summary };
}
