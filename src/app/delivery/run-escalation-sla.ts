import { reescalateIfOverdue, type EscalationOwners } from '../../domain/delivery/escalation';
import { resolvePolicy } from '../../domain/delivery/policy';
import type { Clock } from '../../shared/clock';
import type { DeliveryStore } from './delivery-store.port';
import { DEFAULT_POLICY_CONFIG } from './evaluate-delivery';

/** Dependencies of the SLA timer (ports only). */
export interface RunEscalationSlaDeps {
  store: Pick<DeliveryStore, 'currentPolicy' | 'unacknowledgedEscalations' | 'inTransaction'>;
  clock: Clock;
  owners: EscalationOwners;
}

/** What one tick of the SLA timer did. */
export interface EscalationSlaRun {
  /** Open escalations looked at. */
  watched: number;
  /** Ids of the escalations re-escalated by this tick. */
  reescalated: string[];
}

/**
 * The escalation SLA ladder between daily evaluations (SPEC §2.3): every tick, each open escalation
 * nobody acknowledged is re-escalated to the delivery director once its acknowledge-by time plus the
 * tenant's re-escalation delay has passed, so the ladder keeps the clock rather than waiting for the
 * next evaluation. The escalation is re-read under a lock before deciding, so an acknowledgement that
 * lands first wins and a second tick (or the evaluation) finds it already re-escalated.
 */
export class RunEscalationSla {
  constructor(private readonly deps: RunEscalationSlaDeps) {}

  async run(): Promise<EscalationSlaRun> {
    const { store, clock, owners } = this.deps;
    const now = clock.now().toISOString();
    const [config, watched] = await Promise.all([
      store.currentPolicy(),
      store.unacknowledgedEscalations(),
    ]);
    const reescalated: string[] = [];
    for (const { escalation, assessment, projectType } of watched) {
      // An escalation is only opened by an evaluation that stored its assessment; without one
      // there is nothing truthful to put on the card, and the next evaluation will decide.
      if (assessment === null) continue;
      const policy = resolvePolicy(config ?? DEFAULT_POLICY_CONFIG, {
        clientId: escalation.clientId,
        projectType,
      });
      const done = await store.inTransaction(async (uow) => {
        const current = await uow.lockEscalation(escalation.id);
        if (current === null) return false;
        const decision = reescalateIfOverdue(now, current, assessment, policy, owners);
        if (decision === null) return false;
        await uow.applyDecision(decision);
        return true;
      });
      if (done) reescalated.push(escalation.id);
    }
    return { watched: watched.length, reescalated };
  }
}
