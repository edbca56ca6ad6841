/**
 * Names the people of a contract's renewal (SPEC §3.2): decision maker, champion and billing
 * contact, on the stage open today. Naming all three completes the stage's stakeholder-map task.
 * The stage, the timeline and the audit entry are written in one transaction.
 */
import {
  missingStakeholders,
  STAKEHOLDER_ROLES,
  type StakeholderRole,
} from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import { auditActor } from './concession-outcome';
import {
  currentStage,
  refuseStep as refuse,
  runsRenewals,
  type WorkflowResult,
} from './renewal-step';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** What editing the stakeholder map needs. */
export interface EditStakeholderMapDeps {
  store: Pick<RenewalStore, 'stages'>;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
}

/** The stakeholder map after an edit, and the roles still unnamed. */
export interface StakeholderMapResult {
  stage: '90' | '60' | '30';
  stakeholders: Partial<Record<StakeholderRole, string>>;
  missing: StakeholderRole[];
}

/** Edit the stakeholder map of a contract's current stage. */
export class EditStakeholderMap {
  constructor(private readonly deps: EditStakeholderMapDeps) {}

  async run(
    actor: Actor,
    input: { contractId: number; stakeholders: Partial<Record<StakeholderRole, string>> },
  ): Promise<WorkflowResult<StakeholderMapResult>> {
    const { store, clock } = this.deps;
    if (!runsRenewals(actor)) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners edit the stakeholder map.',
      );
    }
    const at = clock.now();
    const today = at.toISOString().slice(0, 10);
    const stage = currentStage(
      await store.stages.stageTasks({ contractId: input.contractId }),
      today,
    );
    if (!stage) return refuse('invalid-state', 'This contract has no renewal stage open yet.');
    if (stage.status === 'closed') return refuse('invalid-state', 'This stage is closed.');
    const map: Partial<Record<StakeholderRole, string>> = {};
    for (const role of STAKEHOLDER_ROLES) {
      const named = (input.stakeholders[role] ?? stage.stakeholders[role] ?? '').trim();
      if (named !== '') map[role] = named;
    }
    const missing = missingStakeholders(
      Object.entries(map).map(([role, name]) => ({ role: role as StakeholderRole, name })),
    );
    const tasks = stage.tasks.map((t) =>
      t.kind === 'stakeholder-map' && t.completedOn === null && missing.length === 0
        ? { ...t, completedOn: today }
        : t,
    );
    const moved = await this.deps.uow.transaction(async (tx) => {
      const updated = await tx.stages.updateStage(
        stage.contractId,
        stage.stage,
        stage.version,
        { status: stage.status, tasks, stakeholders: map },
        at,
      );
      if (!updated) return false;
      const names = STAKEHOLDER_ROLES.map((r) => `${r.replace('-', ' ')}: ${map[r] ?? '—'}`);
      await tx.events.addEvent({
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'stakeholders.updated',
        actor: actor.name,
        summary: `${actor.name} updated the stakeholder map (${names.join(', ')})`,
        detail: { stage: stage.stage, stakeholders: map, missing },
      });
      await tx.audit.append({
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'renewal.stakeholders.updated',
        actor: auditActor(actor),
        detail: { stage: stage.stage, before: stage.stakeholders, after: map },
      });
      return true;
    });
    if (!moved) return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    return { ok: true, value: { stage: stage.stage, stakeholders: map, missing } };
  }
}
