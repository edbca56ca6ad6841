import type { EscalationView } from '../delivery-views';
import type { Escalation } from '../../domain/delivery/escalation';

/** Persistence the escalation actions need (the SQL adapter lives in src/store). */
export interface EscalationRecords {
  /** The escalation and the HaloPSA agent who manages its project, or null when unknown. */
  find(
    tenantId: string,
    escalationId: string,
  ): Promise<{ escalation: Escalation; pmAgentId: number | null } | null>;
  /** Saves `next` only if the stored escalation still has `expectedUpdatedAt` (compare-and-set). */
  compareAndSet(tenantId: string, next: Escalation, expectedUpdatedAt: string): Promise<boolean>;
  /** The card's view of an escalation. */
  view(tenantId: string, escalation: Escalation): Promise<EscalationView>;
}
