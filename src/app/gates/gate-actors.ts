import type { Actor } from '../delivery-views';
import type { AuditActor, AuditTrail } from '../ports/audit.port';
import type { GatePerson } from './gate-views';

const REQUESTER_ROLES = ['pm', 'delivery_director', 'admin'];

/** True when the actor may upload evidence and request gates. */
export function mayRequestGates(actor: Actor): boolean {
  return REQUESTER_ROLES.some((r) => actor.roles.includes(r as Actor['roles'][number]));
}

/** The actor as gate rows record them. */
export function gatePerson(actor: Actor): GatePerson {
  return { aadObjectId: actor.aadObjectId, name: actor.name, email: actor.email };
}

/** The actor as audit entries record them. */
export function auditActor(actor: Actor): AuditActor {
  return { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name };
}

/** Records a refused gate action, so a refusal is on the gate's timeline like a change. */
export async function auditGateRefusal(
  audit: AuditTrail,
  refusal: {
    gateId: string;
    actor: Actor;
    attempted: string;
    reason: string;
    message: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await audit.append({
    subjectType: 'gate',
    subjectId: refusal.gateId,
    action: 'gate.refused',
    actor: auditActor(refusal.actor),
    detail: {
      attempted: refusal.attempted,
      reason: refusal.reason,
      message: refusal.message,
      ...refusal.detail,
    },
  });
}
