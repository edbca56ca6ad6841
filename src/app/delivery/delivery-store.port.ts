import type { Escalation, EscalationDecision } from '../../domain/delivery/escalation';
import type { ProjectAssessment } from '../../domain/delivery/health-score';
import type { HealthSnapshot } from '../../domain/delivery/health-snapshot';
import type { DeliveryPolicyConfig } from '../../domain/delivery/policy';
import type { ProjectBaseline } from '../../domain/delivery/project-facts';

/** One day's stored judgement of a project. */
export interface StoredSnapshot {
  snapshot: HealthSnapshot;
  assessment: ProjectAssessment;
  changes: string[];
}

/** A unit of work inside one transaction: everything the evaluation writes for one project. */
export interface DeliveryUnitOfWork {
  saveSnapshot(projectId: number, date: string, stored: StoredSnapshot): Promise<void>;
  /** Records an escalation decision and the notification it causes, in this unit of work. */
  applyDecision(decision: EscalationDecision): Promise<void>;
  /**
   * The escalation's current state, locked until this unit of work ends (so a concurrent
   * acknowledgement is either seen or waits), or null when it does not exist.
   */
  lockEscalation(id: string): Promise<Escalation | null>;
}

/** An open escalation as the SLA timer sees it: its project's latest judgement and type. */
export interface OpenEscalationWatch {
  escalation: Escalation;
  /** The project's latest stored assessment (null if none was stored). */
  assessment: ProjectAssessment | null;
  projectType: string | null;
}

/** The persistence port of the delivery loop (the SQL adapter lives in src/store). */
export interface DeliveryStore {
  /** The tenant's current policy set, or null when none was saved (the default applies). */
  currentPolicy(): Promise<DeliveryPolicyConfig | null>;
  /** Stores a validated policy set as the next version; returns that version. */
  savePolicy(config: DeliveryPolicyConfig, by: string): Promise<number>;
  /** The latest baseline of every project that has one. */
  baselines(): Promise<Map<number, ProjectBaseline>>;
  /** Records a baseline version (first capture or an explicit re-baseline). */
  saveBaseline(
    projectId: number,
    baseline: ProjectBaseline,
    reason: string,
    by: string,
  ): Promise<void>;
  /** Escalations still live (open, acknowledged, snoozed) or suppressed false positives, by project. */
  liveEscalations(): Promise<Map<number, Escalation[]>>;
  /** Open (unacknowledged, not snoozed) escalations not yet re-escalated, for the SLA timer. */
  unacknowledgedEscalations(): Promise<OpenEscalationWatch[]>;
  /** The latest snapshot before `date` per project. */
  previousSnapshots(date: string): Promise<Map<number, HealthSnapshot>>;
  /** Runs `work` in one transaction. */
  inTransaction<T>(work: (uow: DeliveryUnitOfWork) => Promise<T>): Promise<T>;
}
