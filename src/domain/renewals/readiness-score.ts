/**
 * Renewal readiness: an explainable 0–100 score per contract, explained the same way as project
 * health. Each driver has a value, the policy thresholds it is judged against, a weight and the
 * whole points it takes off a perfect 100 — so `score = 100 − Σ contributions` exactly. A confidence
 * (0–1) drops with missing data (no ticket history, no entitlement, no invoices…); thin data gives
 * `unknown`, and missing key data never gives `ready`.
 *
 * Readiness is the whole renewal conversation (SPEC §3's five groups); it is not the churn
 * judgement. Of its drivers only some say the client may be leaving — feedback and negative
 * language (sentiment), overdue invoices (payment), low utilisation and unused prepay
 * (disengagement); service quality, ticket trend and project delivery say how the service is
 * going. The churn flag and the churn band read their own self-baselined signal families
 * (`churn-flagging.ts`), never this score. Hours used above the entitlement cost nothing here: the
 * utilisation driver only charges under-use, and a ticket rise that comes with hours over the
 * entitlement is growth in use (an uplift conversation), so the trend driver does not charge it.
 */
import { type IsoDate } from '../shared/dates';
import { round } from '../shared/numbers';
import {
  addMonths,
  hoursByMonth,
  intakeExceptions,
  monthCoverage,
  monthOf,
  ticketsByMonth,
  type ContractFacts,
  type MonthKey,
  type TicketMonth,
} from './contract-facts';
import {
  READINESS_DRIVER_KEYS,
  type DriverThreshold,
  type ReadinessBand,
  type ReadinessDriverKey,
  type RenewalPolicy,
} from './renewal-policy';

export type { ReadinessBand, ReadinessDriverKey } from './renewal-policy';

/** The five groups of drivers named in the product specification. */
export type DriverGroup =
  'service-quality' | 'ticket-trend' | 'sentiment' | 'commercial' | 'delivery';

/** Level of one driver against its thresholds. */
export type DriverLevel = 'ok' | 'watch' | 'risk';

/** One explained contribution to the readiness score. */
export interface ReadinessDriver {
  key: ReadinessDriverKey;
  group: DriverGroup;
  label: string;
  /** Measured value in `unit`; null when it could not be measured (costs nothing, lowers confidence). */
  value: number | null;
  unit: 'fraction' | 'count' | 'score-1-5' | 'per-ticket' | 'months' | 'days' | 'rag-rank';
  threshold: DriverThreshold;
  weight: number;
  level: DriverLevel | null;
  /** Whole points taken off 100 (≥ 0); Σ over drivers = 100 − score. */
  contribution: number;
  /** One sentence an account manager can read. */
  explanation: string;
}

/** One factor that reduced confidence. */
export interface ReadinessConfidenceFactor {
  key:
    | 'no-ticket-history'
    | 'short-history'
    | 'no-entitlement'
    | 'no-invoices'
    | 'no-feedback'
    | 'data-quality'
    | 'thin-data';
  label: string;
  /** Multiplier applied (0–1). */
  factor: number;
}

/** The engine's readiness judgement on one contract as of one day. */
export interface ReadinessAssessment {
  contractId: string;
  clientId: string;
  asOf: IsoDate;
  policyVersion: number;
  /** Integer 0–100; higher is readier to renew. */
  score: number;
  band: ReadinessBand;
  /** Why the band is what it is (e.g. "capped at watch: overdue invoices at risk level"). */
  bandReasons: string[];
  confidence: number;
  confidenceFactors: ReadinessConfidenceFactor[];
  /** Sorted by contribution, largest first. */
  drivers: ReadinessDriver[];
  dataQualityIssues: string[];
}

const GROUP: Record<ReadinessDriverKey, DriverGroup> = {
  sla: 'service-quality',
  reopen: 'service-quality',
  p1: 'service-quality',
  ticketTrend: 'ticket-trend',
  feedback: 'sentiment',
  negativeLanguage: 'sentiment',
  utilisation: 'commercial',
  prepay: 'commercial',
  overdue: 'commercial',
  delivery: 'delivery',
};

const LABEL: Record<ReadinessDriverKey, string> = {
  sla: 'SLA attainment',
  reopen: 'Reopen rate',
  p1: 'P1 tickets',
  ticketTrend: 'Ticket volume vs prior period',
  feedback: 'Customer feedback score',
  negativeLanguage: 'Negative language in ticket notes',
  utilisation: 'Hours used vs entitlement',
  prepay: 'Unused prepay balance',
  overdue: 'Oldest overdue invoice',
  delivery: "Delivery health of the client's projects",
};

const UNIT: Record<ReadinessDriverKey, ReadinessDriver['unit']> = {
  sla: 'fraction',
  reopen: 'fraction',
  p1: 'count',
  ticketTrend: 'fraction',
  feedback: 'score-1-5',
  negativeLanguage: 'per-ticket',
  utilisation: 'fraction',
  prepay: 'months',
  overdue: 'days',
  delivery: 'rag-rank',
};

const RAG_RANK: Record<'green' | 'amber' | 'red', number> = { green: 0, amber: 1, red: 2 };

/**
 * How bad a value is on a driver's scale, 0–1: 0 at `good` or better, 0.5 at `watch`, 1 at `risk`
 * or worse, linear in between. Monotone: a worse value never gives a lower severity.
 */
export function driverSeverity(value: number | null, t: DriverThreshold): number {
  if (value === null) return 0;
  // Mirror lower-is-worse scales so one formula serves both.
  const s = t.direction === 'higher-is-worse' ? 1 : -1;
  const v = s * value;
  const good = s * t.good;
  const watch = s * t.watch;
  const risk = s * t.risk;
  if (v <= good) return 0;
  if (v < watch) return (0.5 * (v - good)) / (watch - good);
  if (v < risk) return 0.5 + (0.5 * (v - watch)) / (risk - watch);
  return 1;
}

/** Level of a value: `risk` at or beyond `risk`, `watch` at or beyond `watch`, else `ok`. */
export function driverLevel(value: number | null, t: DriverThreshold): DriverLevel | null {
  if (value === null) return null;
  const s = t.direction === 'higher-is-worse' ? 1 : -1;
  if (s * value >= s * t.risk) return 'risk';
  if (s * value >= s * t.watch) return 'watch';
  return 'ok';
}

/**
 * Round raw contributions to whole points so that they sum to the rounded total (largest remainder):
 * the displayed contributions then reconcile exactly with the displayed score.
 */
export function apportion(raw: readonly number[]): number[] {
  const target = Math.round(raw.reduce((a, b) => a + b, 0));
  const floors = raw.map((r) => Math.floor(r));
  let left = target - floors.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, rem: r - Math.floor(r) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  const out = [...floors];
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left -= 1;
  }
  return out;
}

interface Window {
  months: TicketMonth[];
  coverage: number;
}

function ticketWindow(
  byMonth: Map<MonthKey, TicketMonth>,
  asOf: IsoDate,
  fromBack: number,
  length: number,
): Window {
  const current = monthOf(asOf);
  const months: TicketMonth[] = [];
  let coverage = 0;
  for (let i = fromBack; i < fromBack + length; i += 1) {
    const m = addMonths(current, -i);
    const t = byMonth.get(m);
    if (t) {
      months.push(t);
      coverage += monthCoverage(m, asOf);
    }
  }
  return { months, coverage };
}

function total(months: readonly TicketMonth[], f: (t: TicketMonth) => number): number {
  return months.reduce((a, t) => a + f(t), 0);
}

function pct(v: number): string {
  return `${round(v * 100, 1)} %`;
}

/** One driver as measured, before it is judged against its thresholds. */
export interface MeasuredDriver {
  value: number | null;
  /** False when the driver does not apply to the contract at all (no prepay, no projects). */
  applicable: boolean;
  detail: string;
  /** Why a measured value costs nothing here (the reason is part of the explanation). */
  excusedBy?: string;
}

/** The measured value of each driver (null when not measurable) plus whether it applies at all. */
export function measureDrivers(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): Record<ReadinessDriverKey, MeasuredDriver> {
  const r = policy.readiness;
  const byMonth = ticketsByMonth(facts);
  const win = ticketWindow(byMonth, asOf, 0, r.windowMonths);
  const prior = ticketWindow(byMonth, asOf, r.windowMonths, r.windowMonths);
  const opened = total(win.months, (t) => t.opened);
  const slaTotal = total(win.months, (t) => t.slaTotal);
  const slaMet = total(win.months, (t) => t.slaMet);
  const reopened = total(win.months, (t) => t.reopened);
  const p1 = total(win.months, (t) => t.p1);
  const hits = total(win.months, (t) => t.negativeNoteHits);
  const hasTickets = win.months.length > 0;

  let trend: number | null = null;
  let trendDetail = `needs ${r.windowMonths} months of prior history`;
  if (prior.months.length === r.windowMonths && win.coverage > 0) {
    const recentRate = opened / win.coverage;
    const priorRate = total(prior.months, (t) => t.opened) / r.windowMonths;
    trend = (recentRate - priorRate) / Math.max(priorRate, r.trendBaseFloor);
    trendDetail = `${round(recentRate, 1)} tickets/month vs ${round(priorRate, 1)} in the prior ${r.windowMonths} months`;
  }

  const fbWin = ticketWindow(byMonth, asOf, 0, r.feedbackWindowMonths);
  const scores = fbWin.months.flatMap((t) => t.feedbackScores);
  const feedback =
    scores.length >= r.minFeedbackScores ? scores.reduce((a, b) => a + b, 0) / scores.length : null;

  let utilisation: number | null = null;
  let utilDetail = 'no hours entitlement';
  const ent = facts.entitlementHoursPerMonth;
  if (ent !== null && ent > 0) {
    const hours = hoursByMonth(facts);
    let used = 0;
    let cov = 0;
    const current = monthOf(asOf);
    for (let i = 0; i < r.windowMonths; i += 1) {
      const m = addMonths(current, -i);
      const h = hours.get(m);
      if (h !== undefined) {
        used += h;
        cov += monthCoverage(m, asOf);
      }
    }
    utilisation = cov > 0 ? used / (ent * cov) : null;
    utilDetail =
      cov > 0
        ? `${round(used / cov, 1)} h/month used of ${ent} h included`
        : 'no hours logged data for the window';
  }

  const prepay =
    facts.prepayBalance !== null && facts.monthlyValue > 0
      ? Math.max(0, facts.prepayBalance) / facts.monthlyValue
      : null;
  const inv = facts.overdueInvoices;
  const overdue = inv === null ? null : inv.count > 0 ? inv.oldestDaysOverdue : 0;
  const ph = facts.projectHealth;
  const delivery = ph === null || ph.worstRag === 'unknown' ? null : RAG_RANK[ph.worstRag];

  const w = `last ${r.windowMonths} months`;
  return {
    sla: {
      value: slaTotal >= r.minSample ? slaMet / slaTotal : null,
      applicable: true,
      detail: `${slaMet} of ${slaTotal} tickets fixed within SLA, ${w}`,
    },
    reopen: {
      value: opened >= r.minSample ? reopened / opened : null,
      applicable: true,
      detail: `${reopened} reopened of ${opened} tickets, ${w}`,
    },
    p1: { value: hasTickets ? p1 : null, applicable: true, detail: `${p1} P1 tickets, ${w}` },
    ticketTrend: {
      value: trend,
      applicable: true,
      detail: trendDetail,
      // Growth in use above the entitlement is an uplift conversation, not a readiness risk.
      ...(utilisation !== null && utilisation > 1 + policy.uplift.overrun.tolerance
        ? { excusedBy: `hours used at ${pct(utilisation)} of the entitlement: growth in use` }
        : {}),
    },
    feedback: {
      value: feedback,
      applicable: true,
      detail: `${scores.length} feedback scores, last ${r.feedbackWindowMonths} months`,
    },
    negativeLanguage: {
      value: opened >= r.minSample ? hits / opened : null,
      applicable: true,
      detail: `${hits} negative-language hits over ${opened} tickets, ${w}`,
    },
    utilisation: { value: utilisation, applicable: true, detail: utilDetail },
    prepay: {
      value: prepay,
      applicable: facts.prepayBalance !== null,
      detail:
        facts.prepayBalance === null
          ? 'not a prepay contract'
          : `prepay balance ${round(facts.prepayBalance)} vs ${round(facts.monthlyValue)} per month`,
    },
    overdue: {
      value: overdue,
      applicable: true,
      detail:
        inv === null
          ? 'no invoices issued yet'
          : `${inv.count} overdue invoices totalling ${round(inv.amount)}`,
    },
    delivery: {
      value: delivery,
      applicable: ph !== null,
      detail:
        ph === null
          ? 'client has no projects'
          : `${ph.redCount} red and ${ph.amberCount} amber projects`,
    },
  };
}

function formatValue(key: ReadinessDriverKey, v: number): string {
  switch (UNIT[key]) {
    case 'fraction':
      return key === 'ticketTrend' ? `${v >= 0 ? '+' : ''}${pct(v)}` : pct(v);
    case 'score-1-5':
      return `${round(v, 2)}/5`;
    case 'per-ticket':
      return `${round(v, 2)} per ticket`;
    case 'months':
      return `${round(v, 1)} months of value`;
    case 'days':
      return `${round(v)} days`;
    case 'rag-rank':
      return ['green', 'amber', 'red'][v] ?? String(v);
    default:
      return String(round(v, 2));
  }
}

/** Assess one contract's renewal readiness as of `asOf` under `policy`. */
export function assessReadiness(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): ReadinessAssessment {
  const r = policy.readiness;
  const measured = measureDrivers(facts, asOf, policy);
  const raw = READINESS_DRIVER_KEYS.map((k) =>
    measured[k].excusedBy === undefined
      ? r.drivers[k].weight * driverSeverity(measured[k].value, r.drivers[k])
      : 0,
  );
  const points = apportion(raw);
  const drivers: ReadinessDriver[] = READINESS_DRIVER_KEYS.map((key, i) => {
    const m = measured[key];
    const t = r.drivers[key];
    const level = m.excusedBy === undefined ? driverLevel(m.value, t) : 'ok';
    const explanation =
      m.value === null
        ? `${LABEL[key]}: not measured (${m.detail}).`
        : m.excusedBy !== undefined
          ? `${LABEL[key]} ${formatValue(key, m.value)} (${m.detail}); not counted: ${m.excusedBy}, see uplift.`
          : `${LABEL[key]} ${formatValue(key, m.value)} (${m.detail}); watch at ${formatValue(key, t.watch)}, risk at ${formatValue(key, t.risk)}.`;
    return {
      key,
      group: GROUP[key],
      label: LABEL[key],
      value: m.value === null ? null : round(m.value, 4),
      unit: UNIT[key],
      threshold: t,
      weight: t.weight,
      level,
      contribution: points[i] ?? 0,
      explanation,
    };
  });
  const score = 100 - drivers.reduce((a, d) => a + d.contribution, 0);

  const issues = intakeExceptions(facts);
  const factors = confidenceFactors(facts, asOf, policy, measured, issues);
  const confidence = round(
    factors.reduce((a, f) => a * f.factor, 1),
    2,
  );

  const b = r.bands;
  const atRisk = drivers.filter((d) => d.level === 'risk');
  const reasons: string[] = [];
  let band: ReadinessBand;
  if (confidence < b.unknownBelowConfidence) {
    band = 'unknown';
    reasons.push(
      `confidence ${confidence} below ${b.unknownBelowConfidence}: ${factors.map((f) => f.label).join('; ')}`,
    );
  } else if (score < b.watchMinScore || atRisk.length >= b.atRiskDriverCount) {
    band = 'at-risk';
    if (score < b.watchMinScore) reasons.push(`score ${score} below ${b.watchMinScore}`);
    if (atRisk.length >= b.atRiskDriverCount) {
      reasons.push(
        `${atRisk.length} drivers at risk level: ${atRisk.map((d) => d.label).join(', ')}`,
      );
    }
  } else if (
    score >= b.readyMinScore &&
    atRisk.length === 0 &&
    confidence >= b.readyMinConfidence
  ) {
    band = 'ready';
    reasons.push(`score ${score} at or above ${b.readyMinScore} with no driver at risk level`);
  } else {
    band = 'watch';
    if (score < b.readyMinScore) reasons.push(`score ${score} below ${b.readyMinScore}`);
    if (atRisk.length > 0) {
      reasons.push(`capped at watch: ${atRisk.map((d) => d.label).join(', ')} at risk level`);
    }
    if (confidence < b.readyMinConfidence) {
      reasons.push(`capped at watch: confidence ${confidence} below ${b.readyMinConfidence}`);
    }
  }

  return {
    contractId: facts.contractId,
    clientId: facts.clientId,
    asOf,
    policyVersion: policy.version,
    score,
    band,
    bandReasons: reasons,
    confidence,
    confidenceFactors: factors,
    drivers: [...drivers].sort((a, b2) => b2.contribution - a.contribution),
    dataQualityIssues: issues,
  };
}

function confidenceFactors(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
  measured: ReturnType<typeof measureDrivers>,
  issues: string[],
): ReadinessConfidenceFactor[] {
  const c = policy.readiness.confidence;
  const out: ReadinessConfidenceFactor[] = [];
  const current = monthOf(asOf);
  const last12 = facts.tickets.filter(
    (t) => t.month <= current && t.month > addMonths(current, -12),
  );
  if (last12.length === 0) {
    out.push({ key: 'no-ticket-history', label: 'No ticket history', factor: c.noTicketHistory });
  } else if (last12.length < 2 * policy.readiness.windowMonths) {
    out.push({
      key: 'short-history',
      label: `Only ${last12.length} months of ticket history`,
      factor: c.shortHistory,
    });
  }
  if (facts.entitlementHoursPerMonth === null || facts.entitlementHoursPerMonth <= 0) {
    out.push({ key: 'no-entitlement', label: 'No hours entitlement', factor: c.noEntitlement });
  }
  if (facts.overdueInvoices === null) {
    out.push({ key: 'no-invoices', label: 'No invoice data', factor: c.noInvoices });
  }
  if (measured.feedback.value === null && last12.length > 0) {
    out.push({ key: 'no-feedback', label: 'Too few feedback scores', factor: c.noFeedback });
  }
  if (issues.length > 0) {
    out.push({
      key: 'data-quality',
      label: `Data-quality exceptions: ${issues.join('; ')}`,
      factor: c.dataQuality,
    });
  }
  let applicable = 0;
  let got = 0;
  for (const k of READINESS_DRIVER_KEYS) {
    if (!measured[k].applicable) continue;
    const w = policy.readiness.drivers[k].weight;
    applicable += w;
    if (measured[k].value !== null) got += w;
  }
  if (applicable > 0 && got / applicable < c.minMeasuredShare) {
    out.push({
      key: 'thin-data',
      label: `Only ${Math.round((100 * got) / applicable)} % of the applicable drivers measurable`,
      factor: c.thinData,
    });
  }
  return out;
}
