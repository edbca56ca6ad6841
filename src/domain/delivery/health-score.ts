/**
 * Project health: an explainable 0–100 score with RAG, drivers that reconcile exactly to the score
 * (score = 100 − Σ contributions), risk tags, a confidence that drops with missing timesheets, absent
 * estimates/budget and stale data, and the persisted escalation signals. "unknown" — never green —
 * when the data is too thin to judge.
 */
import {
  addWorkingDays,
  daysBetween,
  latestWorkingDayOnOrBefore,
  workingDaysBetween,
  type IsoDate,
} from '../shared/dates';
import { clamp, round } from '../shared/numbers';
import { computeEarnedValue, type EarnedValue } from './earned-value';
import { burnForecast, effortModel, signalsFor, withRate, type DaySignals } from './forecast';
import {
  isEvidenceDay,
  resourcingGap,
  scopeCreep,
  type ResourcingGap,
  type ScopeCreep,
} from './leading-drivers';
import { levelFor, type DeliveryPolicy, type Level, type Thresholds } from './policy';
import {
  factsAsOf,
  intakeExceptions,
  missingMandatoryFields,
  type ProjectFacts,
} from './project-facts';
import { budgetHours, effectiveEstimates, estimateCoverage, progressOf } from './progress';

/** RAG of a project; `unknown` when the data is too thin to judge. */
export type Rag = 'green' | 'amber' | 'red' | 'unknown';

/** Risk tags shown with a project's health. */
export type RiskTag = 'burn' | 'schedule' | 'dependency' | 'scope' | 'resourcing' | 'data-quality';

/** Causes that can open an escalation. */
export type EscalationCause = 'burn' | 'schedule' | 'dependency';

/** The escalation causes, in display order. */
export const ESCALATION_CAUSES: readonly EscalationCause[] = ['burn', 'schedule', 'dependency'];

/** Keys of score drivers. */
export type DriverKey = EscalationCause | 'scope' | 'resourcing';

/** One explained contribution to the score. */
export interface HealthDriver {
  key: DriverKey;
  label: string;
  /** Current value in `unit`; null when it cannot be measured. */
  value: number | null;
  unit: 'fraction' | 'working-days';
  threshold: Thresholds;
  level: Level | null;
  weight: number;
  /** Points taken off 100 by this driver (≥ 0). */
  contribution: number;
  /** One sentence a PM can read. */
  explanation: string;
}

/**
 * A persisted view of one escalation signal. Burn and schedule are driver *families*: burn is the
 * worse of the burn forecast and scope creep (cost), schedule the worse of the schedule forecast and
 * the resourcing gap (time). Persistence counts working days with evidence only.
 */
export interface CauseSignal {
  cause: EscalationCause;
  /** The driver carrying today's level (e.g. `scope` for a burn signal driven by scope creep). */
  driver: DriverKey;
  value: number | null;
  level: Level | null;
  /**
   * The level that persisted: red or amber when it held on today's reading and on the last
   * `persistence.redDays` / `persistenceDays` evidence days (or `persistence.confirmedDays` when
   * another family confirmed it); green when it did not; null when today is unmeasurable.
   */
  persistentLevel: Level | null;
  /** The highest level over the same window. */
  peakLevel: Level | null;
  /** True when every value in the window was at or below back-to-green. */
  recovered: boolean;
  /** Evidence days over which the persistent level held (0 when it did not). */
  evidenceDays: number;
  /** The other family that confirmed the level early, when that is what opened it. */
  confirmedBy: EscalationCause | null;
  history: { date: IsoDate; value: number | null; level: Level | null; evidence: boolean }[];
  /** Suggested owner for this cause (milestone/workstream owner), when known. */
  ownerHintAgentId: string | null;
  /** A date by which the cause should be cleared to recover (e.g. the slipping milestone's date). */
  recoverBy: IsoDate | null;
}

/** One factor that reduced confidence. */
export interface ConfidenceFactor {
  key: 'budget' | 'estimates' | 'timesheets' | 'staleness' | 'data-quality' | 'evidence';
  label: string;
  /** Multiplier applied (0–1). */
  factor: number;
}

/** The engine's full judgement on one project as of one day. */
export interface ProjectAssessment {
  projectId: string;
  name: string;
  clientId: string;
  pmAgentId: string | null;
  status: ProjectFacts['status'];
  asOf: IsoDate;
  policyVersion: number;
  /** Model version (`r<code revision>.p<policy version>`): any rule or weight change moves it. */
  modelVersion: string;
  baselineVersion: number;
  score: number;
  rag: Rag;
  confidence: number;
  confidenceFactors: ConfidenceFactor[];
  /** Sorted by contribution, largest first; Σ contribution = 100 − score. */
  drivers: HealthDriver[];
  riskTags: RiskTag[];
  evm: EarnedValue;
  signals: Record<EscalationCause, CauseSignal>;
  /** Today's raw signal values; store them so tomorrow's assessment can check persistence cheaply. */
  reading: SignalReading;
  dataQualityIssues: string[];
}

/**
 * Revision of the judgement code (drivers, weights, persistence rule). Bump it with every change to
 * how a project is judged, so a trend can tell "the project changed" from "we changed the rules".
 * 2: persistence in working days with evidence; scope creep and resourcing gap drivers.
 * 3: milestones forecast by phase (a phase not yet at work on its plan, carrying the slip before it);
 *    scope growth the budget's room absorbs is not creep; silence longer than a holiday fortnight is
 *    evidence of a stall; a whole-project hold persists before it escalates.
 * 4: the team's pace is read from the weeks it worked (a week with no time at all is absence); the
 *    latest tasks set the cost rate only when every one of them ran over (one spiked task is no regime).
 * 5: the team's pace is read over the working days it was present (a run of a working week or more
 *    with nothing booked — a hold, a holiday — is absence, also inside a week); only a task that
 *    closed over its estimate confirms a cost forecast's level (one closed within it found no overrun).
 */
export const DELIVERY_MODEL_REVISION = 5;

/** The model version a judgement was made under: code revision and tenant policy version. */
export function deliveryModelVersion(policy: Pick<DeliveryPolicy, 'version'>): string {
  return `r${DELIVERY_MODEL_REVISION}.p${policy.version}`;
}

/** Levels from best to worst, for comparisons. */
export const LEVEL_RANK: Record<Level, number> = { green: 0, amber: 1, red: 2 };
const DRIVER_WEIGHTS: Record<DriverKey, number> = {
  burn: 1,
  schedule: 1,
  dependency: 1,
  scope: 0.5,
  resourcing: 0.4,
};
/**
 * Order among drivers with equal contributions: a blockage explains a slip, and cost overrun is
 * named before the schedule it usually drags along.
 */
const CAUSAL_ORDER: Record<DriverKey, number> = {
  dependency: 0,
  burn: 1,
  schedule: 2,
  scope: 3,
  resourcing: 4,
};
const DRIVER_LABELS: Record<DriverKey, string> = {
  burn: 'Forecast overrun at completion',
  schedule: 'Forecast milestone slip',
  dependency: 'Blocked work',
  scope: 'Estimate growth against a fixed budget',
  resourcing: 'Hours booked short of a near milestone',
};

/**
 * Penalty points for a "higher is worse" value: 0 at or below back-to-green, 25 at amber, 50 at red,
 * rising to 60 beyond red. A single full-weight driver at amber therefore lands exactly on the
 * amber band (75) and at red on the red band (50). Monotone non-decreasing in `value`.
 */
export function penaltyPoints(value: number | null, t: Thresholds): number {
  if (value === null || value <= t.backToGreen) return 0;
  if (value < t.amber) return (25 * (value - t.backToGreen)) / (t.amber - t.backToGreen);
  if (value < t.red) return 25 + (25 * (value - t.amber)) / (t.red - t.amber);
  const span = t.red - t.amber > 0 ? t.red - t.amber : Math.max(Math.abs(t.red), 1);
  return Math.min(60, 50 + (10 * (value - t.red)) / span);
}

/** RAG band of a score: > 75 green, > 50 amber, otherwise red. */
export function ragForScore(score: number): Exclude<Rag, 'unknown'> {
  if (score > 75) return 'green';
  if (score > 50) return 'amber';
  return 'red';
}

function worse(a: Level | null, b: Level | null): Level | null {
  if (a === null) return b;
  if (b === null) return a;
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** The signal values on one day, as kept in daily snapshots for persistence checks. */
export interface SignalReading {
  date: IsoDate;
  burn: number | null;
  schedule: number | null;
  dependency: number | null;
  /** Scope creep (fraction of budget); absent on readings stored before it existed. */
  scope?: number | null;
  /** Resourcing gap (share of the needed rate not booked); absent on older readings. */
  resourcing?: number | null;
  /** True when the project moved that day; absent (treated as evidence) on older readings. */
  evidence?: boolean;
  /** Tasks closed that day; absent on older readings. */
  closedTasks?: number;
  /**
   * Tasks closed that day that ran over their estimate (or whose hours or estimate are unknown, so
   * that cannot be ruled out); absent on older readings, where every closure counts.
   */
  overrunClosures?: number;
  /**
   * The burn forecast with every open task needing exactly its estimate (the closed tasks' rate set
   * aside): how much of the cost forecast the estimates alone carry. Absent on older readings.
   */
  planRateBurn?: number | null;
}

/** Everything measured on one day: the forecasts, the leading drivers and the reading. */
interface DayMeasure {
  signals: DaySignals;
  scope: ScopeCreep;
  gap: ResourcingGap;
  reading: SignalReading;
}

/**
 * Tasks closed on `facts.asOf` that ran over their estimate: a closure within its estimate re-measures
 * the cost rate and finds no overrun, so it cannot confirm one. A task whose logged hours or estimate
 * are unknown counts (nothing rules the overrun out).
 */
export function overrunClosuresOn(
  facts: ProjectFacts,
  est: ReadonlyMap<string, number> | null = effectiveEstimates(facts),
): number {
  return facts.tasks.filter((t) => {
    if (t.closedOn !== facts.asOf) return false;
    const estimate = est?.get(t.id) ?? null;
    return t.loggedHours === null || estimate === null || t.loggedHours > estimate;
  }).length;
}

/** Tasks closed on `facts.asOf`. */
function closuresOn(facts: ProjectFacts): number {
  let closed = 0;
  for (const t of facts.tasks) if (t.closedOn === facts.asOf) closed += 1;
  return closed;
}

function measure(facts: ProjectFacts, policy: DeliveryPolicy): DayMeasure {
  const est = effectiveEstimates(facts);
  const model = effortModel(facts, est);
  const signals = signalsFor(facts, policy, model, est);
  const planRateBurn =
    model === null ? null : burnForecast(facts, policy, withRate(facts, model, 1, est)).value;
  const scope = scopeCreep(facts, policy, est);
  const gap = resourcingGap(facts, policy, model);
  return {
    signals,
    scope,
    gap,
    reading: {
      date: facts.asOf,
      burn: signals.burn.value,
      schedule: signals.schedule.value,
      dependency: signals.dependency.value,
      scope: scope.value,
      resourcing: gap.value,
      evidence: isEvidenceDay(facts, facts.asOf),
      closedTasks: closuresOn(facts),
      overrunClosures: overrunClosuresOn(facts, est),
      planRateBurn,
    },
  };
}

/** The working days a persistence check looks at, latest first (today first, whatever it is). */
export function persistenceDates(asOf: IsoDate, days: number): IsoDate[] {
  const last = latestWorkingDayOnOrBefore(asOf);
  const out: IsoDate[] = [asOf];
  for (let i = last === asOf ? 1 : 0; out.length < days; i += 1) out.push(addWorkingDays(last, -i));
  return out;
}

/** One family's view of a reading: its level, the value and driver carrying it, and calm. */
interface FamilyPoint {
  date: IsoDate;
  driver: DriverKey;
  value: number | null;
  level: Level | null;
  /** Every member measured is at or below back-to-green (the main member must be measured). */
  calm: boolean;
  evidence: boolean;
}

/** One driver of a family: how to read it from a day's reading, and its thresholds. */
export type Member = {
  key: DriverKey;
  pick: (r: SignalReading) => number | null;
  t: Thresholds;
};

/** A driver family: the members whose worst level is the family's level (main member first). */
export interface Family {
  cause: EscalationCause;
  members: readonly [Member, ...Member[]];
  /**
   * Days with a task closure the held window must contain: a cost forecast rests on closed tasks'
   * hours, so it must be re-measured on fresh closures, not repeated from the ones that raised it.
   */
  minClosures?: number;
  /**
   * The main member's value with the closed tasks' rate set aside (estimates alone). Where that alone
   * holds the level, any closure re-measures it; where the level rests on the rate, only a closure
   * that ran over its estimate confirms it.
   */
  estimateBorne?: (r: SignalReading) => number | null;
}

function familyPoint(r: SignalReading, family: Family): FamilyPoint {
  const [main, ...rest] = family.members;
  let driver = main.key;
  let value = main.pick(r);
  let level = levelFor(value, main.t);
  let calm = value !== null && value <= main.t.backToGreen;
  for (const m of rest) {
    const v = m.pick(r);
    if (v !== null && v > m.t.backToGreen) calm = false;
    const l = levelFor(v, m.t);
    if (l !== null && (level === null || LEVEL_RANK[l] > LEVEL_RANK[level])) {
      driver = m.key;
      value = v;
      level = l;
    }
  }
  return { date: r.date, driver, value, level, calm, evidence: r.evidence ?? true };
}

const atLeast = (l: Level | null, min: Level): boolean =>
  l !== null && LEVEL_RANK[l] >= LEVEL_RANK[min];

/**
 * Persistence in working days with evidence. Today's reading always counts (a level that is gone
 * today does not open anything); earlier readings count only on evidence days, walking back at most
 * `persistence.lookbackWorkingDays`. A red level must hold `persistence.redDays` evidence days, an
 * amber one `persistenceDays`, or `persistence.confirmedDays` when another family held at least
 * amber on the same days.
 */
export function persistedSignal(
  family: Family,
  others: readonly Family[],
  reading: (i: number) => SignalReading | null,
  policy: DeliveryPolicy,
): Omit<CauseSignal, 'ownerHintAgentId' | 'recoverBy'> {
  const first = reading(0);
  const today = first === null ? null : familyPoint(first, family);
  const need = Math.max(policy.persistenceDays, policy.persistence.redDays);
  const evidence: { point: FamilyPoint; reading: SignalReading }[] = [];
  if (first !== null && today !== null && today.evidence)
    evidence.push({ point: today, reading: first });
  const hot = atLeast(today?.level ?? null, 'amber');
  // A hot cost family walks its whole amber run: its closures count wherever they fell in it.
  const wholeRun = hot && family.minClosures !== undefined;
  for (
    let i = 1;
    i <= policy.persistence.lookbackWorkingDays && (evidence.length < need || wholeRun);
    i += 1
  ) {
    const r = reading(i);
    if (r === null) break;
    const p = familyPoint(r, family);
    if (!p.evidence) continue;
    evidence.push({ point: p, reading: r });
    // Neither persistence nor recovery can still be shown: stop looking further back.
    if (!hot && !p.calm) break;
    if (hot && !atLeast(p.level, 'amber')) break;
  }
  const held = (n: number, min: Level): boolean =>
    today !== null &&
    atLeast(today.level, min) &&
    evidence.length >= n &&
    evidence.slice(0, n).every((e) => atLeast(e.point.level, min)) &&
    (family.minClosures === undefined || closureDays(min) >= family.minClosures);
  // Days with a confirming closure over the run of evidence days (from today back) at or above
  // `min`. Where the level rests on the closed tasks' rate (the estimates alone would not hold it),
  // only a task that closed over its estimate confirms it: one closed within its estimate
  // re-measured the rate and found no overrun. A level the estimates carry (scope grown past the
  // budget), or another member's, is re-measured by any closure.
  const closureDays = (min: Level): number => {
    let count = 0;
    for (const e of evidence) {
      if (!atLeast(e.point.level, min)) break;
      const closed = e.reading.closedTasks ?? 1;
      const [main] = family.members;
      const restsOnRate =
        e.point.driver === main.key &&
        family.estimateBorne !== undefined &&
        !atLeast(levelFor(family.estimateBorne(e.reading) ?? null, main.t), min);
      const confirming = restsOnRate ? (e.reading.overrunClosures ?? closed) : closed;
      if (confirming > 0) count += 1;
    }
    return count;
  };
  const otherHeld = (n: number): EscalationCause | null => {
    for (const other of others) {
      const ok =
        first !== null &&
        atLeast(familyPoint(first, other).level, 'amber') &&
        evidence.slice(0, n).every((e) => atLeast(familyPoint(e.reading, other).level, 'amber'));
      if (ok) return other.cause;
    }
    return null;
  };
  let persistent: Level | null = today?.level ?? null;
  let days = 0;
  let confirmedBy: EscalationCause | null = null;
  if (today !== null && today.level !== null) {
    if (held(policy.persistence.redDays, 'red')) {
      persistent = 'red';
      days = policy.persistence.redDays;
    } else if (held(policy.persistenceDays, 'amber')) {
      persistent = 'amber';
      days = policy.persistenceDays;
    } else if (held(policy.persistence.confirmedDays, 'amber')) {
      confirmedBy = otherHeld(policy.persistence.confirmedDays);
      persistent = confirmedBy === null ? 'green' : 'amber';
      days = confirmedBy === null ? 0 : policy.persistence.confirmedDays;
    } else persistent = 'green';
  }
  const window = [
    ...(today !== null && !today.evidence ? [today] : []),
    ...evidence.slice(0, policy.persistenceDays).map((e) => e.point),
  ];
  let peak: Level | null = null;
  for (const p of window) peak = worse(peak, p.level);
  return {
    cause: family.cause,
    driver: today?.driver ?? family.members[0].key,
    value: today?.value ?? null,
    level: today?.level ?? null,
    persistentLevel: persistent,
    peakLevel: peak,
    recovered: window.length > 0 && window.every((p) => p.calm),
    evidenceDays: days,
    confirmedBy,
    history: window.map((p) => ({
      date: p.date,
      value: p.value,
      level: p.level,
      evidence: p.evidence,
    })),
  };
}

function confidenceOf(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  issues: string[],
): ConfidenceFactor[] {
  const out: ConfidenceFactor[] = [];
  if (budgetHours(facts) === null) out.push({ key: 'budget', label: 'No budget', factor: 0.55 });
  const coverage = estimateCoverage(facts);
  if (coverage < 1) {
    out.push({
      key: 'estimates',
      label: `${Math.round(coverage * 100)} % of tasks estimated`,
      factor: coverage === 0 ? 0.4 : round(0.7 + 0.3 * coverage, 3),
    });
  }
  const agents = facts.assignedAgents;
  if (agents.length > 0 && facts.status !== 'closed') {
    const missing = agents.filter(
      (a) =>
        a.lastTimesheetDate === null ||
        workingDaysBetween(a.lastTimesheetDate, facts.asOf) > policy.timesheetGraceDays,
    ).length;
    if (missing > 0) {
      out.push({
        key: 'timesheets',
        label: `${missing} of ${agents.length} assigned agents without recent timesheets`,
        factor: round(0.7 + 0.3 * (1 - missing / agents.length), 3),
      });
    }
  }
  if (facts.dataAsOf === null) {
    out.push({ key: 'staleness', label: 'Never synced', factor: 0.3 });
  } else {
    const age = daysBetween(facts.dataAsOf, facts.asOf);
    if (age > policy.staleAfterDays) {
      out.push({
        key: 'staleness',
        label: `Data ${age} days old`,
        factor: round(Math.max(0.3, 1 - 0.1 * (age - policy.staleAfterDays)), 3),
      });
    }
  }
  if (issues.length > 0) {
    out.push({
      key: 'data-quality',
      label: `${issues.length} data-quality issue(s)`,
      factor: round(Math.max(0.8, 1 - 0.05 * issues.length), 3),
    });
  }
  const credited = progressOf(facts).creditedPercent;
  if (
    facts.status !== 'closed' &&
    (credited === null || credited < policy.minEvidence.progressShare)
  ) {
    out.push({ key: 'evidence', label: 'Too little progress to trust trends yet', factor: 0.9 });
  }
  return out;
}

function explain(key: DriverKey, value: number | null, m: DayMeasure): string {
  const s = m.signals;
  if (value === null) return `${DRIVER_LABELS[key]}: not measurable yet`;
  switch (key) {
    case 'burn':
      return s.burn.basis === 'already-over-budget'
        ? `Actual hours ${round(s.burn.actualHours, 1)} already exceed the budget of ${round(s.burn.budgetHours ?? 0, 1)}`
        : `Forecast ${round(s.burn.eacHours ?? 0, 1)} h at completion vs budget ${round(s.burn.budgetHours ?? 0, 1)} h (${round(value * 100, 1)} %)`;
    case 'schedule':
      return s.schedule.worst
        ? `${s.schedule.worst.name} forecast ${s.schedule.worst.forecastEnd ?? 'late'} vs planned ${s.schedule.worst.plannedEnd ?? '?'} (${value} working days)`
        : 'All milestones forecast on time';
    case 'dependency':
      return value > 0
        ? `Task ${s.dependency.worstTaskId ?? '(project)'} blocked for ${value} working days`
        : 'No material blockage';
    case 'scope':
      return `Estimates grew from ${round(m.scope.baselineEstimateHours ?? 0, 1)} h to ${round(m.scope.currentEstimateHours ?? 0, 1)} h since the baseline${m.scope.addedTasks > 0 ? ` (${m.scope.addedTasks} tasks added)` : ''} while the budget stayed ${round(m.scope.budgetHours ?? 0, 1)} h: growth of ${round(value * 100, 1)} % of the budget`;
    case 'resourcing':
      return m.gap.milestoneName === null
        ? 'Bookings keep pace with the near milestones'
        : `Booking ${m.gap.bookedPerDay ?? 0} h a day against ${m.gap.neededPerDay ?? 0} h a day needed to finish ${m.gap.milestoneName} by ${m.gap.plannedEnd ?? '?'} (${round(value * 100, 1)} % short)`;
  }
}

/**
 * Assess a project as of `facts.asOf` under `policy`. Persistence needs the signals of the previous
 * `persistenceDays − 1` working days: pass the stored `reading`s of earlier assessments as
 * `previous` (cheap, and exactly what was judged then); any day missing from it is recomputed from
 * the same facts truncated to that day, so the function also works with no stored state at all.
 */
export function assessProject(
  facts: ProjectFacts,
  policy: DeliveryPolicy,
  previous: readonly SignalReading[] = [],
): ProjectAssessment {
  const now = measure(facts, policy);
  const today = now.signals;
  // Earlier readings come from `previous` or, lazily and only as far back as needed, from the facts
  // truncated to that day.
  const last = latestWorkingDayOnOrBefore(facts.asOf);
  const offset = last === facts.asOf ? 0 : -1;
  const cache = new Map<number, SignalReading | null>([[0, now.reading]]);
  const readingAt = (i: number): SignalReading | null => {
    const hit = cache.get(i);
    if (hit !== undefined) return hit;
    const date = addWorkingDays(last, -(i + offset));
    const r =
      date < facts.startDate
        ? null
        : (previous.find((p) => p.date === date) ??
          measure(factsAsOf(facts, date), policy).reading);
    cache.set(i, r);
    return r;
  };
  const burnThresholds: Thresholds = facts.baseline.burnThresholds
    ? {
        amber: facts.baseline.burnThresholds.amber,
        red: facts.baseline.burnThresholds.red,
        backToGreen: Math.min(policy.burn.backToGreen, facts.baseline.burnThresholds.amber / 2),
      }
    : policy.burn;
  const cost: Family = {
    cause: 'burn',
    minClosures: policy.persistence.costClosures,
    estimateBorne: (r) => r.planRateBurn ?? null,
    members: [
      { key: 'burn', pick: (r) => r.burn, t: burnThresholds },
      { key: 'scope', pick: (r) => r.scope ?? null, t: policy.scope },
    ],
  };
  const time: Family = {
    cause: 'schedule',
    members: [
      { key: 'schedule', pick: (r) => r.schedule, t: policy.schedule },
      { key: 'resourcing', pick: (r) => r.resourcing ?? null, t: policy.resourcing },
    ],
  };
  // A whole project on hold is a visible, deliberate pause (the client's change freeze, a decision
  // awaited): like any other signal it must persist before it escalates, so its hold counts only
  // past the persistence window. A blocked task is hidden trouble and counts from its first day.
  const projectHold = facts.status === 'on-hold';
  const holdThresholds = projectHold
    ? {
        ...policy.dependency,
        amber: policy.dependency.amber + policy.persistenceDays,
        red: policy.dependency.red + policy.persistenceDays,
      }
    : policy.dependency;
  const blockage: Family = {
    cause: 'dependency',
    members: [{ key: 'dependency', pick: (r) => r.dependency, t: holdThresholds }],
  };
  const scheduleHints =
    now.gap.value !== null && levelFor(now.gap.value, policy.resourcing) !== 'green'
      ? { owner: null, recoverBy: now.gap.plannedEnd }
      : {
          owner: today.schedule.worst?.ownerAgentId ?? null,
          recoverBy: today.schedule.worst?.plannedEnd ?? null,
        };
  // The hints are added to each fresh signal (a spread that adds keys costs microseconds here).
  const signals: Record<EscalationCause, CauseSignal> = {
    burn: Object.assign(persistedSignal(cost, [time], readingAt, policy), {
      ownerHintAgentId: null,
      recoverBy: null,
    }),
    schedule: Object.assign(persistedSignal(time, [cost], readingAt, policy), {
      ownerHintAgentId: scheduleHints.owner,
      recoverBy: scheduleHints.recoverBy,
    }),
    // A blockage value is itself a duration, so it needs no further persistence window (and a
    // blockage that stops all work leaves no evidence days to count).
    dependency: Object.assign(
      persistedSignal(blockage, [], (i) => (i === 0 ? { ...now.reading, evidence: true } : null), {
        ...policy,
        persistenceDays: 1,
        persistence: { ...policy.persistence, redDays: 1, confirmedDays: 1 },
      }),
      { ownerHintAgentId: today.dependency.ownerAgentId, recoverBy: null },
    ),
  };

  const raw: Omit<HealthDriver, 'contribution' | 'explanation' | 'label'>[] = [
    {
      key: 'burn',
      value: today.burn.value,
      unit: 'fraction',
      threshold: burnThresholds,
      level: null,
      weight: 0,
    },
    {
      key: 'schedule',
      value: today.schedule.value,
      unit: 'working-days',
      threshold: policy.schedule,
      level: null,
      weight: 0,
    },
    {
      key: 'dependency',
      value: today.dependency.value,
      unit: 'working-days',
      threshold: policy.dependency,
      level: null,
      weight: 0,
    },
    {
      key: 'scope',
      value: now.scope.value,
      unit: 'fraction',
      threshold: policy.scope,
      level: null,
      weight: 0,
    },
    {
      key: 'resourcing',
      value: now.gap.value,
      unit: 'fraction',
      threshold: policy.resourcing,
      level: null,
      weight: 0,
    },
  ];
  // Contributions in hundredths of a point (integers) so they sum to the score exactly.
  let budget = 10_000;
  const drivers: HealthDriver[] = raw
    .map((d) => {
      const weight = DRIVER_WEIGHTS[d.key];
      const t = {
        amber: d.threshold.amber,
        red: d.threshold.red,
        backToGreen: d.threshold.backToGreen,
      };
      // One literal, keys in the order of `raw` then the added ones: cheaper than a spread.
      return {
        key: d.key,
        value: d.value,
        unit: d.unit,
        threshold: t,
        level: levelFor(d.value, t),
        weight,
        label: DRIVER_LABELS[d.key],
        contribution: Math.round(weight * penaltyPoints(d.value, t) * 100),
        explanation: explain(d.key, d.value, now),
      };
    })
    .sort((a, b) => b.contribution - a.contribution || CAUSAL_ORDER[a.key] - CAUSAL_ORDER[b.key]);
  for (const d of drivers) {
    const c = Math.min(d.contribution, budget);
    budget -= c;
    d.contribution = c / 100;
  }
  const score = budget / 100;
  const bac = budgetHours(facts);
  const est = effectiveEstimates(facts);

  const issues = [...new Set([...intakeExceptions(facts), ...facts.dataQualityIssues])];
  const confidenceFactors = confidenceOf(facts, policy, issues);
  const confidence = round(
    clamp(
      confidenceFactors.reduce((acc, f) => acc * f.factor, 1),
      0,
      1,
    ),
    3,
  );
  // Missing mandatory fields (SPEC §4): listed as exceptions, never green, never escalated.
  const tooThin =
    (bac === null && est === null) ||
    confidence < policy.confidenceFloor ||
    missingMandatoryFields(facts).length > 0;
  let rag: Rag;
  if (tooThin) rag = 'unknown';
  else {
    const worstLevel = drivers.reduce<Level | null>(
      (acc, d) => (d.key === 'scope' || d.key === 'resourcing' ? acc : worse(acc, d.level)),
      null,
    );
    const band = ragForScore(score);
    rag = worse(band, worstLevel) ?? band;
    if (rag === 'green' && confidence < policy.minConfidenceForGreen) rag = 'unknown';
  }

  const tags: RiskTag[] = [];
  const atLeastAmber = (k: DriverKey): boolean => {
    const l = drivers.find((d) => d.key === k)?.level;
    return l === 'amber' || l === 'red';
  };
  if (atLeastAmber('burn') || today.burn.basis === 'already-over-budget') tags.push('burn');
  if (atLeastAmber('schedule')) tags.push('schedule');
  if (atLeastAmber('dependency')) tags.push('dependency');
  if (atLeastAmber('scope')) tags.push('scope');
  if (
    atLeastAmber('resourcing') ||
    confidenceFactors.some((f) => f.key === 'timesheets' && f.factor < 0.85)
  ) {
    tags.push('resourcing');
  }
  if (tooThin || issues.length > 0 || confidence < 0.8) tags.push('data-quality');

  return {
    projectId: facts.projectId,
    name: facts.name,
    clientId: facts.clientId,
    pmAgentId: facts.pmAgentId,
    status: facts.status,
    asOf: facts.asOf,
    policyVersion: policy.version,
    modelVersion: deliveryModelVersion(policy),
    baselineVersion: facts.baseline.version,
    score,
    rag,
    confidence,
    confidenceFactors,
    drivers,
    riskTags: tags,
    evm: computeEarnedValue(facts, policy, today.schedule.value),
    signals,
    reading: now.reading,
    dataQualityIssues: issues,
  };
}
