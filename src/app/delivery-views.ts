/**
 * View models the Teams bot (and the tab) render, and the ports the bot calls to get them.
 * Plain data only: no SDK types, no SQL. The delivery engine implements the ports; tests use fakes.
 */

import type { Rag, RiskTag } from '../domain/delivery/health-score';
import type { PilotAllowList } from '../domain/shared/pilot';
import type { Role } from '../domain/shared/roles';
import type { ProjectOwners } from './identity/ownership.port';
import type { BotActionLog } from './notifications/bot-action-log.port';
import type { Outbox } from './ports/notifications.port';

export type { Rag, RiskTag };

/** One explainable driver of a health score: its value against the policy threshold. */
export interface HealthDriverView {
  /** What the driver measures, in the MSP's words ("Hours burn vs % complete"). */
  label: string;
  /** The measured value, already formatted for people ("1.32", "14 days"). */
  value: string;
  /** The policy threshold it is compared with, formatted ("≤ 1.10"). */
  threshold: string;
  /** Points this driver took off the score (0 when it is within policy). */
  contribution: number;
}

/** One point of a project's daily health trend. */
export interface HealthTrendPoint {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  /** Score that day, or null when it was unknown. */
  score: number | null;
}

/** A project's next milestone, when it has one. */
export interface MilestoneView {
  name: string;
  /** ISO date it is planned for. */
  dueDate: string;
  /** True when the milestone is a quality gate needing evidence. */
  isGate: boolean;
}

/** Severity of an escalation. */
export type EscalationSeverity = 'low' | 'medium' | 'high';

/** Where an escalation is in its life cycle. */
export type EscalationState =
  'open' | 'acknowledged' | 'assigned' | 'snoozed' | 'false-positive' | 'resolved';

/** A short reference to an open escalation, as listed on a project card. */
export interface EscalationSummaryView {
  id: string;
  cause: string;
  severity: EscalationSeverity;
  state: EscalationState;
  /** ISO timestamp it was opened. */
  openedAt: string;
}

/** `/health <project>`: the whole explainable health of one project. */
export interface ProjectHealthView {
  /** HaloPSA project id. */
  id: number;
  name: string;
  client: { id: number; name: string };
  /** 0–100, or null when unknown. */
  score: number | null;
  rag: Rag;
  /** 0–1: how much the score can be trusted (drops with missing timesheets, estimates, stale data). */
  confidence: number;
  riskTags: RiskTag[];
  /** Top drivers, worst first. */
  drivers: HealthDriverView[];
  /** What changed since the last snapshot, one line each. */
  changes: string[];
  /** Daily scores, oldest first. */
  trend: HealthTrendPoint[];
  nextMilestone: MilestoneView | null;
  openEscalations: EscalationSummaryView[];
  /** ISO timestamp of the evaluation the view shows. */
  evaluatedAt: string;
}

/** One row of the portfolio's worst projects. */
export interface PortfolioProjectLine {
  id: number;
  name: string;
  clientName: string;
  score: number | null;
  rag: Rag;
  /** The driver that took most off the score, or null when none. */
  topDriver: HealthDriverView | null;
}

/** `/health`: the portfolio at a glance. */
export interface PortfolioSummaryView {
  counts: Record<Rag, number>;
  /** Worst first (red before amber, lowest score first); the card truncates. */
  worst: PortfolioProjectLine[];
  /** ISO timestamp of the evaluation the view shows. */
  evaluatedAt: string;
}

/** A candidate project for `/health <text>`. */
export interface ProjectMatch {
  id: number;
  name: string;
  clientName: string;
  rag: Rag;
  /** True when the text matched the id or the whole name exactly (case-insensitive). */
  exact: boolean;
}

/** A candidate of `/health <text>`, with its owners (whether the asker reads it is judged on them). */
export interface ProjectCandidate extends ProjectMatch {
  /** Null when the HaloPSA mirror does not know them (read as "no such project"). */
  owners: ProjectOwners | null;
}

/**
 * `/health <text>` read at once: the candidates, and the health view of the first (best) one,
 * null when there is none or it has no evaluation yet.
 */
export interface ProjectSearch {
  matches: ProjectCandidate[];
  firstView: ProjectHealthView | null;
}

/** A candidate client for `/subscribe <stream> <client>`. */
export interface ClientMatch {
  id: number;
  name: string;
  /** True when the text matched the id or the whole name exactly (case-insensitive). */
  exact: boolean;
}

/** One red or amber project in the weekly control report. */
export interface WeeklyReportLine {
  projectId: number;
  projectName: string;
  clientName: string;
  rag: Rag;
  score: number | null;
  /** Causes, in words ("burn 1.32 vs ≤ 1.10"). */
  causes: string[];
  /** Name of the mitigation owner, or null when nobody is assigned yet. */
  mitigationOwner: string | null;
  /** ISO date recovery is expected, or null when unknown. */
  recoveryDate: string | null;
  /** What changed since last week ("amber → red"). */
  changeSinceLastWeek: string | null;
}

/** `/report` and the weekly post: red/amber projects, causes, owners, recovery, week-on-week changes. */
export interface WeeklyReportView {
  /** ISO date of the Monday the report covers. */
  weekOf: string;
  counts: Record<Rag, number>;
  lines: WeeklyReportLine[];
  /** Headline changes since last week, one line each. */
  changes: string[];
  /** ISO timestamp the report was generated. */
  generatedAt: string;
}

/** A HaloPSA agent an escalation can be assigned to. */
export interface AgentOption {
  id: number;
  name: string;
}

/** What happened to an escalation last, shown on the card after an action. */
export interface EscalationHistoryEntry {
  /** ISO timestamp. */
  at: string;
  actorName: string;
  /** What they did, in words ("acknowledged", "snoozed until 2025-03-01: waiting for the vendor"). */
  action: string;
}

/** An escalation as its card shows it. */
export interface EscalationView {
  id: string;
  project: { id: number; name: string };
  client: { id: number; name: string };
  cause: string;
  severity: EscalationSeverity;
  state: EscalationState;
  /** Why it opened, one line each ("Burn 1.32 vs ≤ 1.10"). */
  details: string[];
  /** Current health, for context. */
  score: number | null;
  rag: Rag;
  ownerName: string | null;
  mitigationOwnerName: string | null;
  /** ISO timestamp by which someone must acknowledge. */
  acknowledgeBy: string;
  /** ISO timestamp when a snooze ends, when snoozed. */
  snoozedUntil: string | null;
  /** Agents offered by "Assign mitigation owner" (the card truncates long lists). */
  assignableAgents: AgentOption[];
  /** Newest last. */
  history: EscalationHistoryEntry[];
  openedAt: string;
}

export type { Role };

/** Who is acting, as the bot resolved them from Teams (Entra object id → roles, e-mail → HaloPSA agent). */
export interface Actor {
  aadObjectId: string | null;
  name: string;
  email: string | null;
  roles: Role[];
  /** The HaloPSA agent with the same e-mail, when there is one. */
  haloAgentId: number | null;
}

/** Why an action was refused. */
export type RefusalReason = 'not-authorised' | 'not-found' | 'invalid-state' | 'invalid-input';

/** The outcome of an escalation action: the updated escalation, or a refusal with a reason. */
export type EscalationActionResult =
  | {
      ok: true;
      escalation: EscalationView;
      /** False when it already was so (a second Acknowledge): nothing was written. */
      changed: boolean;
    }
  | {
      ok: false;
      reason: RefusalReason;
      /** Shown to the person as is: says what they can do instead. */
      message: string;
      /** The escalation as it stands, when it exists (the card re-renders it with the message). */
      escalation: EscalationView | null;
    };

/**
 * Read side of the delivery loop, as the bot needs it. Implementations must answer from precomputed
 * snapshots (no evaluation per request): `/health <project>` is on the latency budget.
 */
export interface DeliveryQueries {
  /** Counts by RAG and the worst projects. */
  portfolioSummary(tenantId: string): Promise<PortfolioSummaryView>;
  /**
   * Projects whose id equals `text` or whose name contains it (case-insensitive), best first, with
   * their owners and the first one's view: `/health <text>` in one round trip.
   */
  searchProjects(tenantId: string, text: string): Promise<ProjectSearch>;
  /** One project's health, or null when the tenant has no such project. */
  projectHealth(tenantId: string, projectId: number): Promise<ProjectHealthView | null>;
  /** The weekly control report as of now, covering only `allowList` when one is given (pilot scope). */
  weeklyReport(tenantId: string, allowList?: PilotAllowList): Promise<WeeklyReportView>;
  /** Clients whose id equals `text` or whose name contains it (case-insensitive), best first. */
  findClients(tenantId: string, text: string): Promise<ClientMatch[]>;
}

/**
 * What a decision on an escalation writes in its own transaction, so the decision, its log entry and
 * the update of the clicked card for everyone commit together (a crash after the answer loses none).
 */
export interface EscalationDecisionPorts {
  outbox: Outbox;
  actions: BotActionLog;
}

/** Writes that belong to a decision, given the decided escalation's view; run in its transaction. */
export type EscalationDecisionEffects = (
  decided: EscalationView,
  ports: EscalationDecisionPorts,
) => Promise<void>;

/**
 * Decisions on escalations. Implementations decide who may act (the project's PM, the escalation owner,
 * a delivery director) and record the decision; they never throw for an expected refusal: they return
 * it. The bot records every outcome in `action_log`, answers the clicker with the returned view, and
 * updates the clicked card for everyone through the outbox; other copies of the card (e.g. the
 * director's re-escalation post) are the engine's to update (outbox `updateOf`).
 */
export interface EscalationActions {
  acknowledge(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    /** Run in the decision's transaction when something changed. */
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult>;
  assign(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    agentId: number,
    /** Run in the decision's transaction when something changed. */
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult>;
  snooze(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    until: string,
    reason: string,
    /** Run in the decision's transaction when something changed. */
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult>;
  markFalsePositive(
    tenantId: string,
    escalationId: string,
    actor: Actor,
    reason: string,
    /** Run in the decision's transaction when something changed. */
    effects?: EscalationDecisionEffects,
  ): Promise<EscalationActionResult>;
}
