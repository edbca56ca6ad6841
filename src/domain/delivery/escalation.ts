/**
 * Escalation state machine, one escalation per (project, cause). Pure: given the current
 * assessment, the project's existing escalations and the policy, it returns decisions (open, update,
 * resolve, re-escalate), each with a notification intent for the bot. Human actions (acknowledge,
 * assign, snooze, not-a-real-issue) are pure reducers that record who did what for tuning.
 *
 * Rules:
 * - open when a cause has held amber or red today and on its last `persistenceDays` working days
 *   with evidence (fewer when a second driver family confirms it; see `CauseSignal`) — never on
 *   `unknown` data, never outside pilot scope;
 * - re-post only on a state change: severity up when red persists, down when red has not been seen
 *   for the whole window; resolve only once every value in the window is at or below back-to-green;
 * - unacknowledged past acknowledge-by + re-escalation delay → one re-escalation to the delivery
 *   director; a snoozed escalation neither re-escalates nor re-opens until the snooze ends;
 * - a false-positive mark closes the escalation and suppresses re-opening at the same or lower
 *   severity until its suppression date.
 */
import { addHours, type IsoDate } from '../shared/dates';
import {
  ESCALATION_CAUSES,
  type CauseSignal,
  type EscalationCause,
  type ProjectAssessment,
} from './health-score';
import {
  inPilotScope,
  SEVERITY_RANK,
  type DeliveryPolicy,
  type Level,
  type Severity,
} from './policy';

/** Lifecycle status of an escalation. */
export type EscalationStatus = 'open' | 'acknowledged' | 'snoozed' | 'resolved' | 'false-positive';

/** A recorded human or engine action on an escalation (the audit trail used for tuning). */
export interface EscalationEvent {
  at: string;
  by: string;
  action:
    | 'opened'
    | 'updated'
    | 'resolved'
    | 're-escalated'
    | 'acknowledged'
    | 'assigned'
    | 'snoozed'
    | 'snooze-ended'
    | 'false-positive';
  note: string | null;
}

/** One escalation (per project and cause). Timestamps are ISO date-times. */
export interface Escalation {
  id: string;
  projectId: string;
  clientId: string;
  cause: EscalationCause;
  severity: Severity;
  status: EscalationStatus;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Accountable owner: workstream owner for the cause, else the PM, else the delivery director. */
  ownerAgentId: string | null;
  /** Mitigation owner assigned by a human. */
  mitigationOwnerAgentId: string | null;
  acknowledgeBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  reescalatedAt: string | null;
  snoozedUntil: string | null;
  snoozeReason: string | null;
  falsePositiveReason: string | null;
  /** After a false-positive mark: no re-open at this severity or lower before this time. */
  suppressedUntil: string | null;
  /** True when high severity routes to the incident commander first. */
  incidentCommander: boolean;
  /** True when opened under shadow mode (computed and logged, not posted). */
  shadow: boolean;
  /** Signal value and score when last changed. */
  lastValue: number | null;
  lastScore: number;
  policyVersion: number;
  events: EscalationEvent[];
}

/** Who receives what beyond the project's own owners. */
export interface EscalationOwners {
  deliveryDirectorAgentId: string | null;
  incidentCommanderAgentId: string | null;
}

/** Kinds of engine decisions. */
export type EscalationDecisionKind = 'open' | 'update' | 'resolve' | 're-escalate';

/** Notification kinds the bot understands. */
export type EscalationNotificationKind =
  'escalation.opened' | 'escalation.updated' | 'escalation.resolved' | 'escalation.reescalated';

/** What the bot should post (or, in shadow mode, only log). No customer-facing content. */
export interface EscalationNotification {
  kind: EscalationNotificationKind;
  escalationId: string;
  projectId: string;
  projectName: string;
  clientId: string;
  cause: EscalationCause;
  severity: Severity;
  score: number;
  rag: ProjectAssessment['rag'];
  confidence: number;
  ownerAgentId: string | null;
  /** Who should see it first (incident commander for high severity, director on re-escalation). */
  recipientAgentId: string | null;
  acknowledgeBy: string;
  incidentCommander: boolean;
  shadow: boolean;
  /** Signal value that triggered the notification, in the driver's unit. */
  value: number | null;
  /** Short human explanation (the driver's sentence). */
  summary: string;
  /** Card actions offered. */
  actions: readonly ('acknowledge' | 'assign' | 'snooze' | 'false-positive')[];
}

/** One engine decision with the new escalation state. */
export interface EscalationDecision {
  kind: EscalationDecisionKind;
  escalation: Escalation;
  shadow: boolean;
  reason: string;
  notification: EscalationNotification;
}

/** Input to {@link evaluateEscalations}. */
export interface EvaluateEscalationsInput {
  /** Evaluation time, ISO date-time. */
  now: string;
  assessment: ProjectAssessment;
  /**
   * This project's escalations that are still active (open, acknowledged, snoozed), plus any closed
   * as false positives whose suppression has not expired.
   */
  openEscalations: readonly Escalation[];
  policy: DeliveryPolicy;
  owners: EscalationOwners;
}

const ACTIONS = ['acknowledge', 'assign', 'snooze', 'false-positive'] as const;
const NOTIFICATION: Record<EscalationDecisionKind, EscalationNotificationKind> = {
  open: 'escalation.opened',
  update: 'escalation.updated',
  resolve: 'escalation.resolved',
  're-escalate': 'escalation.reescalated',
};

/** True for open, acknowledged and snoozed escalations. */
export function isActive(e: Escalation): boolean {
  return e.status === 'open' || e.status === 'acknowledged' || e.status === 'snoozed';
}

function severityFor(level: Level, policy: DeliveryPolicy): Severity | null {
  if (level === 'red') return policy.severities.red;
  if (level === 'amber') return policy.severities.amber;
  return null;
}

function isIncident(severity: Severity, policy: DeliveryPolicy): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[policy.incidentCommanderSeverity];
}

/** The sentence of the driver carrying the cause today (scope creep for burn, a gap for schedule…). */
function summaryFor(a: ProjectAssessment, cause: EscalationCause): string {
  const driver = a.signals[cause].driver;
  return a.drivers.find((d) => d.key === driver)?.explanation ?? cause;
}

function openReason(signal: CauseSignal): string {
  const level = signal.persistentLevel ?? 'amber';
  const via = signal.driver === signal.cause ? '' : ` (driven by ${signal.driver})`;
  return signal.confirmedBy === null
    ? `${signal.cause} ${level}${via} for ${signal.evidenceDays} working days with evidence`
    : `${signal.cause} ${level}${via} for ${signal.evidenceDays} working days with evidence, confirmed by ${signal.confirmedBy}`;
}

function notify(
  kind: EscalationDecisionKind,
  e: Escalation,
  a: ProjectAssessment,
  recipient: string | null,
): EscalationNotification {
  return {
    kind: NOTIFICATION[kind],
    escalationId: e.id,
    projectId: e.projectId,
    projectName: a.name,
    clientId: e.clientId,
    cause: e.cause,
    severity: e.severity,
    score: a.score,
    rag: a.rag,
    confidence: a.confidence,
    ownerAgentId: e.ownerAgentId,
    recipientAgentId: recipient,
    acknowledgeBy: e.acknowledgeBy,
    incidentCommander: e.incidentCommander,
    shadow: e.shadow,
    value: e.lastValue,
    summary: summaryFor(a, e.cause),
    actions: kind === 'resolve' ? [] : ACTIONS,
  };
}

function decision(
  kind: EscalationDecisionKind,
  e: Escalation,
  a: ProjectAssessment,
  reason: string,
  recipient: string | null,
): EscalationDecision {
  return {
    kind,
    escalation: e,
    shadow: e.shadow,
    reason,
    notification: notify(kind, e, a, recipient),
  };
}

function firstRecipient(e: Escalation, owners: EscalationOwners): string | null {
  return e.incidentCommander ? (owners.incidentCommanderAgentId ?? e.ownerAgentId) : e.ownerAgentId;
}

function openEscalation(
  now: string,
  a: ProjectAssessment,
  signal: CauseSignal,
  severity: Severity,
  policy: DeliveryPolicy,
  owners: EscalationOwners,
): Escalation {
  const incident = isIncident(severity, policy);
  return {
    id: `${a.projectId}:${signal.cause}:${now}`,
    projectId: a.projectId,
    clientId: a.clientId,
    cause: signal.cause,
    severity,
    status: 'open',
    openedAt: now,
    updatedAt: now,
    closedAt: null,
    ownerAgentId: signal.ownerHintAgentId ?? a.pmAgentId ?? owners.deliveryDirectorAgentId,
    mitigationOwnerAgentId: null,
    acknowledgeBy: addHours(now, policy.acknowledgeSlaHours[severity]),
    acknowledgedAt: null,
    acknowledgedBy: null,
    reescalatedAt: null,
    snoozedUntil: null,
    snoozeReason: null,
    falsePositiveReason: null,
    suppressedUntil: null,
    incidentCommander: incident,
    shadow: policy.shadowMode,
    lastValue: signal.value,
    lastScore: a.score,
    policyVersion: policy.version,
    events: [
      {
        at: now,
        by: 'engine',
        action: 'opened',
        note: `${severity}: ${summaryFor(a, signal.cause)}`,
      },
    ],
  };
}

/** True when ISO date-time `a` is strictly after `b` (parsed, so formats may differ). */
export function isAfter(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}

/** `e` with one more event, stamped as updated at the event's time. */
export function withEvent(
  e: Escalation,
  ev: EscalationEvent,
  patch: Partial<Escalation>,
): Escalation {
  return { ...e, ...patch, updatedAt: ev.at, events: [...e.events, ev] };
}

/**
 * Evaluate one project's escalations. Returns only state changes; an unchanged situation yields no
 * decision (so nothing is re-posted).
 */
export function evaluateEscalations(input: EvaluateEscalationsInput): EscalationDecision[] {
  const { now, assessment: a, policy, owners } = input;
  const out: EscalationDecision[] = [];
  const scoped = inPilotScope(policy, a);
  for (const cause of ESCALATION_CAUSES) {
    const signal = a.signals[cause];
    const existing = input.openEscalations.find(
      (e) => e.projectId === a.projectId && e.cause === cause && isActive(e),
    );
    if (existing) {
      const d = evaluateExisting(now, existing, a, signal, policy, owners);
      if (d) out.push(d);
      continue;
    }
    if (
      !scoped ||
      a.rag === 'unknown' ||
      a.status === 'closed' ||
      signal.persistentLevel === null
    ) {
      continue;
    }
    const severity = severityFor(signal.persistentLevel, policy);
    if (severity === null) continue;
    const suppressed = input.openEscalations.some(
      (e) =>
        e.projectId === a.projectId &&
        e.cause === cause &&
        e.status === 'false-positive' &&
        e.suppressedUntil !== null &&
        isAfter(e.suppressedUntil, now) &&
        SEVERITY_RANK[severity] <= SEVERITY_RANK[e.severity],
    );
    if (suppressed) continue;
    const e = openEscalation(now, a, signal, severity, policy, owners);
    out.push(decision('open', e, a, openReason(signal), firstRecipient(e, owners)));
  }
  return out;
}

function evaluateExisting(
  now: string,
  e: Escalation,
  a: ProjectAssessment,
  signal: CauseSignal,
  policy: DeliveryPolicy,
  owners: EscalationOwners,
): EscalationDecision | null {
  // Unknown data: hold the current state — neither escalate further nor trust a "recovery".
  if (a.status !== 'closed' && a.rag === 'unknown') return null;
  if (a.status === 'closed' || signal.recovered) {
    const reason =
      a.status === 'closed' ? 'project closed' : `${e.cause} back at or below back-to-green`;
    const next = withEvent(
      e,
      { at: now, by: 'engine', action: 'resolved', note: reason },
      {
        status: 'resolved',
        closedAt: now,
        lastValue: signal.value,
        lastScore: a.score,
      },
    );
    return decision('resolve', next, a, reason, next.ownerAgentId);
  }

  const snoozedNow =
    e.status === 'snoozed' && e.snoozedUntil !== null && isAfter(e.snoozedUntil, now);
  if (snoozedNow) return null;
  if (e.status === 'snoozed') {
    const severity =
      severityFor(signal.persistentLevel ?? signal.peakLevel ?? 'amber', policy) ?? e.severity;
    const next = withEvent(
      e,
      { at: now, by: 'engine', action: 'snooze-ended', note: null },
      {
        status: 'open',
        severity,
        snoozedUntil: null,
        acknowledgeBy: addHours(now, policy.acknowledgeSlaHours[severity]),
        incidentCommander: isIncident(severity, policy),
        lastValue: signal.value,
        lastScore: a.score,
      },
    );
    return decision(
      'update',
      next,
      a,
      'snooze ended and the cause persists',
      firstRecipient(next, owners),
    );
  }

  // Severity moves with hysteresis: up when red persisted, down when red was absent for the window.
  let target: Severity = e.severity;
  const red = policy.severities.red;
  const amber = policy.severities.amber;
  if (signal.persistentLevel === 'red') target = red;
  else if (e.severity === red && signal.peakLevel !== 'red') target = amber;
  if (target !== e.severity) {
    const up = SEVERITY_RANK[target] > SEVERITY_RANK[e.severity];
    const incident = isIncident(target, policy);
    const next = withEvent(
      e,
      { at: now, by: 'engine', action: 'updated', note: `${e.severity} → ${target}` },
      {
        severity: target,
        incidentCommander: incident,
        acknowledgeBy: up ? addHours(now, policy.acknowledgeSlaHours[target]) : e.acknowledgeBy,
        lastValue: signal.value,
        lastScore: a.score,
      },
    );
    return decision(
      'update',
      next,
      a,
      `severity ${up ? 'raised' : 'lowered'} to ${target}`,
      firstRecipient(next, owners),
    );
  }

  return reescalateIfOverdue(now, e, a, policy, owners);
}

/**
 * When an escalation still unacknowledged re-escalates to the delivery director (ISO): its
 * acknowledge-by time (set from the severity's SLA when it opened or was raised) plus the policy's
 * re-escalation delay for its severity. High severity under the default policy: 4 h + 4 h after
 * opening.
 */
export function reescalationDueAt(
  e: Pick<Escalation, 'acknowledgeBy' | 'severity'>,
  policy: Pick<DeliveryPolicy, 'reescalateAfterHours'>,
): string {
  return addHours(e.acknowledgeBy, policy.reescalateAfterHours[e.severity]);
}

/**
 * The SLA ladder's one step, shared by the daily evaluation and the 5-minute timer: an open
 * escalation nobody acknowledged, past its re-escalation time and not yet re-escalated, re-escalates
 * once to the delivery director. Anything else (acknowledged, snoozed, closed, already re-escalated,
 * not yet due) yields no decision.
 */
export function reescalateIfOverdue(
  now: string,
  e: Escalation,
  a: ProjectAssessment,
  policy: Pick<DeliveryPolicy, 'reescalateAfterHours'>,
  owners: EscalationOwners,
): EscalationDecision | null {
  if (e.status !== 'open' || e.reescalatedAt !== null) return null;
  if (isAfter(reescalationDueAt(e, policy), now)) return null;
  const next = withEvent(
    e,
    { at: now, by: 'engine', action: 're-escalated', note: 'acknowledge SLA missed' },
    { reescalatedAt: now },
  );
  return decision(
    're-escalate',
    next,
    a,
    'not acknowledged within the SLA',
    owners.deliveryDirectorAgentId,
  );
}

/** The calendar day of an ISO date-time (helper for reports keyed by day). */
export function dayOf(at: string): IsoDate {
  return at.slice(0, 10);
}
