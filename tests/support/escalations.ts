import type { Escalation } from '../../src/domain/delivery/escalation';

/** When `anEscalation` opens one unless told otherwise. */
export const ESCALATION_OPENED_AT = '2026-11-20T06:00:00.000Z';

/**
 * An escalation as the engine opens it — open, medium, on project 501's burn, owned by agent 12, due
 * for acknowledgement a day after it opened — with `patch` over it. The id, the update time, the
 * acknowledgement deadline and the opening event follow `patch`'s project, cause and `openedAt`
 * unless `patch` names them too.
 */
export function anEscalation(patch: Partial<Escalation> = {}): Escalation {
  const projectId = patch.projectId ?? '501';
  const cause = patch.cause ?? 'burn';
  const openedAt = patch.openedAt ?? ESCALATION_OPENED_AT;
  return {
    id: `${projectId}:${cause}:${openedAt}`,
    projectId,
    clientId: '7',
    cause,
    severity: 'medium',
    status: 'open',
    openedAt,
    updatedAt: openedAt,
    closedAt: null,
    ownerAgentId: '12',
    mitigationOwnerAgentId: null,
    acknowledgeBy: new Date(Date.parse(openedAt) + 24 * 60 * 60 * 1000).toISOString(),
    acknowledgedAt: null,
    acknowledgedBy: null,
    reescalatedAt: null,
    snoozedUntil: null,
    snoozeReason: null,
    falsePositiveReason: null,
    suppressedUntil: null,
    incidentCommander: false,
    shadow: false,
    lastValue: null,
    lastScore: 50,
    policyVersion: 1,
    events: [{ at: openedAt, by: 'engine', action: 'opened', note: null }],
    ...patch,
  };
}
