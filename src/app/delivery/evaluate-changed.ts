import type { Signal } from '../../shared/signal';
import type { DeliveryChanges } from './delivery-changes.port';
import type { EvaluateDelivery } from './evaluate-delivery';

/**
 * The scheduled evaluations, incremental where they can be: after a sync, only the projects whose
 * HaloPSA records it changed (an escalation then moves within one sync of the change even when no
 * webhook told us); once a day, every project (time moves every forecast), which also settles
 * whatever was queued before it started.
 */
export class EvaluateChanged {
  constructor(
    private readonly deps: {
      tenantId: string;
      changes: DeliveryChanges;
      evaluation: Pick<EvaluateDelivery, 'run'>;
      /** Notified after an evaluation: its decisions may have queued notifications. */
      outbox: Signal;
    },
  ) {}

  /** Evaluates the projects changed since they were last evaluated; returns which. */
  async changed(): Promise<{ projectIds: number[] }> {
    const { tenantId, changes, evaluation } = this.deps;
    const { upto, projectIds } = await changes.pending(tenantId);
    if (upto === null) return { projectIds: [] };
    if (projectIds.length > 0) await evaluation.run({ projectIds });
    await changes.clear(tenantId, upto);
    this.deps.outbox.notify();
    return { projectIds };
  }

  /** Evaluates every project, and with it everything queued before it started. */
  async all(): Promise<void> {
    const { tenantId, changes, evaluation } = this.deps;
    const upto = await changes.position(tenantId);
    await evaluation.run();
    if (upto !== null) await changes.clear(tenantId, upto);
    this.deps.outbox.notify();
  }
}
