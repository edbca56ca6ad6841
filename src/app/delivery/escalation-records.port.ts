import type { EscalationDecisionPorts, EscalationView } from '../delivery-views';
import type { Escalation } from '../../domain/delivery/escalation';

export type { EscalationDecisionPorts };

/** Persistence the escalation actions need (the SQL adapter lives in src/store). */
export interface EscalationRecords {
  /**
   * The escalation, the HaloPSA agent who manages its project, and its card's view of any state of
   * it (read with the escalation, so answering needs no further reads); null when unknown. Callers
   * asking at once may share one answer and one view: both are read-only.
   */
  find(
    tenantId: string,
    escalationId: string,
  ): Promise<{
    escalation: Escalation;
    pmAgentId: number | null;
    view: (e: Escalation) => EscalationView;
  } | null>;
  /**
   * Saves `next` only if the stored escalation still has `expectedUpdatedAt` (compare-and-set);
   * `alongside` runs in the same transaction when it did.
   */
  compareAndSet(
    tenantId: string,
    next: Escalation,
    expectedUpdatedAt: string,
    alongside?: (ports: EscalationDecisionPorts) => Promise<void>,
  ): Promise<boolean>;
  /** The card's view of an escalation. */
  view(tenantId: string, escalation: Escalation): Promise<EscalationView>;
}
