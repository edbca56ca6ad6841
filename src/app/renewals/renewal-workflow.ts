/**
 * The human steps of the renewal workflow: logging a customer checkpoint (meeting, notes and the
 * owner's call — a call that disagrees with the score goes to the cs lead; `monitor` is refused
 * inside 30 days) and recording the customer's answer on an uplift opportunity. Each step is
 * audited and lands on the contract's renewal timeline in the same transaction.
 */
import type { AuditLog } from '../../audit/audit-log';
import {
  decideUplift,
  evaluateCheckpoint,
  logCheckpoint,
  renewalStage,
  type OwnerCall,
  type ReadinessBand,
  type UpliftOpportunity,
} from '../../domain/renewals';
import { isIsoDate } from '../../domain/shared/dates';
import { enqueue } from '../../notifications/outbox';
import type { Db } from '../../store/db';
import { RenewalRepository, type CheckpointRow } from '../../store/renewal.repository';
import type { Actor } from '../delivery-views';

/** Roles that run renewals. */
export const RENEWAL_ROLES = ['account_manager', 'cs_lead', 'msp_owner'] as const;

/** A refusal or a done step. */
export type WorkflowResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      reason: 'not-authorised' | 'not-found' | 'invalid-input' | 'invalid-state';
      message: string;
    };

/** Dependencies of the workflow. */
export interface RenewalWorkflowDeps {
  db: Db;
  tenantId: string;
  now: () => Date;
  audit: AuditLog;
  onOutboxChanged?: () => void;
}

const OWNER_CALLS: readonly OwnerCall[] = ['renew', 'at-risk', 'churn', 'monitor'];

/** Checkpoints and uplift answers. */
export class RenewalWorkflow {
  private readonly repo: RenewalRepository;

  constructor(private readonly deps: RenewalWorkflowDeps) {
    this.repo = new RenewalRepository(deps.tenantId);
  }

  /** Logs the customer checkpoint of the contract's current stage. */
  async logCheckpoint(
    actor: Actor,
    input: { contractId: number; meetingOn: string; notes: string; ownerCall: string },
  ): Promise<WorkflowResult<CheckpointRow>> {
    const { db, now } = this.deps;
    if (!actor.roles.some((r) => (RENEWAL_ROLES as readonly string[]).includes(r))) {
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
    const today = now().toISOString().slice(0, 10);
    const stages = await this.repo.stageTasks(db, { contractId: input.contractId });
    if (stages.length === 0) {
      return refuse('invalid-state', 'This contract has no renewal stage open yet.');
    }
    const stage = renewalStage(stages[0]!.endDate, today);
    const current = stages.find((s) => s.stage === stage) ?? stages[stages.length - 1]!;
    const snapshot = (await this.repo.latestSnapshots(db)).find(
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
    const result = await db.transaction(async (tx) => {
      const at = now();
      const moved = await this.repo.updateStage(
        tx,
        current.contractId,
        current.stage,
        current.version,
        {
          status: current.status === 'escalated' ? 'escalated' : 'checkpoint-logged',
          tasks: current.tasks.map((t) => (t.id === task.id ? logged.task : t)),
        },
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
      const id = await this.repo.addCheckpoint(tx, row);
      await this.repo.addEvent(tx, {
        contractId: input.contractId,
        at: at.toISOString(),
        kind: 'checkpoint.logged',
        actor: actor.name,
        summary: `${current.stage}-day checkpoint on ${input.meetingOn}: ${actor.name} calls "${call}"`,
        detail: { checkpointId: id, band, score: snapshot?.score ?? null },
      });
      await this.deps.audit.append(tx, {
        subjectType: 'contract',
        subjectId: String(input.contractId),
        action: 'renewal.checkpoint.logged',
        actor: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
        detail: { stage: current.stage, ownerCall: call, band, agrees: judged.agrees },
      });
      if (!judged.agrees) {
        await this.repo.addEvent(tx, {
          contractId: input.contractId,
          at: at.toISOString(),
          kind: 'checkpoint.disagreement',
          actor: actor.name,
          summary: judged.reason,
          detail: { checkpointId: id, direction: judged.direction },
        });
        await enqueue(
          tx,
          this.deps.tenantId,
          {
            dedupeKey: `renewal-checkpoint:${id}:disagreement`,
            kind: 'text',
            payload: {
              text: `Cs lead review: on contract ${input.contractId} ${actor.name} called "${call}" but the readiness score is ${snapshot?.score ?? '—'} (${band}). ${judged.reason}.`,
            },
            target: { streams: ['renewals'], clientId: current.clientId },
          },
          at,
        );
      }
      return { ...row, id };
    });
    if (result === null) {
      return refuse('invalid-state', 'The stage changed meanwhile; please try again.');
    }
    this.deps.onOutboxChanged?.();
    return { ok: true, value: result };
  }

  /** Records the customer's answer on a proposed uplift opportunity (once). */
  async setUpliftStatus(
    actor: Actor,
    input: { opportunityId: string; status: string },
  ): Promise<WorkflowResult<UpliftOpportunity>> {
    const { db, now } = this.deps;
    if (!actor.roles.some((r) => (RENEWAL_ROLES as readonly string[]).includes(r))) {
      return refuse(
        'not-authorised',
        'Only account managers, cs leads and msp owners answer uplift.',
      );
    }
    if (input.status !== 'accepted' && input.status !== 'declined') {
      return refuse('invalid-input', 'The status must be accepted or declined.');
    }
    const contractId = Number(input.opportunityId.split(':')[0]);
    const opp = Number.isInteger(contractId)
      ? (await this.repo.uplift(db, contractId)).find((o) => o.id === input.opportunityId)
      : undefined;
    if (!opp) return refuse('not-found', 'There is no such uplift opportunity.');
    const at = now();
    const decided = decideUplift(opp, {
      status: input.status,
      by: actor.name,
      on: at.toISOString().slice(0, 10),
    });
    if (!decided.ok) return refuse('invalid-state', `Already ${opp.status}.`);
    const done = await db.transaction(async (tx) => {
      const moved = await this.repo.decideUplift(
        tx,
        opp.id,
        input.status as 'accepted' | 'declined',
        actor.name,
        at.toISOString().slice(0, 10),
        at,
      );
      if (!moved) return false;
      await this.repo.addEvent(tx, {
        contractId,
        at: at.toISOString(),
        kind: 'uplift.decided',
        actor: actor.name,
        summary: `Uplift ${opp.kind} (${opp.subject}) ${input.status} by ${actor.name}`,
        detail: { opportunityId: opp.id, status: input.status },
      });
      await this.deps.audit.append(tx, {
        subjectType: 'contract',
        subjectId: String(contractId),
        action: `uplift.${input.status}`,
        actor: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
        detail: { opportunityId: opp.id, estimatedMonthlyUplift: opp.estimatedMonthlyUplift },
      });
      return true;
    });
    if (!done) return refuse('invalid-state', 'Someone answered it first.');
    return { ok: true, value: decided.opportunity };
  }
}

function refuse<T>(
  reason: 'not-authorised' | 'not-found' | 'invalid-input' | 'invalid-state',
  message: string,
): WorkflowResult<T> {
  return { ok: false, reason, message };
}
