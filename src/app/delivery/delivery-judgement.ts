import { ioPacer } from '../../shared/io-pace';
import { buildProjectFacts } from '../../domain/delivery/build-project-facts';
import {
  judgementRecord,
  visibleTrouble,
  type JudgementRecord,
  type VisibleTrouble,
} from '../../domain/delivery/judgement-record';
import { DEFAULT_DELIVERY_POLICY } from '../../domain/delivery/policy';
import type { Clock } from '../../shared/clock';
import type { DeliveryHistoryReader } from './delivery-history.port';
import { deliveryHistoryByScope } from './delivery-history-scopes';
import type { EscalationHistory } from './escalation-history.port';

/**
 * The governance view of the delivery judgement: from the tenant's own history as of today, which
 * escalations a slip or overrun later confirmed, which a human marked "not a real issue", and which
 * troubles were never escalated in time.
 */
export class DeliveryJudgement {
  constructor(
    private readonly history: DeliveryHistoryReader,
    private readonly escalations: EscalationHistory,
    private readonly clock: Clock,
  ) {}

  async run(tenantId: string): Promise<JudgementRecord & { asOf: string }> {
    const asOf = this.clock.now().toISOString().slice(0, 10);
    const escalations = await this.escalations.all(tenantId);
    const projectIds: string[] = [];
    const troubles: VisibleTrouble[] = [];
    // One project scope's history at a time: only ids and troubles are kept.
    const pace = ioPacer();
    for await (const { history, projects } of deliveryHistoryByScope(this.history, tenantId)) {
      for (const project of projects.values()) {
        await pace();
        const facts = buildProjectFacts(project, history, asOf);
        if (facts === null) continue;
        projectIds.push(facts.projectId);
        // Only the plan's structure is read (milestone dates, budget): the default policy serves all.
        const trouble = visibleTrouble(facts, DEFAULT_DELIVERY_POLICY);
        if (trouble !== null) troubles.push(trouble);
      }
    }
    return { asOf, ...judgementRecord(projectIds, escalations, troubles) };
  }
}
