/**
 * The monthly governance review (msp owner): retention risk signals, uplift conversion, discount
 * pressure, and threshold-tuning suggestions drawn from the logged overrides — owner calls that
 * disagreed with the computed band, and what actually happened.
 */
import { round } from '../shared/numbers';
import { type MonthKey } from './contract-facts';
import { type PolicyChange } from './policy-tuning';
import { type ReadinessBand, type RenewalPolicy } from './renewal-policy';
import { averageConcessionDepth, upliftConversion, type DecidedConcession } from './renewal-kpis';
import { type RenewalStage, type OwnerCall } from './renewal-window';
import { type UpliftOpportunity } from './uplift';

/** One contract's standing in the month under review. */
export interface ContractStanding {
  contractId: string;
  clientName: string;
  monthlyValue: number;
  band: ReadinessBand;
  /** Band at the previous review; null when new. */
  previousBand: ReadinessBand | null;
  stage: RenewalStage;
  /** Top driver labels (the "why"). */
  topDrivers: string[];
  flagged: boolean;
}

/** A logged checkpoint call that disagreed with the computed band, with its outcome once known. */
export interface OverrideLog {
  contractId: string;
  loggedOn: string;
  computedBand: ReadinessBand;
  computedScore: number;
  ownerCall: OwnerCall;
  direction: 'owner-more-optimistic' | 'owner-more-pessimistic';
  outcome: 'renewed' | 'contracted' | 'churned' | 'pending';
}

/** A suggestion for the policy, with the evidence behind it. */
export interface TuningSuggestion {
  /** Stable within a review (the cs lead accepts or rejects it by this id). */
  id: string;
  area:
    'readiness-bands' | 'readiness-weights' | 'owner-calibration' | 'concession-tiers' | 'uplift';
  suggestion: string;
  evidence: string;
  /**
   * The settings accepting it changes (the next policy version); empty when it is advice to people
   * (owner calibration), which is recorded but changes no threshold.
   */
  changes: PolicyChange[];
}

/** The review model the tab and the governance card render. */
export interface GovernanceReview {
  month: MonthKey;
  policyVersion: number;
  retentionRisk: {
    atRiskCount: number;
    atRiskMrr: number;
    watchCount: number;
    /** Moved into at-risk since the previous review. */
    newlyAtRisk: string[];
    /** At risk and already inside a renewal window (act now). */
    atRiskInWindow: {
      contractId: string;
      clientName: string;
      stage: RenewalStage;
      why: string[];
    }[];
    flaggedCount: number;
    unknownCount: number;
  };
  upliftConversion: ReturnType<typeof upliftConversion>;
  discountPressure: {
    requests: number;
    approvedAvgPct: number | null;
    requestedAvgPct: number | null;
    /** Share of requests deeper than the cs-lead limit. */
    deepShare: number | null;
  };
  overrides: {
    total: number;
    resolved: number;
    /** Of resolved overrides, share where the owner's call matched the outcome. */
    ownerRightRate: number | null;
  };
  tuningSuggestions: TuningSuggestion[];
}

/** Minimum resolved overrides in one pattern before a tuning suggestion is made. */
export const MIN_OVERRIDES_FOR_SUGGESTION = 3;

function ownerWasRight(o: OverrideLog): boolean {
  const lost = o.outcome === 'churned' || o.outcome === 'contracted';
  return o.direction === 'owner-more-pessimistic' ? lost : !lost;
}

/**
 * Tuning suggestions from resolved overrides. Four patterns: owners more pessimistic and the client
 * churned (the score is too optimistic: tighten), owners more pessimistic and the client renewed
 * (owners over-cautious), owners more optimistic and the client renewed (the score is too
 * pessimistic: loosen), owners more optimistic and the client churned (owner calibration).
 */
export function tuningFromOverrides(
  overrides: readonly OverrideLog[],
  policy: RenewalPolicy,
): TuningSuggestion[] {
  const resolved = overrides.filter((o) => o.outcome !== 'pending');
  const count = (dir: OverrideLog['direction'], right: boolean): OverrideLog[] =>
    resolved.filter((o) => o.direction === dir && ownerWasRight(o) === right);
  const out: TuningSuggestion[] = [];
  const b = policy.readiness.bands;
  const pessRight = count('owner-more-pessimistic', true);
  if (pessRight.length >= MIN_OVERRIDES_FOR_SUGGESTION) {
    const avg = round(pessRight.reduce((a, o) => a + o.computedScore, 0) / pessRight.length, 1);
    const to = Math.min(100, Math.max(b.readyMinScore + 5, Math.ceil(avg) + 1));
    out.push({
      id: 'readiness-bands',
      area: 'readiness-bands',
      suggestion:
        to > b.readyMinScore
          ? `Raise the ready band's minimum score from ${b.readyMinScore} to ${to}: the score was too optimistic`
          : 'The score was too optimistic: increase the weights of the drivers owners cited',
      evidence: `${pessRight.length} contracts scored ${avg} on average were called at risk/churn by their owner and were lost`,
      changes:
        to > b.readyMinScore
          ? [{ setting: 'readiness.bands.readyMinScore', from: b.readyMinScore, to }]
          : [],
    });
  }
  const optRight = count('owner-more-optimistic', true);
  if (optRight.length >= MIN_OVERRIDES_FOR_SUGGESTION) {
    const avg = round(optRight.reduce((a, o) => a + o.computedScore, 0) / optRight.length, 1);
    const to = Math.max(0, Math.min(b.watchMinScore - 5, Math.floor(avg) - 1));
    out.push({
      id: 'readiness-weights',
      area: 'readiness-weights',
      suggestion:
        to < b.watchMinScore
          ? `Lower the watch band's minimum score from ${b.watchMinScore} to ${to}: the score was too pessimistic`
          : 'The score was too pessimistic: relax the thresholds behind these at-risk bands',
      evidence: `${optRight.length} contracts scored ${avg} on average were called renew/monitor by their owner and renewed`,
      changes:
        to < b.watchMinScore
          ? [{ setting: 'readiness.bands.watchMinScore', from: b.watchMinScore, to }]
          : [],
    });
  }
  const optWrong = count('owner-more-optimistic', false);
  if (optWrong.length >= MIN_OVERRIDES_FOR_SUGGESTION) {
    out.push({
      id: 'owner-calibration-optimistic',
      area: 'owner-calibration',
      suggestion:
        'Review owner calls with the cs lead: optimistic overrides of an at-risk score were followed by loss',
      evidence: `${optWrong.length} contracts called renew/monitor against the score were lost`,
      changes: [],
    });
  }
  const pessWrong = count('owner-more-pessimistic', false);
  if (pessWrong.length >= MIN_OVERRIDES_FOR_SUGGESTION) {
    out.push({
      id: 'owner-calibration-cautious',
      area: 'owner-calibration',
      suggestion:
        'Owners are more cautious than outcomes justify: check whether concessions were offered that were not needed',
      evidence: `${pessWrong.length} contracts called at risk/churn against the score renewed in full`,
      changes: [],
    });
  }
  return out;
}

/** Build the monthly governance review. */
export function governanceReview(input: {
  month: MonthKey;
  policy: RenewalPolicy;
  standings: readonly ContractStanding[];
  opportunities: readonly UpliftOpportunity[];
  concessions: readonly DecidedConcession[];
  overrides: readonly OverrideLog[];
}): GovernanceReview {
  const { policy, standings } = input;
  const atRisk = standings.filter((s) => s.band === 'at-risk');
  const depth = averageConcessionDepth(input.concessions);
  const deep = input.concessions.filter((c) => c.discountPct > policy.concession.csLeadMaxPct);
  const resolved = input.overrides.filter((o) => o.outcome !== 'pending');
  const right = resolved.filter(ownerWasRight).length;
  const suggestions = tuningFromOverrides(input.overrides, policy);
  if (
    input.concessions.length >= MIN_OVERRIDES_FOR_SUGGESTION &&
    deep.length / input.concessions.length > 0.5
  ) {
    const limit = policy.concession.csLeadMaxPct;
    const deepAvg = deep.reduce((a, c) => a + c.discountPct, 0) / deep.length;
    const to = Math.min(policy.concession.maxPct, Math.ceil(deepAvg));
    suggestions.push({
      id: 'concession-tiers',
      area: 'concession-tiers',
      suggestion:
        to > limit
          ? `Most requests exceed the cs-lead limit of ${limit} %: raise it to ${to} % so the msp owner sees only the exceptions (or review pricing)`
          : `Most requests exceed the cs-lead limit of ${limit} %: review pricing`,
      evidence: `${deep.length} of ${input.concessions.length} decided requests were deeper than ${policy.concession.csLeadMaxPct} %`,
      changes: to > limit ? [{ setting: 'concession.csLeadMaxPct', from: limit, to }] : [],
    });
  }
  const conv = upliftConversion(input.opportunities);
  if (
    conv.conversionRate !== null &&
    conv.accepted + conv.declined >= 5 &&
    conv.conversionRate < 0.1
  ) {
    const theme = policy.uplift.recurringTheme.minTicketsPerMonth;
    const tolerance = policy.uplift.overrun.tolerance;
    suggestions.push({
      id: 'uplift',
      area: 'uplift',
      suggestion: 'Uplift proposals rarely convert: raise the uplift detection thresholds by half',
      evidence: `${conv.accepted} accepted of ${conv.accepted + conv.declined} answered proposals`,
      changes: [
        {
          setting: 'uplift.recurringTheme.minTicketsPerMonth',
          from: theme,
          to: Math.ceil(theme * 1.5),
        },
        { setting: 'uplift.overrun.tolerance', from: tolerance, to: round(tolerance + 0.1, 4) },
      ],
    });
  }
  return {
    month: input.month,
    policyVersion: policy.version,
    retentionRisk: {
      atRiskCount: atRisk.length,
      atRiskMrr: round(
        atRisk.reduce((a, s) => a + s.monthlyValue, 0),
        2,
      ),
      watchCount: standings.filter((s) => s.band === 'watch').length,
      newlyAtRisk: atRisk
        .filter((s) => s.previousBand !== null && s.previousBand !== 'at-risk')
        .map((s) => s.contractId),
      atRiskInWindow: atRisk
        .filter((s) => s.stage === '90' || s.stage === '60' || s.stage === '30')
        .map((s) => ({
          contractId: s.contractId,
          clientName: s.clientName,
          stage: s.stage,
          why: s.topDrivers,
        })),
      flaggedCount: standings.filter((s) => s.flagged).length,
      unknownCount: standings.filter((s) => s.band === 'unknown').length,
    },
    upliftConversion: conv,
    discountPressure: {
      requests: input.concessions.length,
      approvedAvgPct: depth.approvedAvgPct,
      requestedAvgPct: depth.requestedAvgPct,
      deepShare:
        input.concessions.length > 0 ? round(deep.length / input.concessions.length, 4) : null,
    },
    overrides: {
      total: input.overrides.length,
      resolved: resolved.length,
      ownerRightRate: resolved.length > 0 ? round(right / resolved.length, 4) : null,
    },
    tuningSuggestions: suggestions,
  };
}
