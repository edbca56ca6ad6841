import type { Escalation } from '../../domain/delivery/escalation';
import type { EscalationView } from '../delivery-views';
import type { Outbox } from '../ports/notifications.port';

/**
 * The ports an escalation decision is posted through, bound to the deciding transaction (so the
 * outbox row commits with the decision).
 */
export interface EscalationPostingPorts {
  /** The pilot settings' verdict (tab → Settings → Pilot): `post`, or why not (`off`, `shadow`…). */
  pilotVerdict(target: { clientId: number | null; projectId: number | null }): Promise<string>;
  /** The card view of the escalation. */
  view(escalation: Escalation): Promise<EscalationView>;
  outbox: Outbox;
}
