/**
 * Checkpoint escalation in the daily evaluation: an open stage whose mandatory customer checkpoint
 * is past due and not logged moves to `escalated` (compare-and-set), lands on the contract's
 * timeline, and its posted stage card is updated with the notice (unless the pilot holds posts).
 */
import {
  missedCheckpoints,
  type ReadinessAssessment,
  type RenewalPolicy,
} from '../../domain/renewals';
import { checkpointMissedNotice } from '../../domain/notifications/personal-notices';
import type { Clock } from '../../shared/clock';
import { peopleKey, personalIntent } from '../notifications/personal-intent';
import type { ContractLabel } from './contract-catalog.port';
import type { RenewalStagePayload } from './renewal-payloads';
import type { PilotVerdict } from '../../domain/shared/pilot';
import { ownerAadObjectIds, stageCardKey, stageView } from './renewal-stage-card';
import type { StageTaskRow } from './renewal-stages.port';
import type { RenewalUnitOfWork } from './renewal-store.port';

/** One contract's evaluation in progress: its transaction, the day and its readiness. */
export interface EscalationContext {
  tx: RenewalUnitOfWork;
  asOf: string;
  assessment: ReadinessAssessment;
  flag: { flagged: boolean; cause: string | null };
  labels: Map<number, ContractLabel>;
  policy: RenewalPolicy;
  clock: Clock;
  verdict: (clientId: number | null) => PilotVerdict;
}

/** Escalates the contract's open stages with a missed checkpoint; each one is added to `escalated`. */
export async function escalateMissedCheckpoints(
  ctx: EscalationContext,
  stages: readonly StageTaskRow[],
  escalated: Array<{ contractId: number; stage: string; escalateTo: string }>,
): Promise<void> {
  const { tx, asOf } = ctx;
  for (const stage of stages) {
    if (stage.status !== 'open') continue;
    const missed = missedCheckpoints(
      stage.tasks.filter((t) => t.kind === 'customer-checkpoint'),
      asOf,
      ctx.policy,
    );
    const first = missed[0];
    if (!first) continue;
    const at = ctx.clock.now();
    const moved = await tx.stages.updateStage(
      stage.contractId,
      stage.stage,
      stage.version,
      { status: 'escalated', escalatedAt: at },
      at,
    );
    if (!moved) continue;
    const to = first.escalateTo === 'msp_owner' ? 'the msp owner' : 'the cs lead';
    const notice = `Checkpoint due ${first.dueDate} was not logged: escalated to ${to}`;
    escalated.push({
      contractId: stage.contractId,
      stage: stage.stage,
      escalateTo: first.escalateTo,
    });
    await tx.events.addEvent({
      contractId: stage.contractId,
      at: at.toISOString(),
      kind: 'escalation.opened',
      actor: null,
      summary: notice,
      detail: {
        stage: stage.stage,
        escalateTo: first.escalateTo,
        severity: first.severity,
        daysOverdue: first.daysOverdue,
      },
    });
    if (ctx.verdict(stage.clientId) !== 'post') continue;
    const payload: RenewalStagePayload = {
      stage: stageView(
        { ...stage, status: 'escalated' },
        ctx.labels.get(stage.contractId),
        ctx.assessment,
        ctx.flag,
        asOf,
        notice,
        await ownerAadObjectIds(tx.approvers, ctx.labels.get(stage.contractId)),
      ),
    };
    await tx.outbox.enqueue({
      dedupeKey: `${stageCardKey(stage.contractId, stage.stage)}:escalated`,
      kind: 'renewal-stage',
      payload,
      updateOf: stageCardKey(stage.contractId, stage.stage),
    });
    await tx.outbox.enqueue(
      personalIntent(
        peopleKey(`${stageCardKey(stage.contractId, stage.stage)}:escalated`),
        checkpointMissedNotice({
          contractId: stage.contractId,
          clientName:
            ctx.labels.get(stage.contractId)?.clientName ?? `Contract ${stage.contractId}`,
          accountManagerAgentId: stage.ownerAgentId,
          stage: stage.stage,
        }),
        { kind: 'renewal-stage', payload },
      ),
    );
  }
}
