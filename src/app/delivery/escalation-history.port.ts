import type { Escalation } from '../../domain/delivery/escalation';

/** Every escalation a tenant ever had, in any status (SQL adapter in src/store). */
export interface EscalationHistory {
  all(tenantId: string): Promise<Escalation[]>;
}
