/**
 * Names the people of a contract's renewal (SPEC §3.2): decision maker, champion and billing
 * contact, on the stage open today. Naming all three completes the stage's stakeholder-map task.
 * Each is one of the client's active HaloPSA contacts (by id) or a name typed in for someone not in
 * HaloPSA. The stage, the timeline and the audit entry are written in one transaction.
 */
import {
  missingStakeholders,
  STAKEHOLDER_ROLES,
  type StakeholderRole,
} from '../../domain/renewals';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { Transactional } from '../ports/transaction.port';
import type { ClientContact, ClientContacts } from './client-contacts.port';
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
  store: Pick<RenewalStore, 'stages' | 'contracts'>;
  /** The client's HaloPSA contacts a stakeholder may be chosen from. */
  contacts: ClientContacts;
  uow: Transactional<RenewalUnitOfWork>;
  clock: Clock;
}

/** Who fills a stakeholder role: one of the client's HaloPSA contacts, or a name typed in. */
export type StakeholderChoice = string | { contactId: number };

/** The stakeholder map after an edit, and the roles still unnamed. */
export interface StakeholderMapResult {
  stage: '90' | '60' | '30';
  stakeholders: Partial<Record<StakeholderRole, string>>;
  missing: StakeholderRole[];
  /** The HaloPSA contacts chosen by this edit, by role. */
  contacts: Partial<Record<StakeholderRole, ClientContact>>;
}

/** Edit the stakeholder map of a contract's current stage. */
export class EditStakeholderMap {
  constructor(private readonly deps: EditStakeholderMapDeps) {}

  async run(
    actor: Actor,
    input: {
      contractId: number;
      stakeholders: Partial<Record<StakeholderRole, StakeholderChoice>>;
    },
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
    const chosen = await this.chosenContacts(input.contractId, input.stakeholders);
    if (!chosen.ok) return chosen;
    const contacts = chosen.value;
    const map: Partial<Record<StakeholderRole, string>> = {};
    for (const role of STAKEHOLDER_ROLES) {
      const choice = input.stakeholders[role];
      const typed = typeof choice === 'string' ? choice : contacts[role]?.name;
      const named = (typed ?? stage.stakeholders[role] ?? '').trim();
      if (named !== '') map[role] = named;
    }
    const contactIds = Object.fromEntries(
      Object.entries(contacts).map(([role, c]) => [role, c.contactId]),
    );
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
        detail: { stage: stage.stage, stakeholders: map, missing, contactIds },
      });
      await tx.audit.append({
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'renewal.stakeholders.updated',
        actor: auditActor(actor),
        detail: { stage: stage.stage, before: stage.stakeholders, after: map, contactIds },
      });
      return true;
    });
    if (!moved) return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    return { ok: true, value: { stage: stage.stage, stakeholders: map, missing, contacts } };
  }

  /** The contacts the edit names by id, each checked to be an active contact of the contract's client. */
  private async chosenContacts(
    contractId: number,
    stakeholders: Partial<Record<StakeholderRole, StakeholderChoice>>,
  ): Promise<WorkflowResult<Partial<Record<StakeholderRole, ClientContact>>>> {
    const byId = STAKEHOLDER_ROLES.flatMap((role) => {
      const choice = stakeholders[role];
      return typeof choice === 'object' ? [[role, choice.contactId] as const] : [];
    });
    if (byId.length === 0) return { ok: true, value: {} };
    const label = (await this.deps.store.contracts.contractLabels([contractId])).get(contractId);
    const offered =
      label?.clientId == null ? [] : await this.deps.contacts.activeContacts(label.clientId);
    const chosen: Partial<Record<StakeholderRole, ClientContact>> = {};
    for (const [role, contactId] of byId) {
      const contact = offered.find((c) => c.contactId === contactId);
      if (!contact) {
        return refuse(
          'invalid-input',
          `Contact ${contactId} is not an active HaloPSA contact of ${label?.clientName || 'this client'}; choose one of the client's contacts or type a name.`,
        );
      }
      chosen[role] = contact;
    }
    return { ok: true, value: chosen };
  }
}
