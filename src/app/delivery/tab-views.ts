/**
 * Read models of the tab's delivery pages (portfolio, project detail, clients, KPIs, exceptions):
 * plain data, answered from stored snapshots. `src/api/dto.ts` re-exports them as the tab's DTOs.
 * Dates are ISO strings (`YYYY-MM-DD` for days, full ISO timestamps for instants).
 */
import type { DeliveryFailureGroup } from '../../domain/shared/delivery-failures';
import type { EscalationSeverity, EscalationState, Rag, RiskTag } from '../delivery-views';
import type { EvmFigures } from '../../domain/delivery/earned-value';
import type { KpiMovement, WeeklyKpis } from '../../domain/delivery/kpis';

/** A page of a long list: `?page=1&pageSize=50` (1-based page). */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** A short reference to a named record. */
export interface NamedRef {
  id: number;
  name: string;
}

/** One explainable driver: its value against the policy threshold. */
export interface DriverDetailView {
  /** `burn` | `schedule` | `dependency` | `scope` | `resourcing`. */
  key: string;
  label: string;
  /** Measured value in `unit`; null when not measurable. */
  value: number | null;
  unit: 'fraction' | 'working-days';
  /** Policy thresholds in `unit`: at or above `amber` is amber, at or above `red` is red. */
  threshold: { amber: number; red: number };
  /** The level the value reaches, null when within policy or unmeasurable. */
  level: 'amber' | 'red' | null;
  /** Points taken off 100 (Σ contributions = 100 − score). */
  contribution: number;
  /** Value and threshold formatted for people ("132 %", "amber ≥ 105 %, red ≥ 115 %"). */
  display: { value: string; threshold: string };
  /** One sentence a PM can read. */
  explanation: string;
}

/** A project's health as of its latest daily snapshot. */
export interface HealthView {
  /** 0–100, or null when `rag` is unknown. */
  score: number | null;
  rag: Rag;
  /** 0–1. */
  confidence: number;
  /** Worst first. */
  drivers: DriverDetailView[];
}

/** One row of `GET /projects` (SPEC §6). */
export interface ProjectListItemView {
  id: number;
  name: string;
  client: NamedRef;
  /** The project's PM (HaloPSA agent), when assigned. */
  pm: NamedRef | null;
  health: HealthView;
  riskTags: RiskTag[];
  /** Escalations open, acknowledged or snoozed. */
  openEscalations: number;
  /** ISO date of the snapshot shown. */
  asOf: string;
}

/**
 * `GET /projects?page=&pageSize=&rag=red,amber&clientId=&q=`: worst first (red, amber, unknown, green;
 * lowest score first). `counts` are over the filtered set, all pages.
 */
export interface ProjectsPageView extends Page<ProjectListItemView> {
  counts: Record<Rag, number>;
}

/** One day of a project's trend (from the daily health snapshots), oldest first. */
export interface TrendPointView {
  date: string;
  score: number | null;
  rag: Rag;
  /** Hours CPI / SPI that day, null when not computable. */
  cpi: number | null;
  spi: number | null;
  /** Hours burned as % of the hours budget. */
  burnPercent: number | null;
  /** % of the work planned complete by that day. */
  planPercent: number | null;
  /** % complete by task completion. */
  completePercent: number | null;
  /** Judgement model version that day (`r2.p3`); null on snapshots stored before versions. */
  modelVersion: string | null;
}

/** Earned value as of the latest snapshot. */
export interface EvmView {
  asOf: string;
  percentComplete: number | null;
  plannedPercent: number | null;
  scheduleSlipDays: number | null;
  hoursBurnRatio: number | null;
  hours: EvmFigures | null;
  money: EvmFigures | null;
}

/** A gate's state on a milestone, filled by the gates module when it is wired (else null). */
export interface MilestoneGateView {
  gateId: string;
  /** The gate module's status word (`pending`, `requested`, `approved`, `refused`, ...). */
  status: string;
  evidenceCount: number;
  decidedAt: string | null;
}

export interface ProjectMilestoneView {
  id: number;
  name: string;
  sequence: number | null;
  startDate: string | null;
  targetDate: string | null;
  complete: boolean;
  /** True when the milestone is a quality gate needing evidence. */
  isGate: boolean;
  gate: MilestoneGateView | null;
}

export interface EscalationLineView {
  id: string;
  cause: string;
  severity: EscalationSeverity;
  state: EscalationState;
  /** Why it opened, one line each. */
  details: string[];
  ownerName: string | null;
  mitigationOwnerName: string | null;
  openedAt: string;
  closedAt: string | null;
}

/** One line of a project's timeline: escalation history and audit entries, oldest first. */
export interface TimelineEntryView {
  at: string;
  source: 'escalation' | 'audit';
  /** Dotted action (`escalation.opened`, `gate.approved`, ...). */
  action: string;
  actorName: string | null;
  /** In words, for people. */
  summary: string;
}

/** `GET /projects/:id`. */
export interface ProjectDetailView {
  id: number;
  name: string;
  client: NamedRef;
  pm: NamedRef | null;
  status: string;
  health: HealthView;
  riskTags: RiskTag[];
  /** What changed since the previous snapshot, one line each. */
  changes: string[];
  /** What lowered the confidence: each a multiplier 0–1 (1 = no effect). */
  confidenceFactors: { key: string; label: string; factor: number }[];
  dataQualityIssues: string[];
  evm: EvmView;
  /** Up to 90 daily points, oldest first. */
  trend: TrendPointView[];
  milestones: ProjectMilestoneView[];
  escalations: EscalationLineView[];
  timeline: TimelineEntryView[];
  asOf: string;
  evaluatedAt: string;
}

/** One row of `GET /clients` (the channel tab's configuration page). */
export interface ClientSummaryView {
  id: number;
  name: string;
  activeProjects: number;
  /** Worst RAG among its active projects, `unknown` when none has a snapshot. */
  worstRag: Rag;
}

/** `GET /kpis?weeks=12`: weekly delivery KPIs (oldest first) and week-1 baseline / week-4 / week-8 movement. */
export interface KpisView {
  /** ISO weeks covered, oldest first (week 1 is the baseline). */
  weeks: WeeklyKpis[];
  movement: KpiMovement[];
  generatedAt: string;
}

/** A record HaloPSA served that failed validation (listed, never acted on). */
export interface DataQualityExceptionView {
  type: 'data-quality';
  resource: string;
  recordId: string;
  field: string;
  problem: string;
  firstSeen: string;
  lastSeen: string;
}

/** A notification the outbox gave up on or could not route. */
export interface FailedDeliveryView {
  type: 'failed-delivery';
  id: string;
  kind: string;
  stream: string | null;
  clientId: number | null;
  status: 'failed' | 'unrouted';
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export type ExceptionView = DataQualityExceptionView | FailedDeliveryView;

/**
 * `GET /exceptions?type=data-quality|failed-delivery&page=&pageSize=`: newest first, plus every
 * undelivered notification grouped by stream and cause with its fix (whatever the page).
 */
export interface ExceptionsPageView extends Page<ExceptionView> {
  counts: { dataQuality: number; failedDeliveries: number };
  deliveryFailures: DeliveryFailureGroup[];
}
