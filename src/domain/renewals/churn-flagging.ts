/**
 * Churn-risk flagging for the day-by-day replay and the daily evaluation: should this contract be
 * flagged as likely to churn, as of `asOf`?
 *
 * The judgement compares each contract with **its own history** (so it carries over to portfolios it
 * has never seen; an absolute floor counts only below the contract's own usual level) on five
 * independent signal families that build up over months before a customer leaves: rising ticket
 * volume, falling service quality (SLA attainment, reopens), negative sentiment (feedback scores,
 * negative language), late payment (invoices overdue beyond what is usual for the client,
 * including ones since paid) and falling utilisation. Each family gives a strength 0–1 (0 below
 * its trigger, 0.5 at it, 1 at its "full" level).
 *
 * Only some families are about leaving: sentiment, payment and disengagement (the policy's
 * `leavingFamilies`). Ticket volume and service quality measure strain on the service, which a busy
 * or overrunning client shows without meaning to go: they corroborate a leaving signal, never flag
 * on their own. A month whose hours ran above the entitlement explains its extra tickets (growth in
 * use, an uplift conversation), so its ticket volume is no churn evidence at all.
 *
 * Monthly evaluations: each calendar month on its own — the latest complete months and, once
 * `minCurrentMonthDays` into the month, the month to date (volumes prorated). Counts are judged by
 * the edge of their noise band (Poisson for volumes, note hits and hours, Wilson for SLA and reopen
 * rates, standard error for feedback), so small samples need clearer evidence. A contract is
 * flagged when at least `minFamilies` families, `minLeavingFamilies` of them about leaving, each
 * fire on their latest judged evaluation and on `persistenceMonths` of their last `persistenceMonths + 1`
 * judged evaluations, their weakest firing strengths
 * summing to `flagScore` — or one leaving family alone at its full level on each of the last
 * `persistenceMonths + 1` evaluations (sustained beyond doubt for a quarter): one bad month, one signal on its own, strain without a sign of leaving,
 * or different noise in different months is not a flag. A month too thin to judge a family (a
 * quiet month with too few SLA outcomes, say) is neither evidence for nor against it: the family's
 * persistence then reads up to `maxSkippedMonths` further back. Almost everything moving at once
 * (`fastTrackScore` with `fastTrackFamilies`, a leaving one among them) flags on the latest
 * evaluation alone. Stateless: persistence comes from history, so any day can be evaluated alone;
 * pass the previous result for hysteresis, which holds on evidence, not on the calendar.
 */
import { daysBetween, minDate, type IsoDate } from '../shared/dates';
import { median, round } from '../shared/numbers';
import {
  addMonths,
  hoursByMonth,
  intakeExceptions,
  lastDayOfMonth,
  monthCoverage,
  monthOf,
  ticketsByMonth,
  type ContractFacts,
  type MonthKey,
  type TicketMonth,
} from './contract-facts';
import { assessReadiness } from './readiness-score';
import {
  CHURN_SIGNAL_FAMILIES,
  type ChurnSignalFamily,
  type RenewalPolicy,
} from './renewal-policy';

/** The signals of one monthly evaluation. */
export interface ChurnEvaluation {
  /** The month evaluated (the month to date when it is the month of `asOf`). */
  month: MonthKey;
  /** Σ family strengths. */
  risk: number;
  strengths: Record<ChurnSignalFamily, number>;
  /** Whether the month held enough evidence to judge each family (0 strength then means clean). */
  judged: Record<ChurnSignalFamily, boolean>;
  /** Human-readable lines for the families that fired. */
  evidence: string[];
  /** The same lines by family. */
  evidenceBy: Partial<Record<ChurnSignalFamily, string[]>>;
}

/** Why a contract was not judged. */
export type ChurnBlock = 'data-quality' | 'expired' | 'beyond-horizon' | 'thin-history';

/** The flagging result. */
export interface ChurnRiskFlag {
  flagged: boolean;
  /** Strongest family when flagged; null otherwise. */
  cause: ChurnSignalFamily | null;
  /** Every family that fired on every persisted evaluation, strongest first. */
  causes: ChurnSignalFamily[];
  severity: 'medium' | 'high' | null;
  /** The contract's readiness score (0–100) as of `asOf`, for display alongside the flag. */
  score: number;
  /** Σ strengths of the latest evaluation (0–5). */
  risk: number;
  daysToEnd: number | null;
  blockedBy: ChurnBlock | null;
  /** Latest first; filled whenever the history allows, beyond the horizon too (the churn band). */
  evaluations: ChurnEvaluation[];
  explanation: string;
}

/** Whether a family measures the client leaving (as opposed to strain on the service). */
export function isLeavingFamily(f: ChurnSignalFamily, policy: RenewalPolicy): boolean {
  return policy.churn.leavingFamilies.includes(f);
}

/** 0 below `trigger`, 0.5 at it, rising linearly to 1 at `full` ("higher is worse"). */
export function rampUp(value: number, trigger: number, full: number): number {
  if (value < trigger) return 0;
  if (full <= trigger) return 1;
  return 0.5 + 0.5 * Math.min(1, (value - trigger) / (full - trigger));
}

/** Mirror of {@link rampUp} for "lower is worse" values (`full < trigger`). */
export function rampDown(value: number, trigger: number, full: number): number {
  return rampUp(-value, -trigger, -full);
}

interface Pooled {
  months: TicketMonth[];
  coverage: number;
}

function pool(
  byMonth: Map<MonthKey, TicketMonth>,
  months: readonly MonthKey[],
  asOf: IsoDate,
): Pooled {
  const out: TicketMonth[] = [];
  let coverage = 0;
  for (const m of months) {
    const t = byMonth.get(m);
    if (t) {
      out.push(t);
      coverage += monthCoverage(m, asOf);
    }
  }
  return { months: out, coverage };
}

function sumOf(p: Pooled, f: (t: TicketMonth) => number): number {
  return p.months.reduce((a, t) => a + f(t), 0);
}

/**
 * The client's usual rate `num / den`: the median of its baseline months' own rates (months with
 * `den` ≥ `minDen`), so a run-up already under way — the first bad months sliding into the
 * baseline — cannot raise "usual" to meet it; the pooled rate when fewer than three months
 * qualify; null when the baseline holds less than `minPooled` of `den`.
 */
function usualRate(
  base: Pooled,
  num: (t: TicketMonth) => number,
  den: (t: TicketMonth) => number,
  minDen: number,
  minPooled: number,
): number | null {
  const rates = base.months.filter((t) => den(t) >= minDen).map((t) => num(t) / den(t));
  if (rates.length >= 3) return median(rates);
  const total = sumOf(base, den);
  return total >= minPooled && total > 0 ? sumOf(base, num) / total : null;
}

/**
 * Wilson score interval of a proportion `k / n` at `z` standard deviations: the range of true rates
 * a sample this size is consistent with. Small samples give wide intervals, so noise cannot flag.
 */
export function wilson(k: number, n: number, z: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Month `p`'s evidence of a count `of`, needing at least `need` to judge. A small client whose
 * usual (median baseline) month never holds `need` would never be judged month by month, so its
 * window widens back a month at a time, at most `maxExtra` months, until it does. A client whose
 * usual month is big enough is judged on the month alone: a thin month of its own (a quiet month,
 * a month to date) is not judged, rather than borrowing a bad month already judged.
 */
function widened(
  byMonth: Map<MonthKey, TicketMonth>,
  base: Pooled,
  p: MonthKey,
  asOf: IsoDate,
  of: (t: TicketMonth) => number,
  need: number,
  maxExtra = 2,
): Pooled {
  let w = pool(byMonth, [p], asOf);
  const usual = median(base.months.map(of)) ?? 0;
  if (usual >= need) return w;
  for (let extra = 1; sumOf(w, of) < need && extra <= maxExtra; extra += 1) {
    w = pool(byMonth, back(p, 1 + extra), asOf);
  }
  return w;
}

/** The months `p, p−1, …` back `n` months (newest first). */
function back(p: MonthKey, n: number): MonthKey[] {
  return Array.from({ length: n }, (_, i) => addMonths(p, -i));
}

/** Evaluate the signal families for month `p` (a complete month, or the month to date). */
export function evaluateMonth(
  facts: ContractFacts,
  p: MonthKey,
  asOf: IsoDate,
  policy: RenewalPolicy,
): ChurnEvaluation {
  const c = policy.churn;
  const byMonth = ticketsByMonth(facts);
  // Each evaluation reads one month only, so two consecutive evaluations never share evidence:
  // one bad month cannot satisfy the persistence rule on its own.
  const recentMonths = [p];
  const recent = pool(byMonth, recentMonths, asOf);
  const z = c.noiseZ;
  const baselineMonths = back(addMonths(p, -2), c.baselineMonths);
  const base = pool(byMonth, baselineMonths, asOf);
  const baseOk = base.months.length >= Math.min(3, c.baselineMonths);
  const evidence: string[] = [];
  const evidenceBy: Partial<Record<ChurnSignalFamily, string[]>> = {};
  const note = (f: ChurnSignalFamily, line: string): void => {
    evidence.push(line);
    (evidenceBy[f] ??= []).push(line);
  };
  const strengths: Record<ChurnSignalFamily, number> = {
    'ticket-volume': 0,
    'service-quality': 0,
    sentiment: 0,
    'overdue-invoices': 0,
    'low-utilisation': 0,
  };
  const judged: Record<ChurnSignalFamily, boolean> = {
    'ticket-volume': false,
    'service-quality': false,
    sentiment: false,
    'overdue-invoices': false,
    'low-utilisation': false,
  };

  // Ticket volume against the contract's own median month, unless the month's hours ran above the
  // entitlement: then the extra tickets are growth in use (an uplift conversation), not churn.
  const opened = sumOf(recent, (t) => t.opened);
  const overrun = overEntitlement(facts, p, asOf, policy);
  if (baseOk && recent.coverage > 0 && overrun) {
    judged['ticket-volume'] = true;
  } else if (baseOk && recent.coverage > 0) {
    judged['ticket-volume'] = true;
    // Poisson noise: judge the volume by its lower bound, so small counts need a clearer rise.
    const vol = Math.max(0, opened - z * Math.sqrt(opened)) / recent.coverage;
    const baseVol = median(base.months.map((t) => t.opened)) ?? 0;
    const ratio = vol / Math.max(baseVol, 1);
    if (vol - baseVol >= c.volume.minExtraPerMonth) {
      const s = rampUp(ratio, c.volume.triggerRatio, c.volume.fullRatio);
      if (s > 0) {
        strengths['ticket-volume'] = s;
        note(
          'ticket-volume',
          `Tickets ${round(opened / recent.coverage, 1)}/month (at least ${round(vol, 1)} allowing for noise) vs a median of ${round(baseVol, 1)} (×${round(ratio, 2)})`,
        );
      }
    }
  }

  // Service quality: SLA attainment and reopens.
  const slaWin = widened(byMonth, base, p, asOf, (t) => t.slaTotal, c.sla.minSample);
  const slaTotal = sumOf(slaWin, (t) => t.slaTotal);
  let service = 0;
  if (slaTotal >= c.sla.minSample) {
    judged['service-quality'] = true;
    const slaMet = sumOf(slaWin, (t) => t.slaMet);
    const sla = slaMet / slaTotal;
    // Binomial noise: the best attainment the sample is consistent with must still be poor.
    const slaHigh = wilson(slaMet, slaTotal, z).high;
    const baseSla = usualRate(
      base,
      (t) => t.slaMet,
      (t) => t.slaTotal,
      c.sla.minSample,
      c.sla.minSample,
    );
    const drop = baseSla === null ? 0 : baseSla - slaHigh;
    // The floor is a change only for a contract that used to do better (or has no baseline yet):
    // a service that has always run at this level is what the client renews, not a signal.
    const s = Math.max(
      rampUp(drop, c.sla.triggerDrop, c.sla.fullDrop),
      baseSla === null || slaHigh < baseSla ? rampDown(slaHigh, c.sla.floor, c.sla.fullFloor) : 0,
    );
    if (s > 0) {
      service = s;
      note(
        'service-quality',
        `SLA attainment ${round(sla * 100, 1)} %${baseSla === null ? '' : ` vs ${round(baseSla * 100, 1)} % before`}`,
      );
    }
  }
  const reopenWin = widened(byMonth, base, p, asOf, (t) => t.opened, c.sla.minSample);
  const reopenOpened = sumOf(reopenWin, (t) => t.opened);
  if (reopenOpened >= c.sla.minSample) {
    judged['service-quality'] = true;
    const reopened = sumOf(reopenWin, (t) => t.reopened);
    const rate = reopened / reopenOpened;
    const rateLow = wilson(Math.min(reopened, reopenOpened), reopenOpened, z).low;
    const baseRate =
      usualRate(
        base,
        (t) => t.reopened,
        (t) => t.opened,
        c.sla.minSample,
        1,
      ) ?? 0;
    if (rateLow - baseRate >= c.reopen.minRise) {
      const s = rampUp(rateLow, c.reopen.triggerRate, c.reopen.fullRate);
      if (s > 0) {
        service = Math.max(service, s);
        note(
          'service-quality',
          `Reopen rate ${round(rate * 100, 1)} % vs ${round(baseRate * 100, 1)} % before`,
        );
      }
    }
  }
  strengths['service-quality'] = service;

  // Sentiment: feedback scores (sparse: extended back up to two more months) and negative language.
  let fbWin = recent;
  const scoresOf = (w: Pooled): number[] => w.months.flatMap((t) => t.feedbackScores);
  for (let extra = 1; scoresOf(fbWin).length < 2 && extra <= 2; extra += 1) {
    fbWin = pool(byMonth, back(p, recentMonths.length + extra), asOf);
  }
  let sentiment = 0;
  const scores = scoresOf(fbWin);
  if (scores.length >= 2) {
    judged.sentiment = true;
    const avg = scores.reduce((a, b) => a + b, 0) / scores.length;
    // Sampling noise: judge the best mean the scores are consistent with (sd at least 1 point).
    const sd = Math.max(
      1,
      Math.sqrt(scores.reduce((a, b) => a + (b - avg) ** 2, 0) / Math.max(1, scores.length - 1)),
    );
    const avgHigh = avg + (z * sd) / Math.sqrt(scores.length);
    // The usual score: the median of the baseline months' own averages (see usualRate).
    const baseAvg = usualRate(
      base,
      (t) => t.feedbackScores.reduce((a, b) => a + b, 0),
      (t) => t.feedbackScores.length,
      1,
      2,
    );
    // As for SLA: low scores are a signal when they are new for the client, not its usual.
    const s = Math.max(
      baseAvg === null || avgHigh < baseAvg
        ? rampDown(avgHigh, c.feedback.triggerMax, c.feedback.fullMax)
        : 0,
      baseAvg === null ? 0 : rampUp(baseAvg - avgHigh, c.feedback.triggerDrop, c.feedback.fullDrop),
    );
    if (s > 0) {
      sentiment = s;
      note(
        'sentiment',
        `Feedback ${round(avg, 2)}/5 over ${scores.length} scores${baseAvg === null ? '' : ` vs ${round(baseAvg, 2)} before`}`,
      );
    }
  }
  const langWin = widened(byMonth, base, p, asOf, (t) => t.opened, 3);
  const langOpened = sumOf(langWin, (t) => t.opened);
  if (langOpened >= 3) {
    judged.sentiment = true;
    const hits = sumOf(langWin, (t) => t.negativeNoteHits);
    const perTicket = hits / langOpened;
    const perTicketLow = Math.max(0, hits - z * Math.sqrt(hits)) / langOpened;
    const basePer =
      usualRate(
        base,
        (t) => t.negativeNoteHits,
        (t) => t.opened,
        3,
        1,
      ) ?? 0;
    if (perTicketLow >= c.negativeLanguage.minRiseFactor * basePer) {
      const s = rampUp(
        perTicketLow,
        c.negativeLanguage.triggerPerTicket,
        c.negativeLanguage.fullPerTicket,
      );
      if (s > 0) {
        sentiment = Math.max(sentiment, s);
        note(
          'sentiment',
          `Negative language ${round(perTicket, 2)} per ticket vs ${round(basePer, 2)} before`,
        );
      }
    }
  }
  strengths.sentiment = sentiment;

  // Payment lateness: the worst lateness the month saw (invoices paid late since count too), or
  // the invoices unpaid today projected back (overdue D days today was D − k days k days ago),
  // beyond what is usual for this client (a habitual late payer is not a new signal).
  const inv = facts.overdueInvoices;
  const lateness = new Map(facts.paymentLatenessByMonth.map((l) => [l.month, l.worstDaysOverdue]));
  const projected =
    inv !== null && inv.count > 0
      ? inv.oldestDaysOverdue - daysBetween(minDate(lastDayOfMonth(p), asOf), asOf)
      : 0;
  const recorded = lateness.get(p) ?? 0;
  const baseLateness = baselineMonths
    .map((m) => lateness.get(m))
    .filter((d): d is number => d !== undefined);
  const usual =
    baseLateness.length >= Math.min(3, c.baselineMonths) ? (median(baseLateness) ?? 0) : 0;
  judged['overdue-invoices'] = inv !== null || lateness.has(p);
  const late = Math.max(projected, recorded);
  const lateStrength = rampUp(late - usual, c.overdue.triggerDays, c.overdue.fullDays);
  if (lateStrength > 0) {
    strengths['overdue-invoices'] = lateStrength;
    note(
      'overdue-invoices',
      projected >= recorded && inv !== null
        ? `${inv.count} overdue invoices, oldest ${round(projected)} days past due${usual > 0 ? ` (usually ${round(usual)})` : ''}`
        : `Invoices up to ${round(recorded)} days past due in ${p}${usual > 0 ? ` (usually ${round(usual)})` : ''}`,
    );
  }

  // Utilisation falling well below the contract's own usual use of its entitlement.
  const ent = facts.entitlementHoursPerMonth;
  if (ent !== null && ent > 0) {
    const hours = hoursByMonth(facts);
    let used = 0;
    let cov = 0;
    for (const m of recentMonths) {
      const h = hours.get(m);
      if (h !== undefined) {
        used += h;
        cov += monthCoverage(m, asOf);
      }
    }
    const baseHours = baselineMonths
      .map((m) => hours.get(m))
      .filter((h): h is number => h !== undefined);
    if (cov > 0 && baseHours.length >= Math.min(3, c.baselineMonths)) {
      judged['low-utilisation'] = true;
      const util = used / (ent * cov);
      const baseUtil = (median(baseHours) ?? 0) / ent;
      // Sampling noise: hours counted like events around the client's usual use (a quiet ten days
      // of a small client is not disengagement); judge the most use the month is consistent with.
      const expected = baseUtil * ent * cov;
      const utilHigh = (used + z * Math.sqrt(Math.max(expected, 1))) / (ent * cov);
      if (utilHigh <= c.utilisation.maxShareOfBaseline * baseUtil) {
        const s = rampDown(utilHigh, c.utilisation.triggerBelow, c.utilisation.fullBelow);
        if (s > 0) {
          strengths['low-utilisation'] = s;
          note(
            'low-utilisation',
            `Utilisation ${round(util * 100, 1)} % of entitlement vs ${round(baseUtil * 100, 1)} % before`,
          );
        }
      }
    }
  }

  const risk = CHURN_SIGNAL_FAMILIES.reduce((a, f) => a + strengths[f], 0);
  return { month: p, risk: round(risk, 4), strengths, judged, evidence, evidenceBy };
}

/**
 * Whether the hours used in month `p` (prorated for the month to date) ran above the entitlement
 * beyond the overrun tolerance.
 */
function overEntitlement(
  facts: ContractFacts,
  p: MonthKey,
  asOf: IsoDate,
  policy: RenewalPolicy,
): boolean {
  const ent = facts.entitlementHoursPerMonth;
  if (ent === null || ent <= 0) return false;
  const used = hoursByMonth(facts).get(p);
  const cov = monthCoverage(p, asOf);
  if (used === undefined || cov <= 0) return false;
  return used / cov > ent * (1 + policy.uplift.overrun.tolerance);
}

/**
 * The months evaluated as of `asOf`, latest first: the `persistenceMonths` the flag reads, then up to
 * `maxSkippedMonths` older ones for families a month could not judge.
 */
export function evaluationMonths(asOf: IsoDate, policy: RenewalPolicy): MonthKey[] {
  const current = monthOf(asOf);
  const includeCurrent = Number(asOf.slice(8, 10)) >= policy.churn.minCurrentMonthDays;
  const latest = includeCurrent ? current : addMonths(current, -1);
  return back(latest, policy.churn.persistenceMonths + policy.churn.maxSkippedMonths);
}

/**
 * A family's persisting strength: it must fire on its latest judged evaluation and on
 * `persistenceMonths` of its latest `persistenceMonths + 1` judged ones (one clean month among
 * recurring bad ones, in a small client's thin months, does not reset the story); the strength is
 * the weakest of those firing months. 0 when it was judged fewer than `persistenceMonths` times.
 */
function persistingStrength(
  f: ChurnSignalFamily,
  evaluations: readonly ChurnEvaluation[],
  persistenceMonths: number,
): number {
  const judged = evaluations.filter((e) => e.judged[f]).slice(0, persistenceMonths + 1);
  if (judged.length < persistenceMonths || (judged[0]?.strengths[f] ?? 0) <= 0) return 0;
  const strongest = judged.map((e) => e.strengths[f]).sort((a, b) => b - a);
  return Math.min(...strongest.slice(0, persistenceMonths));
}

function families(e: ChurnEvaluation): ChurnSignalFamily[] {
  return CHURN_SIGNAL_FAMILIES.filter((f) => e.strengths[f] > 0);
}

/**
 * Each family's latest judged evidence: its strength on the newest evaluation that could judge it
 * (a month too thin to judge a family says nothing about it, so it neither holds nor clears it).
 */
export function latestJudged(
  evaluations: readonly ChurnEvaluation[],
): Partial<Record<ChurnSignalFamily, { month: MonthKey; strength: number }>> {
  const out: Partial<Record<ChurnSignalFamily, { month: MonthKey; strength: number }>> = {};
  for (const f of CHURN_SIGNAL_FAMILIES) {
    const e = evaluations.find((x) => x.judged[f]);
    if (e) out[f] = { month: e.month, strength: e.strengths[f] };
  }
  return out;
}

/**
 * The months a contract's evaluations read, judged as of `asOf` (latest first), or why it cannot
 * be compared with itself yet.
 */
export function churnEvaluations(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
): { ok: true; evaluations: ChurnEvaluation[] } | { ok: false } {
  const c = policy.churn;
  const months = evaluationMonths(asOf, policy);
  const required = months.slice(0, c.persistenceMonths);
  const byMonth = ticketsByMonth(facts);
  const oldestNeeded = addMonths(required[required.length - 1] ?? monthOf(asOf), -2);
  const history = facts.tickets.filter((t) => t.month <= oldestNeeded).length;
  if (history < Math.min(3, c.baselineMonths) || !required.every((m) => byMonth.has(m))) {
    return { ok: false };
  }
  const evaluations = months
    .filter((m) => byMonth.has(m))
    .map((m) => evaluateMonth(facts, m, asOf, policy));
  return evaluations.length === 0 ? { ok: false } : { ok: true, evaluations };
}

/**
 * Flag a contract likely to churn, as of `asOf`. Not judged (never flagged) when it has intake
 * exceptions (no end date, no owner…), has expired, ends beyond `horizonDays`, or lacks the
 * history for its evaluations. With `previous` flagged, the flag holds while the latest evaluation
 * keeps `clearScore` (hysteresis, so a flag does not flicker).
 */
export function flagRenewalRisk(
  facts: ContractFacts,
  asOf: IsoDate,
  policy: RenewalPolicy,
  previous?: { flagged: boolean },
): ChurnRiskFlag {
  const c = policy.churn;
  const score = assessReadiness(facts, asOf, policy).score;
  const dte = facts.endDate === null ? null : daysBetween(asOf, facts.endDate);
  const none = (
    blockedBy: ChurnBlock | null,
    explanation: string,
    evaluations: ChurnEvaluation[] = [],
  ): ChurnRiskFlag => ({
    flagged: false,
    cause: null,
    causes: [],
    severity: null,
    score,
    risk: evaluations[0]?.risk ?? 0,
    daysToEnd: dte,
    blockedBy,
    evaluations,
    explanation,
  });
  const issues = intakeExceptions(facts);
  if (issues.length > 0 || dte === null) {
    return none('data-quality', `Not judged: ${issues.join('; ') || 'no end date'}`);
  }
  if (dte < 0) return none('expired', 'Contract has ended');
  const judged = churnEvaluations(facts, asOf, policy);
  if (!judged.ok) {
    return none('thin-history', 'Not enough ticket history to compare the contract with itself');
  }
  const { evaluations } = judged;
  if (dte > c.horizonDays) {
    return none('beyond-horizon', `Ends in ${dte} days (horizon ${c.horizonDays})`, evaluations);
  }
  const latest = evaluations[0]!;
  const leaving = (fs: readonly ChurnSignalFamily[]): number =>
    fs.filter((f) => isLeavingFamily(f, policy)).length;

  // Each family must persist on its own: its weakest strength over its persisted evaluations.
  const persisting = CHURN_SIGNAL_FAMILIES.map((f) => ({
    f,
    s: persistingStrength(f, evaluations, c.persistenceMonths),
  })).filter((x) => x.s > 0);
  const persistentRisk = persisting.reduce((a, x) => a + x.s, 0);
  const persistent =
    persisting.length >= c.minFamilies &&
    leaving(persisting.map((x) => x.f)) >= c.minLeavingFamilies &&
    persistentRisk >= c.flagScore;
  // Corroborated, or sustained: one leaving family at its full level on every one of the last
  // `persistenceMonths + 1` evaluations (a client unhappy beyond doubt for a quarter) needs no
  // second family, as a burn that persists needs no second driver.
  const sustained = c.leavingFamilies.filter(
    (f) =>
      evaluations.length >= c.persistenceMonths + 1 &&
      evaluations
        .slice(0, c.persistenceMonths + 1)
        .every((e) => e.judged[f] && e.strengths[f] >= 1),
  );
  const fastTrack =
    latest.risk >= c.fastTrackScore &&
    families(latest).length >= c.fastTrackFamilies &&
    leaving(families(latest)) >= c.minLeavingFamilies;
  // Hysteresis on evidence: each family as of the newest month that could judge it.
  const current = latestJudged(evaluations);
  const showing = CHURN_SIGNAL_FAMILIES.filter((f) => (current[f]?.strength ?? 0) > 0);
  const currentRisk = showing.reduce((a, f) => a + (current[f]?.strength ?? 0), 0);
  const held =
    previous?.flagged === true &&
    currentRisk >= c.clearScore &&
    leaving(showing) >= Math.max(1, c.minLeavingFamilies);
  if (!persistent && sustained.length === 0 && !fastTrack && !held) {
    return none(
      null,
      `Risk ${latest.risk} (${families(latest).join(', ') || 'no signals'}); flags at ${c.flagScore} with ${c.minFamilies}+ families, ${c.minLeavingFamilies}+ about leaving (${c.leavingFamilies.join(', ')}), for ${c.persistenceMonths} months`,
      evaluations,
    );
  }
  const common = persistent
    ? persisting.map((x) => x.f)
    : sustained.length > 0
      ? sustained
      : fastTrack
        ? families(latest)
        : showing;
  const total = (f: ChurnSignalFamily): number =>
    evaluations.reduce((a, e) => a + e.strengths[f], 0);
  const causes = [...common].sort((a, b) => total(b) - total(a));
  const high =
    latest.risk >= 2 * c.flagScore || families(latest).length >= 3 || dte <= c.highSeverityDays;
  return {
    flagged: true,
    cause: causes[0] ?? null,
    causes,
    severity: high ? 'high' : 'medium',
    score,
    risk: latest.risk,
    daysToEnd: dte,
    blockedBy: null,
    evaluations,
    explanation: `${persistent ? 'Persistent' : sustained.length > 0 ? 'Sustained' : fastTrack ? 'Strong' : 'Still'} churn signals (${causes.join(', ')}); ${evidenceOf(evaluations, causes).join('; ')}`,
  };
}

/**
 * The evidence lines of `causes`, each from the newest evaluation where its family fired (the latest
 * month alone may be too thin to show a family that persists).
 */
function evidenceOf(
  evaluations: readonly ChurnEvaluation[],
  causes: readonly ChurnSignalFamily[],
): string[] {
  const out: string[] = [];
  for (const f of causes) {
    const e = evaluations.find((x) => x.strengths[f] > 0);
    for (const line of e?.evidenceBy[f] ?? []) {
      out.push(e === evaluations[0] ? line : `${line} (${e?.month})`);
    }
  }
  return out;
}

/** Whether a contract is in the churn band, where no uplift is pitched. */
export interface ChurnBand {
  inBand: boolean;
  /** Why, in signal terms; null when not in the band. */
  reason: string | null;
}

/**
 * The churn band: the contract is flagged, or one of its leaving families (sentiment, payment,
 * disengagement) fired on each of its last `persistenceMonths` judged evaluations — the flag's
 * persistence, without the flag's need for a second, corroborating family: enough to hold back a
 * pitch, not enough to raise an alarm. A month too thin to judge a family is looked past, as for
 * the flag; or sentiment firing on its latest judged month alone (a client complaining now is not
 * pitched more, though one sour month is no flag). Strain (ticket volume, service quality) and
 * usage above the entitlement never put a contract in the band. Read beyond the flag's horizon too.
 */
export function churnBand(flag: ChurnRiskFlag, policy: RenewalPolicy): ChurnBand {
  if (flag.flagged) {
    return { inBand: true, reason: `churn flagged (${flag.causes.join(', ')})` };
  }
  const n = policy.churn.persistenceMonths;
  const lines: string[] = [];
  for (const f of policy.churn.leavingFamilies) {
    if (persistingStrength(f, flag.evaluations, n) <= 0) continue;
    const latest = flag.evaluations.find((e) => e.strengths[f] > 0);
    if (latest) lines.push(...(latest.evidenceBy[f] ?? [f]).map((l) => `${l} (${latest.month})`));
  }
  if (lines.length > 0) return { inBand: true, reason: `leaving signals: ${lines.join('; ')}` };
  // A client unhappy right now (sentiment firing on its latest judged month, persisting or not) is
  // not pitched more of the same this month: an overrun then is pain to fix before it is growth.
  const latest = flag.evaluations.find((e) => e.judged.sentiment);
  if (latest === undefined || latest.strengths.sentiment <= 0)
    return { inBand: false, reason: null };
  const unhappy = (latest.evidenceBy.sentiment ?? ['sentiment']).map(
    (l) => `${l} (${latest.month})`,
  );
  return { inBand: true, reason: `client unhappy now: ${unhappy.join('; ')}` };
}
