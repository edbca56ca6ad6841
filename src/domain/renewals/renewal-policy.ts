/**
 * Renewal policy: every threshold the renewal loop judges with — readiness drivers and bands,
 * confidence penalties, the 90/60/30 checkpoints, uplift detection, concession tiers and churn
 * flagging. Versioned so each judgement can name the policy it was taken under; validated as a
 * whole so a bad edit is refused with every problem listed.
 */

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

/** The churn signal families, in display order. */
export const CHURN_SIGNAL_FAMILIES = [
  'ticket-volume',
  'service-quality',
  'sentiment',
  'overdue-invoices',
  'low-utilisation',
] as const;

/** One churn signal family. */
export type ChurnSignalFamily = (typeof CHURN_SIGNAL_FAMILIES)[number];

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

/** Days a concession request waits for a decision before it expires, unless the policy says otherwise. */
export const DEFAULT_CONCESSION_EXPIRY_DAYS = 14;

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
      /** Complete months looked at (ending with the last complete month). */
      windowMonths: number;
      /**
       * Months of the window that must be over the entitlement, the last complete month among
       * them: the overrun is a pattern still going, not one spike month.
       */
      minMonths: number;
      /** Hours within this share over entitlement do not count as overrun. */
      tolerance: number;
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
    /** Days a request may wait for a decision before it expires (the requester is told). */
    expiryDays: number;
  };
  churn: {
    /**
     * Families that are evidence of the client leaving: sentiment, payment beyond its usual,
     * disengagement. The others (ticket volume, service quality) measure strain on the service,
     * which an overrunning or growing client shows too: they corroborate, never flag on their own.
     */
    leavingFamilies: ChurnSignalFamily[];
    /** Leaving families a flag needs among those that persist (and a fast-track flag shows). */
    minLeavingFamilies: number;
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
    /**
     * Once flagged, stays flagged while the latest judged evidence of each family sums to at least
     * this strength with a leaving family still among it (a month too thin to judge clears nothing).
     */
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
 * signal families on two consecutive monthly evaluations so one bad month does not flag, one of them
 * about leaving (a busy or overrunning client strains the service without meaning to go). An
 * overrun is proposed after three of four months over the entitlement, not on one spike month.
 * Version 2: churn needs a leaving family, overrun needs 3 of 4 months, no uplift in the churn band.
 * Version 3: "usual" is the client's median baseline month (a run-up cannot redefine it); a small
 * client's thin counts widen over up to three months; one leaving family at its full level for a
 * quarter flags without a second family; a client unhappy this month is not pitched;
 * an overrun month must clear a month's noise; a theme that recurred before the term is not
 * re-pitched to the renewal.
 */
export const DEFAULT_RENEWAL_POLICY: RenewalPolicy = {
  version: 3,
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
    overrun: { windowMonths: 4, minMonths: 3, tolerance: 0.1, fallbackHourlyRate: 95 },
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
    expiryDays: DEFAULT_CONCESSION_EXPIRY_DAYS,
  },
  churn: {
    leavingFamilies: ['sentiment', 'overdue-invoices', 'low-utilisation'],
    minLeavingFamilies: 1,
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

/** The size band of a contract by monthly value (first band whose maximum it does not exceed). */
export function sizeBandOf(monthlyValue: number, bands: readonly SizeBand[]): string {
  for (const b of bands) {
    if (b.maxMonthlyValue === null || monthlyValue <= b.maxMonthlyValue) return b.name;
  }
  return bands[bands.length - 1]?.name ?? 'all';
}

/** A stored policy as versions before a field existed saved it (the fields added later optional). */
export type StoredRenewalPolicy = Omit<RenewalPolicy, 'concession'> & {
  concession: Omit<RenewalPolicy['concession'], 'expiryDays'> & { expiryDays?: number };
};

/** A stored policy with the fields added since it was saved at their defaults. */
export function upgradeRenewalPolicy(stored: StoredRenewalPolicy): RenewalPolicy {
  return {
    ...stored,
    concession: {
      ...stored.concession,
      expiryDays: stored.concession.expiryDays ?? DEFAULT_CONCESSION_EXPIRY_DAYS,
    },
  };
}
