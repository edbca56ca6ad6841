/**
 * JSON shapes the tab API (`/api/v1`) answers with, and the one module the tab imports from the
 * server, type-only (`import type { ... } from '../../src/api/dto'`), so nothing here may carry a
 * runtime value. Read models live in src/app (`*-views.ts`) and are re-exported here under their
 * DTO names. Dates are ISO strings (`YYYY-MM-DD` for days, full ISO timestamps for instants); ids of
 * HaloPSA records are numbers, ids of our own records (escalations, routes, role rows) are strings.
 * Every error is `ApiErrorBody` with a stable `code`.
 */
import type { MyNotificationsView } from '../app/notifications/my-notifications';
import type { DeliveryMode, PersonalStream } from '../domain/notifications/personal-notices';
import type {
  ClientSummaryView,
  DataQualityExceptionView,
  DriverDetailView,
  EscalationLineView,
  EvmView,
  ExceptionsPageView,
  ExceptionView,
  FailedDeliveryView,
  HealthView,
  KpisView,
  MilestoneGateView,
  NamedRef,
  Page,
  ProjectDetailView,
  ProjectListItemView,
  ProjectMilestoneView,
  ProjectsPageView,
  TimelineEntryView,
  TrendPointView,
} from '../app/delivery/tab-views';
import type { DeliveryFailureGroup } from '../domain/shared/delivery-failures';
import type {
  EscalationSeverity,
  EscalationState,
  Rag,
  RiskTag,
  Role,
  WeeklyReportView,
} from '../app/delivery-views';
import type {
  AutomationKey,
  ConversationRouteView,
  NotificationStream,
  PilotSettingsView,
  PolicySettingsView,
  RoleAssignmentInput,
  RoleAssignmentView,
} from '../app/settings/settings-views';
import type {
  GateDetail,
  GatePerson,
  GateDecisionView,
  GateView,
  PackIntegrity,
} from '../app/gates/gate-views';
import type { ContractActions } from '../app/renewals/contract-actions';
import type { StakeholderChoice, StakeholderMapResult } from '../app/renewals/edit-stakeholder-map';
import type { ClientContact } from '../app/renewals/client-contacts.port';
import type { RenewalAgent } from '../app/renewals/renewal-agents.port';
import type { ContractRenewalDetail } from '../app/renewals/renewal-queries';
import type {
  ConcessionPreview,
  ConcessionView,
  RenewalPipelineItem,
} from '../app/renewals/renewal-views';
import type { OwnerCall, StakeholderRole } from '../domain/renewals';
import type { EvmFigures } from '../domain/delivery/earned-value';
import type { JudgementRecord } from '../domain/delivery/judgement-record';
import type { KpiMovement, WeeklyKpis } from '../domain/delivery/kpis';
import type { KpiProgressView } from '../app/reporting/kpi-progress-view';
import type { DeliveryPolicyConfig } from '../domain/delivery/policy';
import type { GovernanceReviewView } from '../app/renewals/governance-review-view';
import type { RenewalPolicyVersionView } from '../app/renewals/read-governance';
import type { GovernanceReview } from '../domain/renewals';

export type {
  AutomationKey,
  DeliveryPolicyConfig,
  EscalationSeverity,
  EscalationState,
  EvmFigures,
  KpiMovement,
  NamedRef,
  NotificationStream,
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

// ─── Portfolio and projects (read models of src/app/delivery/tab-views.ts) ─────────────────────

export type DriverDto = DriverDetailView;
export type HealthDto = HealthView;
export type ProjectListItemDto = ProjectListItemView;
export type ProjectsPageDto = ProjectsPageView;
export type TrendPointDto = TrendPointView;
export type EvmDto = EvmView;
export type MilestoneGateDto = MilestoneGateView;
export type MilestoneDto = ProjectMilestoneView;
export type EscalationDto = EscalationLineView;
export type TimelineEntryDto = TimelineEntryView;
export type ProjectDetailDto = ProjectDetailView;
export type ClientDto = ClientSummaryView;

export interface ClientsDto {
  items: ClientDto[];
}

/**
 * `GET /delivery/governance`: how the delivery judgement has done on the tenant's own history —
 * escalations confirmed by a later slip or overrun, marked "not a real issue", troubles never
 * escalated — as of `asOf`.
 */
export type DeliveryGovernanceDto = JudgementRecord & { asOf: string };

// ─── KPIs, report, exceptions ───────────────────────────────────────────────────────────────────

export type KpisDto = KpisView;

/**
 * `GET /kpis/progress` (delivery) and `GET /renewals/kpis/progress` (renewal): the frozen pilot
 * baseline, week 4, week 8 and now, from the daily KPI snapshots.
 */
export type KpiProgressDto = KpiProgressView;

/** `GET /report/weekly` (JSON); `?format=csv` answers `text/csv` with one line per project. */
export type WeeklyReportDto = WeeklyReportView;

export type DataQualityExceptionDto = DataQualityExceptionView;
export type FailedDeliveryDto = FailedDeliveryView;
export type ExceptionDto = ExceptionView;
export type ExceptionsPageDto = ExceptionsPageView;
/** One group of undelivered notifications (stream and cause) with its fix. */
export type DeliveryFailureGroupDto = DeliveryFailureGroup;

// ─── Settings (admin only; read models of src/app/settings/settings-views.ts) ───────────────────

/** `GET /settings/policy`; `PUT` takes `PolicyUpdateDto` and answers the new version. */
export type PolicySettingsDto = PolicySettingsView;

export interface PolicyUpdateDto {
  config: DeliveryPolicyConfig;
  /** The version the editor started from; a different current version → 409 `version-conflict`. */
  baseVersion: number | null;
}

/** Routes are created from Teams (`/subscribe`); the tab lists and removes them. */
export type ConversationRouteDto = ConversationRouteView;

/** `GET /settings/routing`. */
export interface RoutingSettingsDto {
  items: ConversationRouteDto[];
}

/**
 * `PUT /settings/routing`: the route ids to delete and severity floors to set (a channel gets no card
 * whose severity is below its floor; null posts everything). Answers `RoutingSettingsDto`.
 */
export interface RoutingUpdateDto {
  remove?: string[];
  floors?: { id: string; severityFloor: 'low' | 'medium' | 'high' | null }[];
}

export type RoleAssignmentDto = RoleAssignmentView;

/** `GET /settings/roles`. */
export interface RolesSettingsDto {
  items: RoleAssignmentDto[];
}

/**
 * `PUT /settings/roles`: the complete new list (replaces the tenant's assignments). Refused with 400
 * `last-admin` when no admin would remain.
 */
export interface RolesUpdateDto {
  items: RoleAssignmentInput[];
}

/**
 * `GET /settings/pilot` (and the answer to `PUT`): with the allow-list on, only the listed clients or
 * projects get automation; shadow mode computes and logs without posting.
 */
export type PilotSettingsDto = PilotSettingsView;

/** `PUT /settings/pilot`; with `baseVersion`, a different current version → 409 `version-conflict`. */
export type PilotUpdateDto = Omit<PilotSettingsDto, 'version' | 'updatedAt' | 'updatedBy'> & {
  baseVersion?: number | null;
};

/**
 * `GET /settings/reporting-key`: whether the Power BI feed (`/odata`) has a reporting key, and which
 * (its last four characters); the key itself is shown only once, when it is created.
 */
export interface ReportingKeyDto {
  configured: boolean;
  hint: string | null;
  createdAt: string | null;
  createdBy: string | null;
  /** The feed's path on this server (Power BI: Get Data → OData feed → this URL). */
  feedPath: string;
}

/** `POST /settings/reporting-key`: a new key, shown this once; the previous key stops working. */
export interface IssuedReportingKeyDto extends ReportingKeyDto {
  key: string;
}

// ─── Stage gates (view models of src/app/gates/gate-views.ts) ─────────────────────────────────────

export type GatePersonDto = GatePerson;
export type GateDecisionDto = GateDecisionView;
/** A gate as lists show it. */
export type GateSummaryDto = GateView;

/** `GET /gates`: gates waiting for my decision, and those I requested. */
export interface GatesWaitingDto {
  toDecide: GateSummaryDto[];
  requested: GateSummaryDto[];
}

/** A frozen pack's files re-verified against the store as the pack was opened. */
export type PackIntegrityDto = PackIntegrity;

/**
 * `GET /gates/:gateId`, with the pack's files re-verified against the store (`integrity.status`
 * `mismatch`: a file changed or is gone since the pack was frozen; the gate's timeline records it).
 */
export type GateDetailDto = GateDetail & { integrity: PackIntegrityDto | null };

// ─── Renewals (view models of src/app/renewals/renewal-views.ts) ─────────────────────────────────

/** One row of `GET /renewals`. */
export type RenewalPipelineItemDto = RenewalPipelineItem;

/** `GET /renewals?days=&order=&page=&pageSize=`: contracts ending within the window, soonest first. */
export interface RenewalPipelineDto extends Page<RenewalPipelineItemDto> {
  days: number;
  order: string;
  asOf: string;
}

/** What the caller may do on a contract's page (the server refuses everything else). */
export type ContractActionsDto = ContractActions;

/** A HaloPSA agent a renewal can be assigned to. */
export type RenewalAgentDto = RenewalAgent;

/** `GET /renewals/owners`: who a cs lead can hand a renewal to. */
export interface RenewalAgentsDto {
  items: RenewalAgentDto[];
}

/** `GET /contracts/:id`: one contract's renewal picture, its owner and what the caller may do. */
export type ContractDetailDto = ContractRenewalDetail & {
  renewalOwner: RenewalAgentDto | null;
  /** The client's active HaloPSA contacts, for whoever may edit the stakeholder map (else empty). */
  clientContacts: ClientContactDto[];
  /** `redacted`: a PM's read-only view, without commercial figures (SPEC §1). */
  view: 'full' | 'redacted';
  actions: ContractActionsDto;
};

/** A concession request as the tab shows it. */
export type ConcessionDto = ConcessionView;

/** `GET /concessions?status=&mine=`: requests the caller reads (or may decide, with `mine=true`). */
export interface ConcessionsDto {
  items: ConcessionDto[];
  total: number;
}

/** `POST /contracts/:id/concessions/preview`: what a request would come to, before it is made. */
export type ConcessionPreviewDto = ConcessionPreview;

/** `POST /contracts/:id/checkpoints` body. */
export interface CheckpointInputDto {
  meetingOn: string;
  notes: string;
  ownerCall: OwnerCall;
}

/**
 * `PUT /contracts/:id/stakeholders` body: per role to set (others stay), one of the client's HaloPSA
 * contacts (`{ contactId }`, from `clientContacts`) or a name typed in for someone not in HaloPSA.
 */
export type StakeholdersInputDto = Partial<Record<StakeholderRole, StakeholderChoice>>;

/** One of the client's HaloPSA contacts, as the stakeholder map offers it. */
export type ClientContactDto = ClientContact;

/** `PUT /contracts/:id/stakeholders` answer. */
export type StakeholderMapDto = StakeholderMapResult;

/** `POST /concessions/:id/decision` body. */
export interface ConcessionDecisionInputDto {
  decision: 'approve' | 'reject';
  comment?: string;
  expectedVersion?: number;
}

// ─── Governance review (view models of src/app/renewals/governance-review-view.ts) ──────────────

/** `GET /governance/reviews/:month` and the answer to a decision or sign-off. */
export type GovernanceReviewDto = GovernanceReviewView;

/** `GET /renewals/governance`: the month so far, computed live (not yet a stored review). */
export type GovernanceFiguresDto = GovernanceReview;

/** `GET /governance/reviews`: the months with a stored review, newest first. */
export interface GovernanceReviewMonthsDto {
  items: { month: string }[];
}

/** `GET /renewals/policy/versions`: the renewal policy versions, newest (current) first. */
export interface RenewalPolicyVersionsDto {
  items: RenewalPolicyVersionView[];
}

/** `GET /me/notifications` (and the answer of `PUT`): the caller's own notification choices. */
export type MyNotificationsDto = MyNotificationsView;

/** `PUT /me/notifications` body: one stream's mode, or the digest's time zone (null: the tenant's). */
export type MyNotificationsChangeDto =
  { stream: PersonalStream; mode: DeliveryMode } | { timeZone: string | null };
