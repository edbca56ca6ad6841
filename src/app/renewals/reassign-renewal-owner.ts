/**
 * The cs lead (or msp owner) hands a contract's renewal to another HaloPSA agent: every stage not
 * yet closed and its tasks get the new owner, and the open "confirm the owner" task is done. The
 * stages, the timeline and the audit entry are written in one transaction.
 */
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import { auditActor } from './concession-outcome';
import type { RenewalAgent, RenewalAgents } from './renewal-agents.port';
import { assignsOwners, refuseStep as refuse, type WorkflowResult } from './renewal-step';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What reassigning an owner needs. */
export interface ReassignRenewalOwnerDeps {
  store: Pick<RenewalStore, 'stages'>;
  agents: RenewalAgents;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
}

/** Reassign the owner of a contract's renewal. */
export class ReassignRenewalOwner {
  constructor(private readonly deps: ReassignRenewalOwnerDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; agentId: number },
  ): Promise<WorkflowResult<RenewalAgent>> {
    const { store, clock } = this.deps;
    if (!assignsOwners(actor)) {
      return refuse('not-authorised', 'Only cs leads and msp owners reassign a renewal owner.');
    }
    const agent = (await this.deps.agents.activeAgents()).find((a) => a.agentId === input.agentId);
    if (!agent)
      return refuse('invalid-input', `There is no active HaloPSA agent ${input.agentId}.`);
    const stages = (await store.stages.stageTasks({ contractId: input.contractId })).filter(
      (s) => s.status !== 'closed',
    );
    if (stages.length === 0) {
      return refuse('invalid-state', 'This contract has no open renewal stage to reassign.');
    }
    const previous = stages[stages.length - 1]!.ownerAgentId;
    if (stages.every((s) => s.ownerAgentId === agent.agentId)) {
      return refuse('invalid-state', `${agent.name} already owns this renewal.`);
    }
    const at = clock.now();
    const today = at.toISOString().slice(0, 10);
    const moved = await this.deps.uow
      .transaction(async (tx) => {
        for (const s of stages) {
          const tasks = s.tasks.map((t) => ({
            ...t,
            ownerAgentId: String(agent.agentId),
            fallbackRole: null,
            completedOn:
              t.kind === 'owner-assignment' && t.completedOn === null ? today : t.completedOn,
          }));
          const updated = await tx.stages.updateStage(
            s.contractId,
            s.stage,
            s.version,
            { status: s.status, tasks, ownerAgentId: agent.agentId },
            at,
          );
          // Throwing rolls every stage back: the owner changes on all stages or on none.
          if (!updated) throw new StageMoved();
        }
        await tx.events.addEvent({
          contractId: input.contractId,
          at: at.toISOString(),
          kind: 'owner.reassigned',
          actor: actor.name,
          summary: `${actor.name} made ${agent.name} the renewal owner`,
          detail: { fromAgentId: previous, toAgentId: agent.agentId },
        });
        await tx.audit.append({
          subjectType: 'contract',
          subjectId: String(input.contractId),
          action: 'renewal.owner.reassigned',
          actor: auditActor(actor),
          detail: { fromAgentId: previous, toAgentId: agent.agentId, toName: agent.name },
        });
      })
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof StageMoved) return false;
          throw error;
        },
      );
    if (!moved) return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    return { ok: true, value: agent };
  }
}

/** A stage moved on between the read and the write. */
class StageMoved extends Error {
  constructor() {
    super('renewal stage moved on');
    this.name = 'StageMoved';
  }
}
