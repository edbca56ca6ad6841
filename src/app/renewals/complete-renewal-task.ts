/**
 * Marks a task of a contract's renewal stage done (owner confirmed, proposal sent, renewal closed).
 * The customer checkpoint is completed by logging it and the stakeholder map by naming all its
 * roles, so those two are refused here. The stage, the timeline and the audit entry are written in
 * one transaction.
 */
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import type { RenewalTask } from '../../domain/renewals';
import { auditActor } from './concession-outcome';
import { refuseStep as refuse, runsRenewals, type WorkflowResult } from './renewal-step';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What completing a task needs. */
export interface CompleteRenewalTaskDeps {
  store: Pick<RenewalStore, 'stages'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
}

/** Complete one renewal task. */
export class CompleteRenewalTask {
  constructor(private readonly deps: CompleteRenewalTaskDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; taskId: string },
  ): Promise<WorkflowResult<RenewalTask>> {
    const { store, clock } = this.deps;
    if (!runsRenewals(actor)) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners complete renewal tasks.',
      );
    }
    const stages = await store.stages.stageTasks({ contractId: input.contractId });
    const stage = stages.find((s) => s.tasks.some((t) => t.id === input.taskId));
    const task = stage?.tasks.find((t) => t.id === input.taskId);
    if (!stage || !task) return refuse('not-found', 'There is no such task on this contract.');
    if (task.kind === 'customer-checkpoint') {
      return refuse('invalid-input', 'Log the checkpoint (meeting, notes and your call) instead.');
    }
    if (task.kind === 'stakeholder-map') {
      return refuse(
        'invalid-input',
        'Name the decision maker, champion and billing contact instead.',
      );
    }
    if (task.completedOn !== null) {
      return refuse('invalid-state', `This task was completed on ${task.completedOn}.`);
    }
    if (stage.status === 'closed') return refuse('invalid-state', 'This stage is closed.');
    const at = clock.now();
    const done: RenewalTask = { ...task, completedOn: at.toISOString().slice(0, 10) };
    const moved = await this.deps.uow.transaction(async (tx) => {
      const updated = await tx.stages.updateStage(
        stage.contractId,
        stage.stage,
        stage.version,
        { status: stage.status, tasks: stage.tasks.map((t) => (t.id === task.id ? done : t)) },
        at,
      );
      if (!updated) return false;
      await tx.events.addEvent({
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'task.completed',
        actor: actor.name,
        summary: `${actor.name} completed "${task.title}" (${stage.stage}-day stage)`,
        detail: { taskId: task.id, stage: stage.stage },
      });
      await tx.audit.append({
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'renewal.task.completed',
        actor: auditActor(actor),
        detail: { taskId: task.id, kind: task.kind, stage: stage.stage },
      });
      return true;
    });
    if (!moved) return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    return { ok: true, value: done };
  }
}
