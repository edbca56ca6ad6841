/** What the human steps of the renewal workflow (checkpoints, uplift answers) come to. */

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
