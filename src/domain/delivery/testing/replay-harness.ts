/**
 * Test support: replays the engine day by day over a simulated project, applying its decisions to an
 * in-memory escalation store, as the app's replay does.
 */
import type { IsoDate } from '../../shared/dates';
import {
  evaluateEscalations,
  isActive,
  type Escalation,
  type EscalationDecision,
} from '../escalation';
import { assessProject, type ProjectAssessment } from '../health-score';
import type { DeliveryPolicy } from '../policy';
import type { ProjectFacts } from '../project-facts';

/** Result of a replay. */
export interface ReplayRun {
  decisions: { date: IsoDate; decision: EscalationDecision }[];
  firstEscalation: IsoDate | null;
  assessments: ProjectAssessment[];
}

/** Replay `days` through assessment and escalation. */
export function replay(
  days: readonly IsoDate[],
  factsOn: (d: IsoDate) => ProjectFacts,
  policy: DeliveryPolicy,
): ReplayRun {
  let store: Escalation[] = [];
  const decisions: ReplayRun['decisions'] = [];
  const assessments: ProjectAssessment[] = [];
  let first: IsoDate | null = null;
  for (const date of days) {
    const a = assessProject(
      factsOn(date),
      policy,
      assessments.slice(-2 * policy.persistence.lookbackWorkingDays).map((x) => x.reading),
    );
    assessments.push(a);
    const out = evaluateEscalations({
      now: `${date}T08:00:00.000Z`,
      assessment: a,
      openEscalations: store.filter(isActive),
      policy,
      owners: { deliveryDirectorAgentId: 'dd1', incidentCommanderAgentId: 'ic1' },
    });
    for (const d of out) {
      decisions.push({ date, decision: d });
      if (d.kind === 'open' && first === null) first = date;
      store = [...store.filter((e) => e.id !== d.escalation.id), d.escalation];
    }
  }
  return { decisions, firstEscalation: first, assessments };
}
