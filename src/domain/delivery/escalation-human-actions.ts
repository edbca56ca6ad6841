/**
 * Human actions on an escalation (acknowledge, assign, snooze, not-a-real-issue): pure reducers that
 * record who did what, for threshold tuning.
 */
import { addHours } from '../shared/dates';
import { isActive, isAfter, withEvent, type Escalation } from './escalation';

/** Result of a human action: the new state, or why it was refused. */
export type EscalationActionResult =
  { ok: true; escalation: Escalation } | { ok: false; problem: string };

function refuseClosed(e: Escalation): EscalationActionResult | null {
  return isActive(e) ? null : { ok: false, problem: `escalation is ${e.status}` };
}

/** A person acknowledges the escalation (stops the re-escalation clock). */
export function acknowledge(e: Escalation, by: string, at: string): EscalationActionResult {
  const refused = refuseClosed(e);
  if (refused) return refused;
  if (e.status === 'acknowledged') return { ok: true, escalation: e };
  return {
    ok: true,
    escalation: withEvent(
      e,
      { at, by, action: 'acknowledged', note: null },
      {
        status: 'acknowledged',
        acknowledgedAt: at,
        acknowledgedBy: by,
      },
    ),
  };
}

/** A person assigns the mitigation owner (also counts as acknowledgement). */
export function assignMitigationOwner(
  e: Escalation,
  ownerAgentId: string,
  by: string,
  at: string,
): EscalationActionResult {
  const refused = refuseClosed(e);
  if (refused) return refused;
  return {
    ok: true,
    escalation: withEvent(
      e,
      { at, by, action: 'assigned', note: ownerAgentId },
      {
        mitigationOwnerAgentId: ownerAgentId,
        status: e.status === 'snoozed' ? 'snoozed' : 'acknowledged',
        acknowledgedAt: e.acknowledgedAt ?? at,
        acknowledgedBy: e.acknowledgedBy ?? by,
      },
    ),
  };
}

/** A person snoozes the escalation until `until` with a reason (required). */
export function snooze(
  e: Escalation,
  reason: string,
  until: string,
  by: string,
  at: string,
): EscalationActionResult {
  const refused = refuseClosed(e);
  if (refused) return refused;
  if (reason.trim() === '') return { ok: false, problem: 'a snooze needs a reason' };
  if (!isAfter(until, at)) return { ok: false, problem: 'snooze end must be in the future' };
  return {
    ok: true,
    escalation: withEvent(
      e,
      { at, by, action: 'snoozed', note: `${reason} (until ${until})` },
      {
        status: 'snoozed',
        snoozedUntil: until,
        snoozeReason: reason,
      },
    ),
  };
}

/**
 * A person marks the escalation "not a real issue" with a reason (required). It closes, is kept for
 * threshold tuning, and suppresses re-opening at the same or lower severity until `suppressUntil`
 * (default: 10 calendar days).
 */
export function markFalsePositive(
  e: Escalation,
  reason: string,
  by: string,
  at: string,
  suppressUntil?: string,
): EscalationActionResult {
  const refused = refuseClosed(e);
  if (refused) return refused;
  if (reason.trim() === '') return { ok: false, problem: 'a false-positive mark needs a reason' };
  return {
    ok: true,
    escalation: withEvent(
      e,
      { at, by, action: 'false-positive', note: reason },
      {
        status: 'false-positive',
        closedAt: at,
        falsePositiveReason: reason,
        suppressedUntil: suppressUntil ?? addHours(at, 240),
      },
    ),
  };
}
