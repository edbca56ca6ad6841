/**
 * JSON shapes the tab API (`/api/v1`) answers with. Plain data only: the tab imports this file
 * type-only (`import type { ... } from '../../src/api/dto'`), so nothing here may carry a runtime value.
 * Dates are ISO strings (`YYYY-MM-DD` for days, full ISO timestamps for instants); ids of HaloPSA
 * records are numbers, ids of our own records (escalations, routes, role rows) are strings.
 * Every error is `ApiErrorBody` with a stable `code`.
 */
import type {
  EscalationSeverity,
  EscalationState,
  Rag,
  RiskTag,
  Role,
  WeeklyReportView,
} from '../app/delivery-views';
import type { EvmFigures } from '../domain/delivery/earned-value';
import type { KpiMovement, WeeklyKpis } from '../domain/delivery/kpis';
import type { DeliveryPolicyConfig } from '../domain/delivery/policy';
import type { Page } from './api-types';

export type {
  DeliveryPolicyConfig,
  EscalationSeverity,
  EscalationState,
  EvmFigures,
  KpiMovement,
  Page,
  Rag,
  RiskTag,
  Role,
  WeeklyKpis,
};

/** `demo` (X-Demo-User sign-in allowed) or `production` (Teams SSO only). */
export type AppMode = 'demo' | 'production';

/** Every non-2xx answer. `details` lists validation problems (400) or the roles needed (403). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A short reference to a named record. */
export interface NamedRef {
  id: number;
  name: string;
}

// ─── Who am I ───────────────────────────────────────────────────────────────────────────────────

/** `GET /me`: the signed-in caller as the server resolved them. */
export interface MeDto {
  tenantId: string;
  user: { aadObjectId: string | null; email: string | null; name: string };
  /** Empty when the user is known to Entra but holds no Control Tower role. */
  roles: Role[];
  mode: AppMode;
}

/** One user a person can sign in as in demo mode (header `X-Demo-User: <signInEmail>`). */
export interface DemoUserDto {
  /** The value to send in `X-Demo-User`. */
  signInEmail: string;
  aadObjectId: string;
  name: string;
  /** The HaloPSA agent e-mail this persona maps to, when it has one. */
  haloEmail: string | null;
  roles: Role[];
}

/** `GET /demo/users` (404 in production mode). */
export interface DemoUsersDto {
  items: DemoUserDto[];
}

// ─── Portfolio and projects ─────────────────────────────────────────────────────────────────────

/** One explainable driver: its value against the policy threshold. */
export interface DriverDto {
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
export interface HealthDto {
  /** 0–100, or null when `rag` is unknown. */
  score: number | null;
  rag: Rag;
  /** 0–1. */
  confidence: number;
  /** Worst first. */
  drivers: DriverDto[];
}

/** One row of `GET /projects` (SPEC §6). */
export interface ProjectListItemDto {
  id: number;
  name: string;
  client: NamedRef;
  /** The project's PM (HaloPSA agent), when assigned. */
  pm: NamedRef | null;
  health: HealthDto;
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
export interface ProjectsPageDto extends Page<ProjectListItemDto> {
  counts: Record<Rag, number>;
}

/** One day of a project's trend (from the daily health snapshots), oldest first. */
export interface TrendPointDto {
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
}

/** Earned value as of the latest snapshot. */
export interface EvmDto {
  asOf: string;
  percentComplete: number | null;
  plannedPercent: number | null;
  scheduleSlipDays: number | null;
  hoursBurnRatio: number | null;
  hours: EvmFigures | null;
  money: EvmFigures | null;
}

/** A gate's state on a milestone, filled by the gates module when it is wired (else null). */
export interface MilestoneGateDto {
  gateId: string;
  /** The gate module's status word (`pending`, `requested`, `approved`, `refused`, ...). */
  status: string;
  evidenceCount: number;
  decidedAt: string | null;
}

export interface MilestoneDto {
  id: number;
  name: string;
  sequence: number | null;
  startDate: string | null;
  targetDate: string | null;
  complete: boolean;
  /** True when the milestone is a quality gate needing evidence. */
  isGate: boolean;
  gate: MilestoneGateDto | null;
}

export interface EscalationDto {
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
export interface TimelineEntryDto {
  at: string;
  source: 'escalation' | 'audit';
  /** Dotted action (`escalation.opened`, `gate.approved`, ...). */
  action: string;
  actorName: string | null;
  /** In words, for people. */
  summary: string;
}

/** `GET /projects/:id`. */
export interface ProjectDetailDto {
  id: number;
  name: string;
  client: NamedRef;
  pm: NamedRef | null;
  status: string;
  health: HealthDto;
  riskTags: RiskTag[];
  /** What changed since the previous snapshot, one line each. */
  changes: string[];
  /** What lowered the confidence: each a multiplier 0–1 (1 = no effect). */
  confidenceFactors: { key: string; label: string; factor: number }[];
  dataQualityIssues: string[];
  evm: EvmDto;
  /** Up to 90 daily points, oldest first. */
  trend: TrendPointDto[];
  milestones: MilestoneDto[];
  escalations: EscalationDto[];
  timeline: TimelineEntryDto[];
  asOf: string;
  evaluatedAt: string;
}

/** One row of `GET /clients` (the channel tab's configuration page). */
export interface ClientDto {
  id: number;
  name: string;
  activeProjects: number;
  /** Worst RAG among its active projects, `unknown` when none has a snapshot. */
  worstRag: Rag;
}

export interface ClientsDto {
  items: ClientDto[];
}

// ─── KPIs, report, exceptions ───────────────────────────────────────────────────────────────────

/** `GET /kpis?weeks=12`: weekly delivery KPIs (oldest first) and week-1 baseline / week-4 / week-8 movement. */
export interface KpisDto {
  /** ISO weeks covered, oldest first (week 1 is the baseline). */
  weeks: WeeklyKpis[];
  movement: KpiMovement[];
  generatedAt: string;
}

/** `GET /report/weekly` (JSON); `?format=csv` answers `text/csv` with one line per project. */
export type WeeklyReportDto = WeeklyReportView;

/** A record HaloPSA served that failed validation (listed, never acted on). */
export interface DataQualityExceptionDto {
  type: 'data-quality';
  resource: string;
  recordId: string;
  field: string;
  problem: string;
  firstSeen: string;
  lastSeen: string;
}

/** A notification the outbox gave up on or could not route. */
export interface FailedDeliveryDto {
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

export type ExceptionDto = DataQualityExceptionDto | FailedDeliveryDto;

/** `GET /exceptions?type=data-quality|failed-delivery&page=&pageSize=`: newest first. */
export interface ExceptionsPageDto extends Page<ExceptionDto> {
  counts: { dataQuality: number; failedDeliveries: number };
}

// ─── Settings (admin only) ──────────────────────────────────────────────────────────────────────

/** `GET /settings/policy`; `PUT` takes `PolicyUpdateDto` and answers the new version. */
export interface PolicySettingsDto {
  /** null while the built-in default applies (never saved). */
  version: number | null;
  config: DeliveryPolicyConfig;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface PolicyUpdateDto {
  config: DeliveryPolicyConfig;
  /** The version the editor started from; a different current version → 409 `version-conflict`. */
  baseVersion: number | null;
}

export type NotificationStream = 'escalations' | 'gates' | 'renewals' | 'reports' | 'incidents';

export interface ConversationRouteDto {
  id: string;
  stream: NotificationStream;
  /** null = every client. */
  client: NamedRef | null;
  /** The Teams conversation (channel or chat) id the stream posts to. */
  conversationId: string;
  conversationName: string | null;
  createdBy: string | null;
  createdAt: string;
}

/** `GET /settings/routing`. Routes are created from Teams (`/subscribe`); the tab lists and removes them. */
export interface RoutingSettingsDto {
  items: ConversationRouteDto[];
}

/** `PUT /settings/routing`: the route ids to delete. Answers `RoutingSettingsDto`. */
export interface RoutingUpdateDto {
  remove: string[];
}

export interface RoleAssignmentDto {
  id: string;
  aadObjectId: string | null;
  email: string | null;
  role: Role;
}

/** `GET /settings/roles`. */
export interface RolesSettingsDto {
  items: RoleAssignmentDto[];
}

/**
 * `PUT /settings/roles`: the complete new list (replaces the tenant's assignments). Refused with 400
 * `last-admin` when no admin would remain.
 */
export interface RolesUpdateDto {
  items: { aadObjectId: string | null; email: string | null; role: Role }[];
}

/** Automations that can be switched off per tenant without a deploy. */
export type AutomationKey = 'escalations' | 'weeklyReport' | 'gates' | 'renewals';

/** `GET /settings/pilot` (and the answer to `PUT`). */
export interface PilotSettingsDto {
  /** When true only the listed clients/projects get automation; when false every one does. */
  scopeEnabled: boolean;
  clientIds: number[];
  projectIds: number[];
  /** Computed and logged, not posted. */
  shadowMode: boolean;
  automations: Record<AutomationKey, boolean>;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** `PUT /settings/pilot`; with `baseVersion`, a different current version → 409 `version-conflict`. */
export type PilotUpdateDto = Omit<PilotSettingsDto, 'version' | 'updatedAt' | 'updatedBy'> & {
  baseVersion?: number | null;
};
