import {
  evaluateEscalations,
  type Escalation,
  type EscalationDecision,
  type EscalationOwners,
} from '../../domain/delivery/escalation';
import { assessProject, type Rag } from '../../domain/delivery/health-score';
import { toSnapshot, whatChanged } from '../../domain/delivery/health-snapshot';
import {
  DEFAULT_DELIVERY_POLICY,
  resolvePolicy,
  type DeliveryPolicyConfig,
} from '../../domain/delivery/policy';
import { buildProjectFacts } from '../../domain/delivery/build-project-facts';
import type { Clock } from '../../shared/clock';
import type { DeliveryHistoryReader } from './delivery-history.port';
import { deliveryHistoryByScope } from './delivery-history-scopes';
import type { DeliveryStore, DeliveryUnitOfWork } from './delivery-store.port';

/** What one evaluation run did. */
export interface EvaluationReport {
  asOf: string;
  projects: number;
  byRag: Record<Rag, number>;
  decisions: Array<
    Pick<EscalationDecision, 'kind' | 'shadow' | 'reason'> & {
      projectId: string;
      cause: string;
      severity: string;
    }
  >;
}

/** Dependencies of the evaluation use case (ports only). */
export interface EvaluateDeliveryDeps {
  history: DeliveryHistoryReader;
  store: DeliveryStore;
  tenantId: string;
  clock: Clock;
  owners: EscalationOwners;
  /** Projects per scoped load of the full run (default PROJECTS_PER_SCOPE). */
  projectsPerScope?: number;
}

/** The tenant's policy set when none was saved yet. */
export const DEFAULT_POLICY_CONFIG: DeliveryPolicyConfig = {
  default: DEFAULT_DELIVERY_POLICY,
  byProjectType: {},
  byClient: {},
};

/**
 * The daily evaluation: every running project is assessed as of the day against its captured
 * baseline and its resolved policy; the snapshot is stored and escalations move only on state changes.
 */
export class EvaluateDelivery {
  constructor(private readonly deps: EvaluateDeliveryDeps) {}

  /** Evaluates every project (or only `projectIds`, e.g. after a webhook) as of `asOf` (default today). */
  async run(
    options: { asOf?: string; projectIds?: readonly number[] } = {},
  ): Promise<EvaluationReport> {
    const { store, clock, owners } = this.deps;
    const asOf = options.asOf ?? clock.now().toISOString().slice(0, 10);
    const [policyConfig, baselines, live, previous] = await Promise.all([
      store.currentPolicy(),
      store.baselines(),
      store.liveEscalations(),
      store.previousSnapshots(asOf),
    ]);
    const config = policyConfig ?? DEFAULT_POLICY_CONFIG;
    const report: EvaluationReport = {
      asOf,
      projects: 0,
      byRag: { green: 0, amber: 0, red: 0, unknown: 0 },
      decisions: [],
    };

    // One project scope's history at a time, in project id order (the tenant-wide load's order);
    // a webhook's `projectIds` load only those projects.
    const scopes = deliveryHistoryByScope(this.deps.history, this.deps.tenantId, {
      ...(options.projectIds ? { projectIds: options.projectIds } : {}),
      ...(this.deps.projectsPerScope ? { projectsPerScope: this.deps.projectsPerScope } : {}),
    });
    for await (const { history, projects } of scopes) {
      for (const [projectId, project] of projects) {
        const facts = buildProjectFacts(project, history, asOf);
        if (facts === null) continue;
        if (facts.status === 'closed' && facts.closedOn !== null && facts.closedOn < asOf) continue;

        // The plan is measured against the baseline captured first; HaloPSA edits do not re-baseline.
        const captured = baselines.get(projectId);
        if (captured) facts.baseline = captured;
        else
          await store.saveBaseline(projectId, facts.baseline, 'initial capture', 'control-tower');

        const policy = resolvePolicy(config, {
          clientId: facts.clientId,
          projectType: facts.projectType,
        });
        const assessment = assessProject(facts, policy);
        const snapshot = toSnapshot(assessment);
        const changes = whatChanged(previous.get(projectId) ?? null, snapshot);
        const decisions = await store.inTransaction(async (uow) => {
          await uow.saveSnapshot(projectId, asOf, { snapshot, assessment, changes });
          const made = evaluateEscalations({
            now: clock.now().toISOString(),
            assessment,
            openEscalations: await lockedAsTheyAreNow(uow, live.get(projectId) ?? []),
            policy,
            owners,
          });
          for (const decision of made) {
            // The store writes the notification intent in this same transaction.
            await uow.applyDecision(decision);
          }
          return made;
        });
        report.projects += 1;
        report.byRag[assessment.rag] += 1;
        for (const d of decisions) {
          report.decisions.push({
            kind: d.kind,
            shadow: d.shadow,
            reason: d.reason,
            projectId: d.escalation.projectId,
            cause: d.escalation.cause,
            severity: d.escalation.severity,
          });
        }
      }
    }
    return report;
  }
}

/**
 * The project's live escalations as they are now, locked until the unit of work ends. The run read
 * them at its start, and a person may have acknowledged, assigned, snoozed or dismissed one since:
 * a decision made on that older read would write over what the person was told is done. A person's
 * click that comes after the lock waits, then finds the escalation changed and decides again.
 */
async function lockedAsTheyAreNow(
  uow: DeliveryUnitOfWork,
  read: readonly Escalation[],
): Promise<Escalation[]> {
  const current: Escalation[] = [];
  for (const e of read) {
    const locked = await uow.lockEscalation(e.id);
    if (locked !== null) current.push(locked);
  }
  return current;
}
