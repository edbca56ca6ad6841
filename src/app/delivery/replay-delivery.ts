import {
  evaluateEscalations,
  isActive,
  type Escalation,
  type EscalationOwners,
} from '../../domain/delivery/escalation';
import { assessProject, type SignalReading } from '../../domain/delivery/health-score';
import { NAIVE_RULES } from '../../domain/delivery/naive-rules';
import type { DeliveryPolicy } from '../../domain/delivery/policy';
import { buildProjectFacts, indexDeliveryHistory } from '../../domain/delivery/build-project-facts';
import type { DeliveryHistory } from '../../domain/delivery/delivery-history';

/** One state change the replay prints (SPEC §6). */
export interface ReplayEvent {
  date: string;
  kind: 'escalation.opened' | 'escalation.updated' | 'escalation.resolved';
  projectId: string;
  cause: string;
  severity: string;
  score: number;
  /** Why, in driver terms (e.g. "burn amber (driven by scope) for 6 working days with evidence"). */
  reason: string;
}

/** What a delivery replay found: every event, and each rule's first flag per project. */
export interface DeliveryReplayResult {
  events: ReplayEvent[];
  /** First escalation day per project (the engine). */
  firstEscalation: Map<string, string>;
  /** First day each naive rule flagged each project. */
  naiveFirstFlag: Record<keyof typeof NAIVE_RULES, Map<string, string>>;
  /** Projects evaluated at least once, and those the engine judged "unknown" on their last day. */
  projectsEvaluated: number;
  unknownProjects: string[];
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD). */
export function daysBetweenInclusive(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const KIND = {
  open: 'escalation.opened',
  update: 'escalation.updated',
  resolve: 'escalation.resolved',
} as const;

/**
 * Runs the delivery engine day by day over `days`, seeing each day only what was dated on or before
 * it, with escalation state carried from day to day exactly as the daily job would keep it.
 * Pure over the loaded history: the same input always gives the same events.
 */
export function replayDelivery(
  history: DeliveryHistory,
  days: readonly string[],
  policy: DeliveryPolicy,
  owners: EscalationOwners = { deliveryDirectorAgentId: null, incidentCommanderAgentId: null },
): DeliveryReplayResult {
  const projects = indexDeliveryHistory(history);
  const escalations = new Map<string, Escalation[]>();
  const events: ReplayEvent[] = [];
  const firstEscalation = new Map<string, string>();
  const naiveFirstFlag = {
    'budget-ahead-of-time': new Map<string, string>(),
    'cpi-spi-below-0.9': new Map<string, string>(),
  };
  const evaluated = new Set<string>();
  const lastRag = new Map<string, string>();
  // Each day's reading, exactly as judged that day, for the persistence checks of the days after.
  const readings = new Map<string, SignalReading[]>();
  const keep = policy.persistence.lookbackWorkingDays * 2 + 10;

  for (const date of days) {
    for (const project of projects.values()) {
      const facts = buildProjectFacts(project, history, date);
      if (facts === null) continue;
      // A project closed before this day has nothing left to judge.
      if (facts.status === 'closed' && facts.closedOn !== null && facts.closedOn < date) continue;
      evaluated.add(facts.projectId);
      const past = readings.get(facts.projectId) ?? [];
      const assessment = assessProject(facts, policy, past);
      past.push(assessment.reading);
      if (past.length > keep) past.splice(0, past.length - keep);
      readings.set(facts.projectId, past);
      lastRag.set(facts.projectId, assessment.rag);

      for (const [rule, fn] of Object.entries(NAIVE_RULES) as Array<
        [keyof typeof NAIVE_RULES, (typeof NAIVE_RULES)[keyof typeof NAIVE_RULES]]
      >) {
        if (fn(facts) === true && !naiveFirstFlag[rule].has(facts.projectId)) {
          naiveFirstFlag[rule].set(facts.projectId, date);
        }
      }

      const current = escalations.get(facts.projectId) ?? [];
      const decisions = evaluateEscalations({
        now: `${date}T06:00:00.000Z`,
        assessment,
        openEscalations: current.filter((e) => isActive(e) || e.status === 'false-positive'),
        policy,
        owners,
      });
      for (const d of decisions) {
        const next = current.filter((e) => e.id !== d.escalation.id);
        next.push(d.escalation);
        current.splice(0, current.length, ...next);
        if (d.kind === 're-escalate') continue;
        if (d.kind === 'open' && !firstEscalation.has(facts.projectId)) {
          firstEscalation.set(facts.projectId, date);
        }
        events.push({
          date,
          kind: KIND[d.kind],
          projectId: facts.projectId,
          cause: d.escalation.cause,
          severity: d.escalation.severity,
          score: assessment.score,
          reason: d.reason,
        });
      }
      escalations.set(facts.projectId, current);
    }
  }
  return {
    events,
    firstEscalation,
    naiveFirstFlag,
    projectsEvaluated: evaluated.size,
    unknownProjects: [...lastRag].filter(([, rag]) => rag === 'unknown').map(([id]) => id),
  };
}
