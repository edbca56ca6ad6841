import type { GatePolicy } from './gate-policy';

/** Where a pending gate stands against its SLA. */
export type GateSlaState = 'within-sla' | 'reminder-due' | 'escalation-due';

/**
 * The SLA state of a gate waiting since `requestedAt` (ISO) at `now`: a reminder to the approvers
 * is due after `reminderAfterHours`, an escalation to the delivery director after
 * `escalateAfterHours`. Calendar hours: approvals run across time zones.
 */
export function gateSlaState(requestedAt: string, now: Date, policy: GatePolicy): GateSlaState {
  const waitedHours = (now.getTime() - Date.parse(requestedAt)) / 3_600_000;
  if (!Number.isFinite(waitedHours)) return 'within-sla';
  if (waitedHours >= policy.escalateAfterHours) return 'escalation-due';
  if (waitedHours >= policy.reminderAfterHours) return 'reminder-due';
  return 'within-sla';
}

/** ISO time the reminder falls due. */
export function reminderDueAt(requestedAt: string, policy: GatePolicy): string {
  return new Date(Date.parse(requestedAt) + policy.reminderAfterHours * 3_600_000).toISOString();
}

/** Which SLA notices a pending gate should have by now, given those already sent (each once). */
export function slaNoticesDue(
  state: GateSlaState,
  sent: ReadonlySet<'reminder' | 'escalation'>,
): ('reminder' | 'escalation')[] {
  const due: ('reminder' | 'escalation')[] = [];
  if ((state === 'reminder-due' || state === 'escalation-due') && !sent.has('reminder')) {
    due.push('reminder');
  }
  if (state === 'escalation-due' && !sent.has('escalation')) due.push('escalation');
  return due;
}
