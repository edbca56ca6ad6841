/** Validation of a renewal policy as an admin supplies it: shape, ranges and cross-field rules. */
import { z } from 'zod';
import {
  CHURN_SIGNAL_FAMILIES,
  DEFAULT_CONCESSION_EXPIRY_DAYS,
  READINESS_DRIVER_KEYS,
  type RenewalPolicy,
} from './renewal-policy';

/**
 * The magnitude no renewal policy number may exceed (scores, days, counts, money-free ratios):
 * `1e308` is refused rather than silently breaking every comparison.
 */
export const MAX_POLICY_NUMBER = 1_000_000;
const num = z.number().finite().min(-MAX_POLICY_NUMBER).max(MAX_POLICY_NUMBER);
const nonNeg = num.nonnegative();
const pos = num.positive();
const share = num.min(0).max(1);
const intPos = z.number().int().positive().max(MAX_POLICY_NUMBER);
const driver = z.object({
  direction: z.enum(['higher-is-worse', 'lower-is-worse']),
  good: num,
  watch: num,
  risk: num,
  weight: nonNeg,
});

const policySchema = z.object({
  version: intPos,
  readiness: z.object({
    windowMonths: intPos.max(12),
    feedbackWindowMonths: intPos.max(12),
    minSample: intPos,
    minFeedbackScores: intPos,
    trendBaseFloor: pos,
    drivers: z.object({
      sla: driver,
      reopen: driver,
      p1: driver,
      ticketTrend: driver,
      feedback: driver,
      negativeLanguage: driver,
      utilisation: driver,
      prepay: driver,
      overdue: driver,
      delivery: driver,
    }),
    bands: z.object({
      readyMinScore: num.min(0).max(100),
      watchMinScore: num.min(0).max(100),
      readyMinConfidence: share,
      unknownBelowConfidence: share,
      atRiskDriverCount: intPos,
    }),
    confidence: z.object({
      noTicketHistory: share,
      shortHistory: share,
      noEntitlement: share,
      noInvoices: share,
      noFeedback: share,
      dataQuality: share,
      thinData: share,
      minMeasuredShare: share,
    }),
  }),
  window: z.object({
    checkpointDueDaysBeforeEnd: z.object({
      '90': z.number().int().nonnegative().max(MAX_POLICY_NUMBER),
      '60': z.number().int().nonnegative().max(MAX_POLICY_NUMBER),
      '30': z.number().int().nonnegative().max(MAX_POLICY_NUMBER),
    }),
    ownerEscalationAfterDays: z.number().int().nonnegative().max(MAX_POLICY_NUMBER),
  }),
  uplift: z.object({
    recurringTheme: z.object({
      windowMonths: intPos.max(12),
      minMonths: intPos,
      minTicketsPerMonth: pos,
      valuePerTicket: nonNeg,
      excludedCategories: z.array(z.string()),
    }),
    overrun: z.object({
      windowMonths: intPos.max(24),
      minMonths: intPos,
      tolerance: nonNeg,
      fallbackHourlyRate: nonNeg,
    }),
    underScoped: z.object({ tolerance: nonNeg, minShortfall: nonNeg }),
  }),
  concession: z.object({
    csLeadMaxPct: num.min(0).max(100),
    maxPct: num.min(0).max(100),
    minMarginAfterPct: num.max(100),
    sizeBands: z
      .array(z.object({ name: z.string().min(1), maxMonthlyValue: pos.nullable() }))
      .min(1),
    baseRenewalProbability: z.object({
      ready: share,
      watch: share,
      'at-risk': share,
      unknown: share,
    }),
    gapClosedPerPoint: share,
    // Older saved policies have none: the default applies.
    expiryDays: intPos.max(365).default(DEFAULT_CONCESSION_EXPIRY_DAYS),
  }),
  churn: z.object({
    leavingFamilies: z.array(z.enum(CHURN_SIGNAL_FAMILIES)),
    minLeavingFamilies: z.number().int().min(0).max(MAX_POLICY_NUMBER),
    baselineMonths: intPos.max(12),
    persistenceMonths: intPos.max(6),
    maxSkippedMonths: z.number().int().min(0).max(3),
    minCurrentMonthDays: z.number().int().min(1).max(31),
    noiseZ: nonNeg,
    flagScore: pos,
    fastTrackScore: pos,
    fastTrackFamilies: intPos,
    minFamilies: intPos,
    clearScore: nonNeg,
    horizonDays: intPos,
    highSeverityDays: z.number().int().nonnegative().max(MAX_POLICY_NUMBER),
    volume: z.object({ triggerRatio: pos, fullRatio: pos, minExtraPerMonth: nonNeg }),
    sla: z.object({
      triggerDrop: share,
      fullDrop: share,
      floor: share,
      fullFloor: share,
      minSample: intPos,
    }),
    reopen: z.object({ triggerRate: share, fullRate: share, minRise: share }),
    feedback: z.object({ triggerMax: num, fullMax: num, triggerDrop: nonNeg, fullDrop: nonNeg }),
    negativeLanguage: z.object({
      triggerPerTicket: nonNeg,
      fullPerTicket: nonNeg,
      minRiseFactor: nonNeg,
    }),
    overdue: z.object({ triggerDays: nonNeg, fullDays: nonNeg }),
    utilisation: z.object({ triggerBelow: share, fullBelow: share, maxShareOfBaseline: share }),
  }),
});

/** Result of validating a renewal policy: the typed policy, or every problem found. */
export type RenewalPolicyValidation =
  { ok: true; policy: RenewalPolicy } | { ok: false; problems: string[] };

/**
 * Validate a complete renewal policy: shape and ranges (zod), then the cross-field rules — driver
 * thresholds ordered in their direction, weights summing to 100, bands ordered, checkpoints ordered,
 * concession tiers inside the maximum, size bands ascending with one open-ended last band, churn
 * "full" levels beyond their triggers.
 */
export function validateRenewalPolicy(input: unknown): RenewalPolicyValidation {
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  const p: RenewalPolicy = parsed.data;
  const problems: string[] = [];
  let weights = 0;
  for (const key of READINESS_DRIVER_KEYS) {
    const d = p.readiness.drivers[key];
    weights += d.weight;
    const ordered =
      d.direction === 'higher-is-worse'
        ? d.good < d.watch && d.watch < d.risk
        : d.good > d.watch && d.watch > d.risk;
    if (!ordered) {
      problems.push(
        `readiness.drivers.${key}: good, watch and risk must be strictly ordered (${d.direction})`,
      );
    }
  }
  if (Math.abs(weights - 100) > 1e-9) {
    problems.push(`readiness.drivers: weights must sum to 100 (they sum to ${weights})`);
  }
  const b = p.readiness.bands;
  if (!(b.watchMinScore < b.readyMinScore)) {
    problems.push('readiness.bands: watchMinScore must be below readyMinScore');
  }
  if (!(b.unknownBelowConfidence <= b.readyMinConfidence)) {
    problems.push('readiness.bands: unknownBelowConfidence must not exceed readyMinConfidence');
  }
  const due = p.window.checkpointDueDaysBeforeEnd;
  if (!(due['90'] > 60 && due['90'] <= 90)) {
    problems.push(
      'window.checkpointDueDaysBeforeEnd.90: must fall inside the 90-day stage (61–90)',
    );
  }
  if (!(due['60'] > 30 && due['60'] <= 60)) {
    problems.push(
      'window.checkpointDueDaysBeforeEnd.60: must fall inside the 60-day stage (31–60)',
    );
  }
  if (!(due['30'] >= 0 && due['30'] <= 30)) {
    problems.push('window.checkpointDueDaysBeforeEnd.30: must fall inside the 30-day stage (0–30)');
  }
  const t = p.uplift.recurringTheme;
  if (t.minMonths > t.windowMonths) {
    problems.push('uplift.recurringTheme: minMonths must not exceed windowMonths');
  }
  const o = p.uplift.overrun;
  if (o.minMonths > o.windowMonths) {
    problems.push('uplift.overrun: minMonths must not exceed windowMonths');
  }
  const c = p.concession;
  if (c.csLeadMaxPct > c.maxPct) problems.push('concession: csLeadMaxPct must not exceed maxPct');
  c.sizeBands.forEach((band, i) => {
    const last = i === c.sizeBands.length - 1;
    if (last && band.maxMonthlyValue !== null) {
      problems.push(
        'concession.sizeBands: the last band must be open-ended (maxMonthlyValue null)',
      );
    }
    if (!last && band.maxMonthlyValue === null) {
      problems.push(`concession.sizeBands.${i}: only the last band may be open-ended`);
    }
    const prev = c.sizeBands[i - 1];
    if (
      prev?.maxMonthlyValue != null &&
      band.maxMonthlyValue !== null &&
      band.maxMonthlyValue <= prev.maxMonthlyValue
    ) {
      problems.push('concession.sizeBands: bands must ascend by maxMonthlyValue');
    }
  });
  const pr = c.baseRenewalProbability;
  if (!(pr.ready >= pr.watch && pr.watch >= pr['at-risk'])) {
    problems.push(
      'concession.baseRenewalProbability: must not rise from ready to watch to at-risk',
    );
  }
  const ch = p.churn;
  if (ch.minLeavingFamilies > new Set(ch.leavingFamilies).size) {
    problems.push('churn: minLeavingFamilies must not exceed the number of leavingFamilies');
  }
  if (ch.minLeavingFamilies > ch.minFamilies) {
    problems.push('churn: minLeavingFamilies must not exceed minFamilies');
  }
  if (ch.clearScore > ch.flagScore) problems.push('churn: clearScore must not exceed flagScore');
  if (ch.fastTrackScore < ch.flagScore)
    problems.push('churn: fastTrackScore must not be below flagScore');
  if (ch.fastTrackFamilies < ch.minFamilies) {
    problems.push('churn: fastTrackFamilies must not be below minFamilies');
  }
  if (!(ch.volume.fullRatio > ch.volume.triggerRatio && ch.volume.triggerRatio > 1)) {
    problems.push('churn.volume: need 1 < triggerRatio < fullRatio');
  }
  if (!(ch.sla.fullDrop > ch.sla.triggerDrop))
    problems.push('churn.sla: fullDrop must exceed triggerDrop');
  if (!(ch.sla.fullFloor < ch.sla.floor)) problems.push('churn.sla: fullFloor must be below floor');
  if (!(ch.reopen.fullRate > ch.reopen.triggerRate)) {
    problems.push('churn.reopen: fullRate must exceed triggerRate');
  }
  if (!(ch.feedback.fullMax < ch.feedback.triggerMax)) {
    problems.push('churn.feedback: fullMax must be below triggerMax');
  }
  if (!(ch.feedback.fullDrop > ch.feedback.triggerDrop)) {
    problems.push('churn.feedback: fullDrop must exceed triggerDrop');
  }
  if (!(ch.negativeLanguage.fullPerTicket > ch.negativeLanguage.triggerPerTicket)) {
    problems.push('churn.negativeLanguage: fullPerTicket must exceed triggerPerTicket');
  }
  if (!(ch.overdue.fullDays > ch.overdue.triggerDays)) {
    problems.push('churn.overdue: fullDays must exceed triggerDays');
  }
  if (!(ch.utilisation.fullBelow < ch.utilisation.triggerBelow)) {
    problems.push('churn.utilisation: fullBelow must be below triggerBelow');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: p };
}
