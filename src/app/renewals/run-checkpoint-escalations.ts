/**
 * Missed-checkpoint escalation between daily evaluations (issue 17, item 3): every tick of the
 * 5-minute renewals timer, each open stage whose mandatory customer checkpoint is past due and not
 * logged escalates exactly as the daily evaluation would, judged on the contract's latest stored
 * readiness, so an escalation does not wait for the next 06:00 run. Escalating is a compare-and-set
 * on the stage's version and every outbox row has a dedupe key, so neither a second tick nor the
 * daily evaluation escalates the same checkpoint twice.
 */
import { pilotVerdict } from '../../domain/shared/pilot';
import type { Clock } from '../../shared/clock';
import type { Transactional } from '../ports/transaction.port';
import type { PilotSettings } from '../settings/tab-settings.port';
import { escalateMissedCheckpoints } from './escalate-missed-checkpoints';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';
import type { StageTaskRow } from './renewal-stages.port';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** Dependencies of the checkpoint timer (ports and the tenant's policy). */
export interface RunCheckpointEscalationsDeps {
  store: Pick<RenewalStore, 'snapshots' | 'contracts' | 'stages'>;
  uow: Transactional<RenewalUnitOfWork>;
  pilot: Pick<PilotSettings, 'pilot'>;
  tenantId: string;
  clock: Clock;
  policy: RenewalPolicySource;
  /** Shadow mode: escalate and record, but post nothing. */
  shadow?: boolean;
}

/** What one tick of the checkpoint timer did. */
export interface CheckpointEscalationRun {
  /** Open stages looked at. */
  watched: number;
  escalated: Array<{ contractId: number; stage: string; escalateTo: string }>;
}

/** Escalates the missed checkpoints of open stages, as of the clock's day (UTC). */
export class RunCheckpointEscalations {
  constructor(private readonly deps: RunCheckpointEscalationsDeps) {}

  async run(): Promise<CheckpointEscalationRun> {
    const { store, clock, tenantId } = this.deps;
    const asOf = clock.now().toISOString().slice(0, 10);
    const open = await store.stages.stageTasks({ status: 'open' });
    const escalated: CheckpointEscalationRun['escalated'] = [];
    if (open.length === 0) return { watched: 0, escalated };
    const [policy, latest, labels, pilot] = await Promise.all([
      policyNow(this.deps.policy),
      store.snapshots.latestSnapshots(asOf),
      store.contracts.contractLabels([...new Set(open.map((s) => s.contractId))]),
      this.deps.pilot.pilot(tenantId),
    ]);
    const snapshots = new Map(latest.map((s) => [s.contractId, s]));
    const verdict = (clientId: number | null) =>
      this.deps.shadow
        ? ('shadow' as const)
        : pilotVerdict(pilot, 'renewals', { clientId, projectId: null });
    const byContract = new Map<number, StageTaskRow[]>();
    for (const s of open)
      byContract.set(s.contractId, [...(byContract.get(s.contractId) ?? []), s]);
    for (const [contractId, stages] of byContract) {
      const snapshot = snapshots.get(contractId);
      // As in the daily evaluation: no readiness to show, or missing mandatory data, no action.
      if (snapshot === undefined || snapshot.dataQuality.length > 0) continue;
      await this.deps.uow.transaction((tx) =>
        escalateMissedCheckpoints(
          {
            tx,
            asOf,
            assessment: snapshot.assessment,
            flag: { flagged: snapshot.flagged, cause: snapshot.flagCause },
            labels,
            policy,
            clock,
            verdict,
          },
          stages,
          escalated,
        ),
      );
    }
    return { watched: open.length, escalated };
  }
}
