/**
 * Concession / pricing-exception approvals. A request (discount %, reason) is assessed with the
 * maths an approver needs — depth, revenue and margin after, the expected retention effect under a
 * stated assumption, and the precedent (average depth granted on similar contracts) — and routed to
 * the approver tier the policy names. The decision is a value: refused (wrong role, the requester
 * approving their own request, already decided, stale version) or decided; the state carries a
 * version so the store can apply it with compare-and-set and concurrent clicks yield one decision.
 */
import { type IsoDate } from '../shared/dates';
import { mean, round } from '../shared/numbers';
import { sizeBandOf, type ReadinessBand, type RenewalPolicy } from './renewal-policy';

/** A request for a discount or pricing exception on a contract's renewal. */
export interface ConcessionRequest {
  id: string;
  contractId: string;
  /** Agent / user id of the requester (an account manager). */
  requestedBy: string;
  /** Discount on the recurring value, in percent (10 = 10 %). */
  discountPct: number;
  reason: string;
  requestedAt: string;
}

/** Who can approve. */
export type ApproverTier = 'cs_lead' | 'msp_owner';

/** The contract figures an assessment needs. */
export interface ConcessionContract {
  contractId: string;
  monthlyValue: number;
  monthlyCost: number | null;
  contractType: string | null;
  /** Current readiness band (drives the assumed renewal probability). */
  band: ReadinessBand;
}

/** A past, decided concession used as precedent. */
export interface ConcessionPrecedent {
  contractId: string;
  monthlyValue: number;
  contractType: string | null;
  discountPct: number;
  outcome: 'approved' | 'rejected';
}

/** The expected effect of the concession on retention, with its assumption spelled out. */
export interface RetentionEffect {
  renewalProbabilityBefore: number;
  renewalProbabilityAfter: number;
  /** Probability-weighted monthly revenue without / with the concession. */
  expectedMonthlyRevenueBefore: number;
  expectedMonthlyRevenueAfter: number;
  /** After − before: positive when the concession is expected to pay for itself. */
  expectedMonthlyRevenueDelta: number;
  assumption: string;
}

/** What the approver sees. */
export interface ConcessionAssessment {
  contractId: string;
  depthPct: number;
  monthlyRevenueBefore: number;
  monthlyRevenueAfter: number;
  /** Monthly revenue given up. */
  monthlyConcession: number;
  /** Margin after the concession, in percent; null when the contract's cost is unknown. */
  marginAfterPct: number | null;
  marginBeforePct: number | null;
  expectedRetentionEffect: RetentionEffect;
  /** Average approved depth on similar contracts (same size band and type); null without precedent. */
  precedentAvgDepthPct: number | null;
  precedentCount: number;
  similarity: { sizeBand: string; contractType: string | null };
  approverTier: ApproverTier;
  /** Why that tier (depth and/or margin floor). */
  tierReasons: string[];
  /** Problems that make the request invalid (e.g. deeper than the policy maximum). */
  problems: string[];
}

function marginPct(revenue: number, cost: number | null): number | null {
  if (cost === null || revenue <= 0) return null;
  return round((100 * (revenue - cost)) / revenue, 2);
}

/**
 * Assess a concession request. Retention assumption: the renewal probability before is the
 * policy's figure for the contract's readiness band; each discount point closes
 * `gapClosedPerPoint` of the remaining churn gap (1 − p), capped at the whole gap — so discounts
 * matter most where risk is high and cannot buy more than certainty. Approver tier: depth up to
 * `csLeadMaxPct` → cs lead, deeper → msp owner; a margin after below `minMarginAfterPct` (or an
 * unknown margin on a deep request) also goes to the msp owner.
 */
export function assessConcession(
  request: ConcessionRequest,
  contract: ConcessionContract,
  precedents: readonly ConcessionPrecedent[],
  policy: RenewalPolicy,
): ConcessionAssessment {
  const c = policy.concession;
  const depth = request.discountPct;
  const problems: string[] = [];
  if (!(depth > 0)) problems.push('discount must be above 0 %');
  if (depth > c.maxPct)
    problems.push(`discount ${depth} % exceeds the policy maximum ${c.maxPct} %`);
  if (request.reason.trim() === '') problems.push('a reason is required');
  const before = contract.monthlyValue;
  const after = before * (1 - depth / 100);
  const marginAfter = marginPct(after, contract.monthlyCost);

  const p0 = c.baseRenewalProbability[contract.band];
  const p1 = p0 + (1 - p0) * Math.min(1, Math.max(0, depth) * c.gapClosedPerPoint);
  const retention: RetentionEffect = {
    renewalProbabilityBefore: round(p0, 3),
    renewalProbabilityAfter: round(p1, 3),
    expectedMonthlyRevenueBefore: round(p0 * before, 2),
    expectedMonthlyRevenueAfter: round(p1 * after, 2),
    expectedMonthlyRevenueDelta: round(p1 * after - p0 * before, 2),
    assumption:
      `Assumed renewal probability ${round(p0 * 100, 1)} % for a "${contract.band}" contract; each ` +
      `discount point closes ${round(c.gapClosedPerPoint * 100, 1)} % of the remaining churn gap, so ` +
      `${depth} % lifts it to ${round(p1 * 100, 1)} %. Policy assumptions, to be tuned from outcomes.`,
  };

  const sizeBand = sizeBandOf(before, c.sizeBands);
  const similar = precedents.filter(
    (p) =>
      p.outcome === 'approved' &&
      p.contractId !== contract.contractId &&
      sizeBandOf(p.monthlyValue, c.sizeBands) === sizeBand &&
      p.contractType === contract.contractType,
  );
  const avg = mean(similar.map((p) => p.discountPct));

  const tierReasons: string[] = [];
  let tier: ApproverTier = 'cs_lead';
  if (depth > c.csLeadMaxPct) {
    tier = 'msp_owner';
    tierReasons.push(`depth ${depth} % above the cs-lead limit of ${c.csLeadMaxPct} %`);
  } else {
    tierReasons.push(`depth ${depth} % within the cs-lead limit of ${c.csLeadMaxPct} %`);
  }
  if (marginAfter !== null && marginAfter < c.minMarginAfterPct) {
    tier = 'msp_owner';
    tierReasons.push(`margin after ${marginAfter} % below the floor of ${c.minMarginAfterPct} %`);
  }

  return {
    contractId: request.contractId,
    depthPct: depth,
    monthlyRevenueBefore: round(before, 2),
    monthlyRevenueAfter: round(after, 2),
    monthlyConcession: round(before - after, 2),
    marginAfterPct: marginAfter,
    marginBeforePct: marginPct(before, contract.monthlyCost),
    expectedRetentionEffect: retention,
    precedentAvgDepthPct: avg === null ? null : round(avg, 2),
    precedentCount: similar.length,
    similarity: { sizeBand, contractType: contract.contractType },
    approverTier: tier,
    tierReasons,
    problems,
  };
}

/** The roles that may decide at each tier (a higher tier may decide lower-tier requests). */
export const TIER_APPROVER_ROLES: Record<ApproverTier, readonly string[]> = {
  cs_lead: ['cs_lead', 'msp_owner'],
  msp_owner: ['msp_owner'],
};

/** A concession request's approval state. `version` increments with every change. */
export interface ConcessionState {
  request: ConcessionRequest;
  approverTier: ApproverTier;
  /** `expired`: nobody decided within the policy's `concession.expiryDays`. */
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  version: number;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

/** Open the approval state for an assessed request. */
export function openConcession(
  request: ConcessionRequest,
  assessment: ConcessionAssessment,
): ConcessionState {
  return {
    request,
    approverTier: assessment.approverTier,
    status: 'pending',
    version: 1,
    decidedBy: null,
    decidedAt: null,
    comment: null,
  };
}

/** Why a decision was refused. */
export type ConcessionRefusal =
  'wrong-role' | 'own-request' | 'already-decided' | 'stale-version' | 'comment-required';

/** The result of deciding: the new state (to store with compare-and-set on `version`) or a refusal. */
export type ConcessionDecisionResult =
  | { ok: true; state: ConcessionState; expectedVersion: number }
  | { ok: false; reason: ConcessionRefusal; state: ConcessionState };

/**
 * Decide a pending concession. Refused when the actor lacks the tier's role, when the actor is the
 * requester (segregation of duties), when it is already decided, when `expectedVersion` (the version
 * the actor's card showed) is not the current one, or when a rejection carries no comment. On
 * success the caller stores the new state only if the stored version still equals
 * `expectedVersion` — the second of two concurrent clicks then sees `already-decided`.
 */
export function decideConcession(
  state: ConcessionState,
  input: {
    actor: string;
    actorRoles: readonly string[];
    decision: 'approve' | 'reject';
    at: string;
    comment?: string;
    expectedVersion?: number;
  },
): ConcessionDecisionResult {
  if (state.status !== 'pending') return { ok: false, reason: 'already-decided', state };
  if (input.expectedVersion !== undefined && input.expectedVersion !== state.version) {
    return { ok: false, reason: 'stale-version', state };
  }
  if (input.actor === state.request.requestedBy) return { ok: false, reason: 'own-request', state };
  const allowed = TIER_APPROVER_ROLES[state.approverTier];
  if (!input.actorRoles.some((r) => allowed.includes(r))) {
    return { ok: false, reason: 'wrong-role', state };
  }
  const comment = input.comment?.trim() ?? '';
  if (input.decision === 'reject' && comment === '') {
    return { ok: false, reason: 'comment-required', state };
  }
  return {
    ok: true,
    expectedVersion: state.version,
    state: {
      ...state,
      status: input.decision === 'approve' ? 'approved' : 'rejected',
      version: state.version + 1,
      decidedBy: input.actor,
      decidedAt: input.at,
      comment: comment === '' ? null : comment,
    },
  };
}

/** Convenience for timelines and KPIs: the decided concessions of a list, with their day. */
export function decidedOn(state: ConcessionState): IsoDate | null {
  return state.decidedAt === null ? null : state.decidedAt.slice(0, 10);
}

/** When a request made at `requestedAt` expires undecided (ISO instant), `expiryDays` later. */
export function concessionExpiresAt(requestedAt: string, expiryDays: number): string {
  return new Date(Date.parse(requestedAt) + expiryDays * 86_400_000).toISOString();
}

/** A pending request nobody decided within `expiryDays` of its request, as of `now`. */
export function isConcessionExpired(
  state: Pick<ConcessionState, 'status' | 'request'>,
  now: string,
  expiryDays: number,
): boolean {
  return (
    state.status === 'pending' &&
    Date.parse(now) >= Date.parse(concessionExpiresAt(state.request.requestedAt, expiryDays))
  );
}
