import type { Signal } from '../../shared/signal';
import type { EvaluateDelivery } from './evaluate-delivery';
import type { TaskProjects } from './task-projects.port';

/** What a HaloPSA webhook says changed. */
export type ChangedTicketKind = 'project' | 'task' | 'ticket';

/**
 * Re-evaluates the one project a HaloPSA change touched (a project, or the project of a task), so an
 * escalation moves within seconds of the webhook instead of at the next daily run. Plain tickets are
 * not delivery work and change nothing.
 */
export class EvaluateAfterChange {
  constructor(
    private readonly deps: {
      tenantId: string;
      tasks: TaskProjects;
      evaluation: Pick<EvaluateDelivery, 'run'>;
      /** Notified after the evaluation: its decisions may have queued notifications. */
      outbox: Signal;
    },
  ) {}

  async run(ticketId: number, kind: ChangedTicketKind): Promise<void> {
    if (kind === 'ticket') return;
    const projectId =
      kind === 'project'
        ? ticketId
        : await this.deps.tasks.projectOfTask(this.deps.tenantId, ticketId);
    if (projectId) await this.deps.evaluation.run({ projectIds: [projectId] });
    this.deps.outbox.notify();
  }
}
