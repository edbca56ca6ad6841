/** What the human steps of the renewal workflow (checkpoints, uplift answers) come to. */
import { renewalStage } from '../../domain/renewals';
import type { StageTaskRow } from './renewal-stages.port';

/** Roles that run renewals. */
export const RENEWAL_ROLES = ['account_manager', 'cs_lead', 'msp_owner'] as const;

/** Why a step was refused. */
export type WorkflowRefusal = 'not-authorised' | 'not-found' | 'invalid-input' | 'invalid-state';

/** A refusal or a done step. */
export type WorkflowResult<T> =
  { ok: true; value: T } | { ok: false; reason: WorkflowRefusal; message: string };

export function refuseStep<T>(reason: WorkflowRefusal, message: string): WorkflowResult<T> {
  return { ok: false, reason, message };
}

/** Whether the actor holds one of the renewal roles. */
export function runsRenewals(actor: { roles: readonly string[] }): boolean {
  return actor.roles.some((r) => (RENEWAL_ROLES as readonly string[]).includes(r));
}

/** Roles that reassign a renewal's owner (SPEC §1: the cs lead, and the msp owner above them). */
export const OWNER_ASSIGNER_ROLES = ['cs_lead', 'msp_owner'] as const;

/** Whether the actor may reassign a renewal's owner. */
export function assignsOwners(actor: { roles: readonly string[] }): boolean {
  return actor.roles.some((r) => (OWNER_ASSIGNER_ROLES as readonly string[]).includes(r));
}

/**
 * The stage a contract is in today among its opened ones (the latest opened when today's is not
 * open yet); null when none is open.
 */
export function currentStage(stages: readonly StageTaskRow[], today: string): StageTaskRow | null {
  if (stages.length === 0) return null;
  const stage = renewalStage(stages[0]!.endDate, today);
  return stages.find((s) => s.stage === stage) ?? stages[stages.length - 1]!;
}
