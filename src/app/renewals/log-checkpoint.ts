/**
 * Logs the customer checkpoint of a contract's current stage: the meeting, its notes and the
 * owner's call. A call that disagrees with the readiness score goes to the cs lead; `monitor` is
 * refused inside 30 days. The stage, the checkpoint, the timeline, the audit entry and the cs lead's
 * notice, and the update of the posted stage card, are written in one transaction.
 */
import {
  evaluateCheckpoint,
  logCheckpoint,
  renewalStage,
  type OwnerCall,
  type ReadinessBand,
} from '../../domain/renewals';
import { isIsoDate } from '../../domain/shared/dates';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import type { CheckpointRow } from './renewal-checkpoints.port';
import type { RenewalStagePayload } from './renewal-payloads';
import { ownerAadObjectIds, stageCardKey, stageView } from './renewal-stage-card';
import { refuseStep as refuse, runsRenewals, type WorkflowResult } from './renewal-step';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

const OWNER_CALLS: readonly OwnerCall[] = ['renew', 'at-risk', 'churn', 'monitor'];

/** What logging a checkpoint needs. */
export interface LogCheckpointDeps {
  store: Pick<RenewalStore, 'stages' | 'snapshots'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
  /** Notified after a disagreement notice was queued in the outbox. */
  outboxChanged: Signal;
}

/** Log a customer checkpoint. */
export class LogCheckpoint {
  constructor(private readonly deps: LogCheckpointDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; meetingOn: string; notes: string; ownerCall: string },
  ): Promise<WorkflowResult<CheckpointRow>> {
    const { store, clock } = this.deps;
    if (!runsRenewals(actor)) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners log checkpoints.',
      );
    }
    const call = OWNER_CALLS.find((c) => c === input.ownerCall);
    if (call === undefined) {
      return refuse('invalid-input', `The call must be one of ${OWNER_CALLS.join(', ')}.`);
    }
    if (!isIsoDate(input.meetingOn)) {
      return refuse('invalid-input', 'The meeting date must be YYYY-MM-DD.');
    }
    const today = clock.now().toISOString().slice(0, 10);
    const stages = await store.stages.stageTasks({ contractId: input.contractId });
    if (stages.length === 0) {
      return refuse('invalid-state', 'This contract has no renewal stage open yet.');
    }
    const stage = renewalStage(stages[0]!.endDate, today);
    const current = stages.find((s) => s.stage === stage) ?? stages[stages.length - 1]!;
    const snapshot = (await store.snapshots.latestSnapshots()).find(
      (s) => s.contractId === input.contractId,
    );
    const band = (snapshot?.band ?? 'unknown') as ReadinessBand;
    const judged = evaluateCheckpoint({ ownerCall: call, band, stage: current.stage });
    if (!judged.ok) {
      return refuse(
        'invalid-input',
        judged.problem === 'monitor-not-allowed-inside-30-days'
          ? '"monitor" is not allowed inside 30 days: call renew, at risk or churn.'
          : 'No renewal stage is open.',
      );
    }
    const task = current.tasks.find((t) => t.kind === 'customer-checkpoint');
    if (!task) return refuse('invalid-state', 'This stage has no checkpoint.');
    const logged = logCheckpoint(task, {
      heldOn: input.meetingOn,
      notes: input.notes,
      ownerCall: call,
      loggedBy: actor.name,
    });
    if (!logged.ok) {
      return refuse(
        'invalid-input',
        logged.problem === 'notes-required' ? 'Meeting notes are required.' : logged.problem,
      );
    }
    const result = await this.deps.uow.transaction(async (tx) => {
      const at = clock.now();
      const after = {
        ...current,
        status:
          current.status === 'escalated' ? ('escalated' as const) : ('checkpoint-logged' as const),
        tasks: current.tasks.map((t) => (t.id === task.id ? logged.task : t)),
      };
      const moved = await tx.stages.updateStage(
        current.contractId,
        current.stage,
        current.version,
        { status: after.status, tasks: after.tasks },
        at,
      );
      if (!moved) return null;
      const row: Omit<CheckpointRow, 'id'> = {
        contractId: input.contractId,
        stage: current.stage,
        meetingOn: input.meetingOn,
        notes: input.notes.trim(),
        ownerCall: call,
        score: snapshot?.score ?? null,
        band,
        disagrees: !judged.agrees,
        routedTo: judged.routeTo,
        loggedBy: { name: actor.name, email: actor.email, aadObjectId: actor.aadObjectId },
        loggedAt: at.toISOString(),
      };
      const id = await tx.checkpoints.addCheckpoint(row);
      await tx.events.addEvent({
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'checkpoint.logged',
        actor: actor.name,
        summary: `${current.stage}-day checkpoint on ${input.meetingOn}: ${actor.name} calls "${call}"`,
        detail: { checkpointId: id, band, score: snapshot?.score ?? null },
      });
      await tx.audit.append({
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'renewal.checkpoint.logged',
        actor: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
        detail: { stage: current.stage, ownerCall: call, band, agrees: judged.agrees },
      });
      if (!judged.agrees) {
        await tx.events.addEvent({
          contractId: input.contractId,
          at: at.toISOString(),
          kind: 'checkpoint.disagreement',
          actor: actor.name,
          summary: judged.reason,
          detail: { checkpointId: id, direction: judged.direction },
        });
        await tx.outbox.enqueue({
          dedupeKey: `renewal-checkpoint:${id}:disagreement`,
          kind: 'text',
          payload: {
            text: `Cs lead review: on contract ${input.contractId} ${actor.name} called "${call}" but the readiness score is ${snapshot?.score ?? '—'} (${band}). ${judged.reason}.`,
          },
          target: { streams: ['renewals'], clientId: current.clientId },
        });
      }
      if (snapshot) {
        // The posted stage card shows the logged checkpoint to everyone (an update of the post).
        const label = (await tx.contracts.contractLabels([input.contractId])).get(input.contractId);
        const payload: RenewalStagePayload = {
          stage: stageView(
            after,
            label,
            snapshot.assessment,
            { flagged: snapshot.flagged, cause: snapshot.flagCause },
            today,
            `Checkpoint logged by ${actor.name}: "${call}"${judged.agrees ? '' : ' — disagrees with the score, sent to the cs lead'}`,
            await ownerAadObjectIds(tx.approvers, label),
          ),
        };
        await tx.outbox.enqueue({
          dedupeKey: `${stageCardKey(input.contractId, current.stage)}:checkpoint:${id}`,
          kind: 'renewal-stage',
          payload,
          updateOf: stageCardKey(input.contractId, current.stage),
          decision: true,
        });
      }
      return { ...row, id };
    });
    if (result === null) {
      return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    }
    this.deps.outboxChanged.notify();
    return { ok: true, value: result };
  }
}
