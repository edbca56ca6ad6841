/**
 * Renewal policy: every threshold the renewal loop judges with — readiness drivers and bands,
 * confidence penalties, the 90/60/30 checkpoints, uplift detection, concession tiers and churn
 * flagging. Versioned so each judgement can name the policy it was taken under; validated as a
 * whole so a bad edit is refused with every problem listed.
 */
import { z } from 'zod';

/** Keys of the readiness drivers. */
export type ReadinessDriverKey =
  | 'sla'
  | 'reopen'
  | 'p1'
  | 'ticketTrend'
  | 'feedback'
  | 'negativeLanguage'
  | 'utilisation'
  | 'prepay'
  | 'overdue'
  | 'delivery';

/** The readiness drivers in display order. */
export const READINESS_DRIVER_KEYS: readonly ReadinessDriverKey[] = [
  'sla',
  'reopen',
  'p1',
  'ticketTrend',
  'feedback',
  'negativeLanguage',
  'utilisation',
  'prepay',
  'overdue',
  'delivery',
];

/**
 * Three points on a driver's scale. For `higher-is-worse` values `good ≤ watch ≤ risk`; for
 * `lower-is-worse` values `good ≥ watch ≥ risk`. At `good` or better the driver costs nothing, at
 * `watch` half its weight, at `risk` or worse its whole weight (linear in between).
 */
export interface DriverThreshold {
  direction: 'higher-is-worse' | 'lower-is-worse';
  good: number;
  watch: number;
  risk: number;
  /** Points (out of 100) the driver takes off at `risk`. The weights of all drivers sum to 100. */
  weight: number;
}

/** Concession size band: contracts up to `maxMonthlyValue` (null = no upper bound). */
export interface SizeBand {
  name: string;
  maxMonthlyValue: number | null;
}

/** Bands of readiness, best first; `unknown` when the data is too thin. */
export type ReadinessBand = 'ready' | 'watch' | 'at-risk' | 'unknown';

/** A complete renewal policy. */
export interface RenewalPolicy {
  version: number;
  readiness: {
    /** Months (ending with the month of `asOf`) the service and trend drivers look at. */
    windowMonths: number;
    /** Months of feedback scores averaged (feedback is sparse). */
    feedbackWindowMonths: number;
    /** Fewest tickets / SLA-judged tickets before a rate counts. */
    minSample: number;
    /** Fewest feedback scores before their mean counts. */
    minFeedbackScores: number;
    /** Prior-period tickets per month below which the trend uses this floor as its base. */
    trendBaseFloor: number;
    drivers: Record<ReadinessDriverKey, DriverThreshold>;
    bands: {
      readyMinScore: number;
      watchMinScore: number;
      /** `ready` needs at least this confidence (missing key data keeps a contract out of `ready`). */
      readyMinConfidence: number;
      /** Below this confidence the band is `unknown`. */
      unknownBelowConfidence: number;
      /** This many drivers at `risk` make the contract `at-risk` whatever the score. */
      atRiskDriverCount: number;
    };
    /** Confidence multipliers for missing or doubtful data. */
    confidence: {
      noTicketHistory: number;
      shortHistory: number;
      noEntitlement: number;
      noInvoices: number;
      noFeedback: number;
      dataQuality: number;
      /** Applied when less than `minMeasuredShare` of the applicable driver weight could be measured. */
      thinData: number;
      minMeasuredShare: number;
    };
  };
  window: {
    /** The checkpoint of each stage is due this many days before the end date. */
    checkpointDueDaysBeforeEnd: { '90': number; '60': number; '30': number };
    /** A missed checkpoint goes to the cs lead; this many days later (or in the 30-day stage) to the msp owner. */
    ownerEscalationAfterDays: number;
  };
  uplift: {
    recurringTheme: {
      /** Months looked at (ending with the last complete month). */
      windowMonths: number;
      /** Months within the window the category must reach `minTicketsPerMonth`. */
      minMonths: number;
      minTicketsPerMonth: number;
      /** Monthly value of a fix/managed service per recurring ticket per month. */
      valuePerTicket: number;
      /** Categories never proposed as themes (e.g. `General`). Case-insensitive. */
      excludedCategories: string[];
    };
    overrun: {
      /** Consecutive months over entitlement needed. */
      minConsecutiveMonths: number;
      /** Hours within this share over entitlement do not count as overrun. */
      tolerance: number;
      /** Months looked back for the latest run. */
      lookbackMonths: number;
      /** Hourly rate when the contract's own (value / entitlement) cannot be derived. */
      fallbackHourlyRate: number;
    };
    underScoped: {
      /** Observed quantity must exceed billed by this share… */
      tolerance: number;
      /** …and by at least this many units. */
      minShortfall: number;
    };
  };
  concession: {
    /** Deepest discount (%) a cs lead may approve; deeper goes to the msp owner. */
    csLeadMaxPct: number;
    /** Deepest discount (%) that can be requested at all. */
    maxPct: number;
    /** Margin after the concession (%) below which the msp owner must approve whatever the depth. */
    minMarginAfterPct: number;
    sizeBands: SizeBand[];
    /** Assumed renewal probability per readiness band before any concession. */
    baseRenewalProbability: Record<ReadinessBand, number>;
    /** Share of the remaining churn gap each discount point closes (diminishing, capped at the gap). */
    gapClosedPerPoint: number;
  };
  churn: {
    /** Months of the contract's own history used as its baseline. */
    baselineMonths: number;
    /** Consecutive monthly evaluations that must show the risk before it is flagged. */
    persistenceMonths: number;
    /**
     * Months a family may go unjudged (too few tickets, scores or SLA outcomes that month) and be
     * looked past: its persistence is read from its latest `persistenceMonths` judged months within
     * the last `persistenceMonths + maxSkippedMonths`. A month without evidence is not a clean month.
     */
    maxSkippedMonths: number;
    /** Days into the month before the month-to-date counts as an evaluation. */
    minCurrentMonthDays: number;
    /** Standard deviations of sampling noise a signal must clear (0 = judge raw values). */
    noiseZ: number;
    /** Σ over persisting families of their weakest strength (each 0–1) needed to flag. */
    flagScore: number;
    /**
     * Strong evidence flags on the latest evaluation alone: at least this Σ strength with at least
     * `fastTrackFamilies` families (several signals moving together are rarely noise).
     */
    fastTrackScore: number;
    fastTrackFamilies: number;
    /** Distinct signal families that must each fire on every persisted evaluation. */
    minFamilies: number;
    /** Once flagged, stays flagged while the latest evaluation keeps at least this strength. */
    clearScore: number;
    /** Only contracts ending within this many days are flagged. */
    horizonDays: number;
    /** Flags at most this many days before the end are high severity. */
    highSeverityDays: number;
    volume: { triggerRatio: number; fullRatio: number; minExtraPerMonth: number };
    sla: {
      triggerDrop: number;
      fullDrop: number;
      floor: number;
      fullFloor: number;
      minSample: number;
    };
    reopen: { triggerRate: number; fullRate: number; minRise: number };
    feedback: { triggerMax: number; fullMax: number; triggerDrop: number; fullDrop: number };
    negativeLanguage: { triggerPerTicket: number; fullPerTicket: number; minRiseFactor: number };
    overdue: { triggerDays: number; fullDays: number };
    utilisation: { triggerBelow: number; fullBelow: number; maxShareOfBaseline: number };
  };
}

/**
 * Default policy. Why these numbers: 90 % SLA attainment and a reopen rate under 8 % are common MSP
 * service targets; a third more tickets than the prior period or an average feedback under 4/5 is
 * worth a conversation; using under half the included hours means the client may not see the value;
 * invoices 30+ days overdue are a commercial warning, 60+ a serious one. Weights sum to 100 so each
 * driver's contribution reads as points off a perfect score. Churn flagging needs two independent
 * signal families on two consecutive monthly evaluations so one bad month does not flag.
 */
export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = {
  version: 1,
  readiness: {
    windowMonths: 3,
    feedbackWindowMonths: 6,
    minSample: 5,
    minFeedbackScores: 2,
    trendBaseFloor: 3,
    drivers: {
      sla: { direction: 'lower-is-worse', good: 0.95, watch: 0.9, risk: 0.8, weight: 12 },
      reopen: { direction: 'higher-is-worse', good: 0.05, watch: 0.08, risk: 0.15, weight: 6 },
      p1: { direction: 'higher-is-worse', good: 0, watch: 2, risk: 4, weight: 8 },
      ticketTrend: { direction: 'higher-is-worse', good: 0.1, watch: 0.3, risk: 0.6, weight: 12 },
      feedback: { direction: 'lower-is-worse', good: 4.2, watch: 3.8, risk: 3, weight: 12 },
      negativeLanguage: {
        direction: 'higher-is-worse',
        good: 0.1,
        watch: 0.25,
        risk: 0.5,
        weight: 8,
      },
      utilisation: { direction: 'lower-is-worse', good: 0.7, watch: 0.5, risk: 0.25, weight: 12 },
      prepay: { direction: 'higher-is-worse', good: 2, watch: 4, risk: 6, weight: 4 },
      overdue: { direction: 'higher-is-worse', good: 14, watch: 30, risk: 60, weight: 16 },
      delivery: { direction: 'higher-is-worse', good: 0, watch: 1, risk: 2, weight: 10 },
    },
    bands: {
      readyMinScore: 75,
      watchMinScore: 55,
      readyMinConfidence: 0.8,
      unknownBelowConfidence: 0.5,
      atRiskDriverCount: 2,
    },
    confidence: {
      noTicketHistory: 0.4,
      shortHistory: 0.85,
      noEntitlement: 0.75,
      noInvoices: 0.75,
      noFeedback: 0.9,
      dataQuality: 0.85,
      thinData: 0.7,
      minMeasuredShare: 0.6,
    },
  },
  window: {
    checkpointDueDaysBeforeEnd: { '90': 61, '60': 31, '30': 7 },
    ownerEscalationAfterDays: 7,
  },
  uplift: {
    recurringTheme: {
      windowMonths: 3,
      minMonths: 3,
      minTicketsPerMonth: 5,
      valuePerTicket: 40,
      excludedCategories: ['general', 'other', 'uncategorised', 'uncategorized'],
    },
    overrun: { minConsecutiveMonths: 2, tolerance: 0.1, lookbackMonths: 6, fallbackHourlyRate: 95 },
    underScoped: { tolerance: 0.05, minShortfall: 1 },
  },
  concession: {
    csLeadMaxPct: 10,
    maxPct: 50,
    minMarginAfterPct: 15,
    sizeBands: [
      { name: 'small', maxMonthlyValue: 2000 },
      { name: 'medium', maxMonthlyValue: 8000 },
      { name: 'large', maxMonthlyValue: null },
    ],
    baseRenewalProbability: { ready: 0.95, watch: 0.8, 'at-risk': 0.55, unknown: 0.75 },
    gapClosedPerPoint: 0.04,
  },
  churn: {
    baselineMonths: 6,
    persistenceMonths: 2,
    maxSkippedMonths: 1,
    minCurrentMonthDays: 10,
    noiseZ: 1,
    // Two families just at their triggers (0.5 + 0.5) sit on the noise edge: one must be clearly past.
    flagScore: 1.25,
    fastTrackScore: 3,
    fastTrackFamilies: 4,
    minFamilies: 2,
    clearScore: 0.5,
    horizonDays: 365,
    highSeverityDays: 90,
    volume: { triggerRatio: 1.4, fullRatio: 2, minExtraPerMonth: 3 },
    sla: { triggerDrop: 0.1, fullDrop: 0.25, floor: 0.8, fullFloor: 0.6, minSample: 5 },
    reopen: { triggerRate: 0.15, fullRate: 0.3, minRise: 0.08 },
    feedback: { triggerMax: 3, fullMax: 2, triggerDrop: 0.8, fullDrop: 1.5 },
    negativeLanguage: { triggerPerTicket: 0.3, fullPerTicket: 0.6, minRiseFactor: 2 },
    overdue: { triggerDays: 30, fullDays: 75 },
    utilisation: { triggerBelow: 0.4, fullBelow: 0.15, maxShareOfBaseline: 0.7 },
  },
};

const num = z.number().finite();
const nonNeg = num.nonnegative();
const pos = num.positive();
const share = num.min(0).max(1);
const intPos = z.number().int().positive();
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
      '90': z.number().int().nonnegative(),
      '60': z.number().int().nonnegative(),
      '30': z.number().int().nonnegative(),
    }),
    ownerEscalationAfterDays: z.number().int().nonnegative(),
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
      minConsecutiveMonths: intPos,
      tolerance: nonNeg,
      lookbackMonths: intPos.max(24),
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
  }),
  churn: z.object({
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
    highSeverityDays: z.number().int().nonnegative(),
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
  if (o.minConsecutiveMonths > o.lookbackMonths) {
    problems.push('uplift.overrun: minConsecutiveMonths must not exceed lookbackMonths');
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

/** The size band of a contract by monthly value (first band whose maximum it does not exceed). */
export function sizeBandOf(monthlyValue: number, bands: readonly SizeBand[]): string {
  for (const b of bands) {
    if (b.maxMonthlyValue === null || monthlyValue <= b.maxMonthlyValue) return b.name;
  }
  return bands[bands.length - 1]?.name ?? 'all';
}
