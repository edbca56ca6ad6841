/**
 * Post-project review at closure (SPEC §2.6): estimate accuracy by task type, risk misses (slips
 * and overruns never escalated or escalated late), corrective actions with owners, and suggested
 * adjustments to templates and policy.
 */
import { type IsoDate } from '../shared/dates';
import { round, safeDivide, sum } from '../shared/numbers';
import type { Escalation } from './escalation';
import type { EscalationCause } from './health-score';
import type { DeliveryPolicy } from './policy';
import type { ProjectFacts } from './project-facts';
import { budgetHours } from './progress';

/** Estimate accuracy for one task type. */
export interface EstimateAccuracy {
  taskType: string;
  tasks: number;
  estimatedHours: number;
  actualHours: number;
  /** Actual / estimated (1 = exact, > 1 = under-estimated). */
  ratio: number | null;
  /** Mean absolute percentage error per task. */
  meanAbsoluteError: number | null;
}

/** A slip or overrun and how the engine handled it. */
export interface RiskMiss {
  kind: 'milestone-slip' | 'budget-overrun';
  /** Milestone name or `budget`. */
  subject: string;
  visibleOn: IsoDate;
  /** First escalation of a matching cause, if any. */
  escalatedOn: IsoDate | null;
  verdict: 'never-escalated' | 'escalated-late';
}

/** A corrective action with its owner. */
export interface CorrectiveAction {
  action: string;
  ownerAgentId: string | null;
  source: 'estimate-accuracy' | 'risk-miss' | 'false-positive';
}

/** The review. */
export interface PostProjectReview {
  projectId: string;
  name: string;
  closedOn: IsoDate | null;
  budgetHours: number | null;
  actualHours: number;
  /** Actual / budget hours. */
  budgetRatio: number | null;
  estimateAccuracy: EstimateAccuracy[];
  /** Slips and overruns that were caught in time, by count. */
  caughtInTime: number;
  riskMisses: RiskMiss[];
  falsePositives: { cause: EscalationCause; reason: string | null; at: string }[];
  correctiveActions: CorrectiveAction[];
  templateSuggestions: string[];
  policySuggestions: string[];
}

const UNDER = 1.15;
const OVER = 0.85;

/** Estimate accuracy by task type over closed tasks with an estimate and logged hours. */
export function estimateAccuracyByType(facts: ProjectFacts): EstimateAccuracy[] {
  const groups = new Map<string, { est: number; act: number; errors: number[] }>();
  for (const t of facts.tasks) {
    if (t.status !== 'closed' || t.loggedHours === null || (t.estimateHours ?? 0) <= 0) continue;
    const key = t.taskType ?? 'unspecified';
    const g = groups.get(key) ?? { est: 0, act: 0, errors: [] };
    const est = t.estimateHours ?? 0;
    g.est += est;
    g.act += t.loggedHours;
    g.errors.push(Math.abs(t.loggedHours - est) / est);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([taskType, g]) => ({
      taskType,
      tasks: g.errors.length,
      estimatedHours: round(g.est, 2),
      actualHours: round(g.act, 2),
      ratio: safeDivide(g.act, g.est),
      meanAbsoluteError: g.errors.length === 0 ? null : sum(g.errors) / g.errors.length,
    }))
    .sort((a, b) => a.taskType.localeCompare(b.taskType));
}

function firstEscalation(
  escalations: readonly Escalation[],
  causes: readonly EscalationCause[],
): IsoDate | null {
  const days = escalations
    .filter((e) => causes.includes(e.cause))
    .map((e) => e.openedAt.slice(0, 10))
    .sort();
  return days[0] ?? null;
}

/**
 * Build the review for a closed project from its final facts and every escalation it had.
 * `policy` shapes the policy suggestions (what to loosen or tighten).
 */
export function buildPostProjectReview(
  facts: ProjectFacts,
  escalations: readonly Escalation[],
  policy: DeliveryPolicy,
): PostProjectReview {
  const bac = budgetHours(facts);
  let acHours = 0;
  let overrunOn: IsoDate | null = null;
  for (const d of [...facts.dailyHours].sort((a, b) => a.date.localeCompare(b.date))) {
    acHours += d.hours;
    if (bac !== null && overrunOn === null && acHours > bac) overrunOn = d.date;
  }
  const own = escalations.filter((e) => e.projectId === facts.projectId);
  const misses: RiskMiss[] = [];
  let caught = 0;
  const judge = (
    kind: RiskMiss['kind'],
    subject: string,
    visibleOn: IsoDate,
    causes: EscalationCause[],
  ): void => {
    const first = firstEscalation(own, causes);
    if (first !== null && first < visibleOn) caught += 1;
    else {
      misses.push({
        kind,
        subject,
        visibleOn,
        escalatedOn: first,
        verdict: first === null ? 'never-escalated' : 'escalated-late',
      });
    }
  };
  for (const m of facts.baseline.milestones) {
    if (m.plannedEnd === null) continue;
    const tasks = facts.tasks.filter((t) => t.milestoneId === m.id);
    if (tasks.length === 0) continue;
    const closes = tasks.map((t) => t.closedOn ?? '9999-12-31').sort();
    const done = closes[closes.length - 1] ?? '9999-12-31';
    if (done > m.plannedEnd)
      judge('milestone-slip', m.name, m.plannedEnd, ['schedule', 'dependency']);
  }
  if (overrunOn !== null) judge('budget-overrun', 'budget', overrunOn, ['burn']);

  const accuracy = estimateAccuracyByType(facts);
  const actions: CorrectiveAction[] = [];
  const templateSuggestions: string[] = [];
  for (const a of accuracy) {
    if (a.ratio === null || a.tasks < 2) continue;
    const pct = Math.round((a.ratio - 1) * 100);
    if (a.ratio > UNDER) {
      templateSuggestions.push(`Raise estimates for "${a.taskType}" tasks by about ${pct} %`);
      actions.push({
        action: `Review the "${a.taskType}" template estimates (actuals ran ${pct} % over)`,
        ownerAgentId: facts.pmAgentId,
        source: 'estimate-accuracy',
      });
    } else if (a.ratio < OVER) {
      templateSuggestions.push(`Lower estimates for "${a.taskType}" tasks by about ${-pct} %`);
    }
  }
  const policySuggestions: string[] = [];
  for (const miss of misses) {
    const milestone = facts.baseline.milestones.find((m) => m.name === miss.subject);
    actions.push({
      action:
        miss.kind === 'budget-overrun'
          ? `Explain the budget overrun first visible ${miss.visibleOn} and agree the recovery with finance`
          : `Root-cause the slip of "${miss.subject}" (visible ${miss.visibleOn})`,
      ownerAgentId: milestone?.ownerAgentId ?? facts.pmAgentId,
      source: 'risk-miss',
    });
  }
  if (misses.some((m) => m.kind === 'budget-overrun')) {
    policySuggestions.push(
      `Burn: consider lowering amber from ${policy.burn.amber} (overrun not escalated in time)`,
    );
  }
  if (misses.some((m) => m.kind === 'milestone-slip')) {
    policySuggestions.push(
      `Schedule: consider lowering amber from ${policy.schedule.amber} working days or persistence from ${policy.persistenceDays}`,
    );
  }
  const falsePositives = own
    .filter((e) => e.status === 'false-positive')
    .map((e) => ({ cause: e.cause, reason: e.falsePositiveReason, at: e.closedAt ?? e.updatedAt }));
  for (const cause of new Set(falsePositives.map((f) => f.cause))) {
    policySuggestions.push(
      `${cause}: marked "not a real issue" ${falsePositives.filter((f) => f.cause === cause).length} time(s); review its amber threshold (${policy[cause].amber})`,
    );
    actions.push({
      action: `Review the ${cause} false-positive reasons with the PMO lead`,
      ownerAgentId: null,
      source: 'false-positive',
    });
  }
  return {
    projectId: facts.projectId,
    name: facts.name,
    closedOn: facts.closedOn,
    budgetHours: bac,
    actualHours: round(acHours, 2),
    budgetRatio: safeDivide(acHours, bac),
    estimateAccuracy: accuracy,
    caughtInTime: caught,
    riskMisses: misses,
    falsePositives,
    correctiveActions: actions,
    templateSuggestions,
    policySuggestions,
  };
}
