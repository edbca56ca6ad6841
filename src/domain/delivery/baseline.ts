/**
 * Project baseline: the versioned plan a project is measured against (budget, milestones and gates,
 * burn thresholds, workstream owners). A baseline only changes through an explicit, reasoned
 * re-baseline that is recorded — drift in the live HaloPSA plan is reported, never applied silently.
 */
import { isIsoDate, type IsoDate } from '../shared/dates';
import type {
  BaselineBurnThresholds,
  MilestoneBaseline,
  ProjectBaseline,
  WorkstreamOwner,
} from './project-facts';

/** The live plan as read from HaloPSA, from which a baseline is captured. */
export interface BaselineSource {
  plannedHours: number | null;
  plannedMoney: number | null;
  blendedRate: number | null;
  plannedRevenue: number | null;
  milestones: MilestoneBaseline[];
  workstreamOwners: WorkstreamOwner[];
  burnThresholds?: BaselineBurnThresholds;
  /** Total task estimate agreed with the plan; scope creep is measured from it. */
  plannedEstimateHours?: number | null;
}

/** Result of capturing a baseline: the baseline, or every problem found. */
export type BaselineResult =
  { ok: true; baseline: ProjectBaseline } | { ok: false; problems: string[] };

/** A recorded re-baseline: who changed what, when and why. */
export interface BaselineChange {
  fromVersion: number;
  toVersion: number;
  reason: string;
  by: string;
  at: string;
  /** Human-readable differences, e.g. `planned hours 400 → 480`. */
  changes: string[];
}

function problemsOf(source: BaselineSource): string[] {
  const problems: string[] = [];
  const positiveOrNull = (v: number | null, name: string): void => {
    if (v !== null && !(Number.isFinite(v) && v > 0)) problems.push(`${name} must be positive`);
  };
  positiveOrNull(source.plannedHours, 'planned hours');
  positiveOrNull(source.plannedMoney, 'planned money');
  positiveOrNull(source.blendedRate, 'blended rate');
  positiveOrNull(source.plannedRevenue, 'planned revenue');
  const ids = new Set<string>();
  for (const m of source.milestones) {
    if (ids.has(m.id)) problems.push(`milestone ${m.id} appears twice`);
    ids.add(m.id);
    for (const [label, d] of [
      ['planned start', m.plannedStart],
      ['planned end', m.plannedEnd],
    ] as const) {
      if (d !== null && !isIsoDate(d)) problems.push(`milestone ${m.name}: ${label} is not a date`);
    }
    if (m.plannedStart !== null && m.plannedEnd !== null && m.plannedStart > m.plannedEnd) {
      problems.push(`milestone ${m.name} ends before it starts`);
    }
    if (m.weight < 0) problems.push(`milestone ${m.name} has a negative weight`);
    if (m.isGate && m.requiredEvidence.length === 0) {
      problems.push(`gate ${m.name} lists no required evidence`);
    }
  }
  const t = source.burnThresholds;
  if (t && !(t.amber > 0 && t.amber <= t.red)) {
    problems.push('burn thresholds need 0 < amber ≤ red');
  }
  return problems;
}

/**
 * Capture version 1 of a baseline from the live plan. Milestones are ordered by sequence; a gate
 * without required evidence, inverted dates or non-positive budgets are refused.
 */
export function captureBaseline(source: BaselineSource, capturedOn: IsoDate): BaselineResult {
  const problems = problemsOf(source);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, baseline: normalise(source, 1, capturedOn) };
}

function normalise(source: BaselineSource, version: number, capturedOn: IsoDate): ProjectBaseline {
  return {
    version,
    capturedOn,
    plannedHours: source.plannedHours,
    plannedMoney: source.plannedMoney,
    blendedRate: source.blendedRate,
    plannedRevenue: source.plannedRevenue,
    milestones: [...source.milestones]
      .sort((a, b) => a.sequence - b.sequence)
      .map((m) => ({ ...m, requiredEvidence: [...m.requiredEvidence] })),
    workstreamOwners: source.workstreamOwners.map((w) => ({ ...w })),
    ...(source.burnThresholds ? { burnThresholds: { ...source.burnThresholds } } : {}),
    ...(source.plannedEstimateHours !== undefined
      ? { plannedEstimateHours: source.plannedEstimateHours }
      : {}),
  };
}

/** Differences between a baseline and a (newer) plan, in words; empty when they match. */
export function baselineDiff(prev: ProjectBaseline, next: BaselineSource): string[] {
  const out: string[] = [];
  const num = (label: string, a: number | null, b: number | null): void => {
    if (a !== b) out.push(`${label} ${a ?? 'none'} → ${b ?? 'none'}`);
  };
  num('planned hours', prev.plannedHours, next.plannedHours);
  num('planned money', prev.plannedMoney, next.plannedMoney);
  num('blended rate', prev.blendedRate, next.blendedRate);
  num('planned revenue', prev.plannedRevenue, next.plannedRevenue);
  const before = new Map(prev.milestones.map((m) => [m.id, m]));
  const after = new Map(next.milestones.map((m) => [m.id, m]));
  for (const [id, m] of after) {
    const p = before.get(id);
    if (!p) {
      out.push(`milestone ${m.name} added`);
      continue;
    }
    if (p.plannedEnd !== m.plannedEnd) {
      out.push(`milestone ${m.name} end ${p.plannedEnd ?? 'none'} → ${m.plannedEnd ?? 'none'}`);
    }
    if (p.plannedStart !== m.plannedStart) {
      out.push(
        `milestone ${m.name} start ${p.plannedStart ?? 'none'} → ${m.plannedStart ?? 'none'}`,
      );
    }
    if (p.isGate !== m.isGate)
      out.push(`milestone ${m.name} ${m.isGate ? 'became' : 'is no longer'} a gate`);
    if (p.ownerAgentId !== m.ownerAgentId) out.push(`milestone ${m.name} owner changed`);
  }
  for (const [id, m] of before) if (!after.has(id)) out.push(`milestone ${m.name} removed`);
  const owners = (ws: WorkstreamOwner[]): string =>
    ws
      .map((w) => `${w.workstream}:${w.agentId}`)
      .sort()
      .join(',');
  if (owners(prev.workstreamOwners) !== owners(next.workstreamOwners)) {
    out.push('workstream owners changed');
  }
  const t = (x?: BaselineBurnThresholds): string => (x ? `${x.amber}/${x.red}` : 'policy');
  if (t(prev.burnThresholds) !== t(next.burnThresholds)) {
    out.push(`burn thresholds ${t(prev.burnThresholds)} → ${t(next.burnThresholds)}`);
  }
  return out;
}

/**
 * Explicitly re-baseline: returns the next version and the recorded change. Refused without a
 * reason, without an actor, when nothing changed, or when the new plan is invalid.
 */
export function rebaseline(
  prev: ProjectBaseline,
  next: BaselineSource,
  reason: string,
  by: string,
  at: string,
):
  | { ok: true; baseline: ProjectBaseline; change: BaselineChange }
  | { ok: false; problems: string[] } {
  const problems = problemsOf(next);
  if (reason.trim() === '') problems.push('a re-baseline needs a reason');
  if (by.trim() === '') problems.push('a re-baseline needs the approver');
  const changes = baselineDiff(prev, next);
  if (changes.length === 0) problems.push('nothing changed');
  if (problems.length > 0) return { ok: false, problems };
  const baseline = normalise(next, prev.version + 1, at.slice(0, 10));
  return {
    ok: true,
    baseline,
    change: { fromVersion: prev.version, toVersion: baseline.version, reason, by, at, changes },
  };
}
