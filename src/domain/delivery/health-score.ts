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
import { clamp, round, sum } from '../shared/numbers';
import { computeEarnedValue, type EarnedValue } from './earned-value';
import { signalsFor, type DaySignals } from './forecast';
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

/** A persisted view of one escalation signal over the last `persistenceDays` working days. */
export interface CauseSignal {
  cause: EscalationCause;
  value: number | null;
  level: Level | null;
  /** The level held on every one of the last `persistenceDays` evaluations (the lowest of them). */
  persistentLevel: Level | null;
  /** The highest level over the same window. */
  peakLevel: Level | null;
  /** True when every value in the window was at or below back-to-green. */
  recovered: boolean;
  history: { date: IsoDate; value: number | null; level: Level | null }[];
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
  scope: 'Estimate growth over baseline',
  resourcing: 'Unassigned remaining work',
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

/** The three signal values on one day, as kept in daily snapshots for persistence checks. */
export interface SignalReading {
  date: IsoDate;
  burn: number | null;
  schedule: number | null;
  dependency: number | null;
}

function readingOf(s: DaySignals): SignalReading {
  return {
    date: s.date,
    burn: s.burn.value,
    schedule: s.schedule.value,
    dependency: s.dependency.value,
  };
}

/** The working days a persistence check looks at, latest first. */
export function persistenceDates(asOf: IsoDate, days: number): IsoDate[] {
  const last = latestWorkingDayOnOrBefore(asOf);
  const out: IsoDate[] = [asOf];
  for (let i = 1; i < days; i += 1) out.push(addWorkingDays(last, -i));
  return out;
}

function causeSignal(
  cause: EscalationCause,
  history: SignalReading[],
  current: DaySignals,
  t: Thresholds,
): CauseSignal {
  const points = history.map((s) => ({
    date: s.date,
    value: s[cause],
    level: levelFor(s[cause], t),
  }));
  const first = points[0];
  let persistent: Level | null = first?.level ?? null;
  let peak: Level | null = null;
  for (const p of points) {
    peak = worse(peak, p.level);
    if (p.level === null || persistent === null) persistent = null;
    else if (LEVEL_RANK[p.level] < LEVEL_RANK[persistent]) persistent = p.level;
  }
  let owner: string | null = null;
  let recoverBy: IsoDate | null = null;
  if (cause === 'schedule') {
    owner = current.schedule.worst?.ownerAgentId ?? null;
    recoverBy = current.schedule.worst?.plannedEnd ?? null;
  } else if (cause === 'dependency') owner = current.dependency.ownerAgentId;
  return {
    cause,
    value: first?.value ?? null,
    level: first?.level ?? null,
    persistentLevel: persistent,
    peakLevel: peak,
    recovered: points.every((p) => p.value !== null && p.value <= t.backToGreen),
    history: points,
    ownerHintAgentId: owner,
    recoverBy,
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

function explain(key: DriverKey, value: number | null, s: DaySignals): string {
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
      return `Total estimate ${round(value * 100, 1)} % over the baseline`;
    case 'resourcing':
      return `${round(value * 100, 1)} % of remaining work has no assignee`;
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
  const today = signalsFor(facts, policy);
  const history: SignalReading[] = [readingOf(today)];
  for (const d of persistenceDates(facts.asOf, policy.persistenceDays).slice(1)) {
    history.push(
      previous.find((p) => p.date === d) ?? readingOf(signalsFor(factsAsOf(facts, d), policy)),
    );
  }
  const burnThresholds: Thresholds = facts.baseline.burnThresholds
    ? {
        amber: facts.baseline.burnThresholds.amber,
        red: facts.baseline.burnThresholds.red,
        backToGreen: Math.min(policy.burn.backToGreen, facts.baseline.burnThresholds.amber / 2),
      }
    : policy.burn;
  const signals = {
    burn: causeSignal('burn', history, today, burnThresholds),
    schedule: causeSignal('schedule', history, today, policy.schedule),
    // A blockage value is itself a duration, so it needs no further persistence window.
    dependency: causeSignal('dependency', history.slice(0, 1), today, policy.dependency),
  };

  const est = effectiveEstimates(facts);
  const bac = budgetHours(facts);
  const totalEstimate = est === null ? null : sum([...est.values()]);
  const scopeValue = bac !== null && totalEstimate !== null ? totalEstimate / bac - 1 : null;
  const openTasks = facts.tasks.filter((t) => t.status !== 'closed');
  const remaining = sum(openTasks.map((t) => est?.get(t.id) ?? 1));
  const unassigned = sum(
    openTasks.filter((t) => t.agentId === null).map((t) => est?.get(t.id) ?? 1),
  );
  const resourcingValue = remaining > 0 ? unassigned / remaining : 0;

  const raw: Omit<HealthDriver, 'contribution' | 'explanation' | 'label'>[] = [
    {
      key: 'burn',
      value: signals.burn.value,
      unit: 'fraction',
      threshold: burnThresholds,
      level: null,
      weight: 0,
    },
    {
      key: 'schedule',
      value: signals.schedule.value,
      unit: 'working-days',
      threshold: policy.schedule,
      level: null,
      weight: 0,
    },
    {
      key: 'dependency',
      value: signals.dependency.value,
      unit: 'working-days',
      threshold: policy.dependency,
      level: null,
      weight: 0,
    },
    {
      key: 'scope',
      value: scopeValue,
      unit: 'fraction',
      threshold: policy.scope,
      level: null,
      weight: 0,
    },
    {
      key: 'resourcing',
      value: resourcingValue,
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
      return {
        ...d,
        threshold: t,
        label: DRIVER_LABELS[d.key],
        level: levelFor(d.value, t),
        weight,
        contribution: Math.round(weight * penaltyPoints(d.value, t) * 100),
        explanation: explain(d.key, d.value, today),
      };
    })
    .sort((a, b) => b.contribution - a.contribution || CAUSAL_ORDER[a.key] - CAUSAL_ORDER[b.key])
    .map((d) => {
      const c = Math.min(d.contribution, budget);
      budget -= c;
      return { ...d, contribution: c / 100 };
    });
  const score = budget / 100;

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
    baselineVersion: facts.baseline.version,
    score,
    rag,
    confidence,
    confidenceFactors,
    drivers,
    riskTags: tags,
    evm: computeEarnedValue(facts, policy, today.schedule.value),
    signals,
    reading: history[0] ?? readingOf(today),
    dataQualityIssues: issues,
  };
}
