/**
 * What the caller may do on a contract's page, judged by the same rules the use cases apply, so the
 * tab shows only the buttons the server would accept (the server still refuses everything else).
 */
import type { Actor } from '../delivery-views';
import type { ConcessionRow } from './concession-requests.port';
import { CONCESSION_REQUESTER_ROLES } from './concession-outcome';
import { mayDecideConcession } from './list-concessions';
import { assignsOwners, runsRenewals } from './renewal-step';

/** The actions open to one person on one contract. */
export interface ContractActions {
  logCheckpoint: boolean;
  editStakeholders: boolean;
  completeTasks: boolean;
  requestConcession: boolean;
  answerUplift: boolean;
  reassignOwner: boolean;
  /** The concession requests on this contract the person may approve or reject now. */
  decideConcessionIds: number[];
}

/** The actions `actor` (who may read the contract) may take on it. */
export function contractActions(
  actor: Actor,
  concessions: readonly ConcessionRow[],
): ContractActions {
  const renews = runsRenewals(actor);
  return {
    logCheckpoint: renews,
    editStakeholders: renews,
    completeTasks: renews,
    requestConcession: actor.roles.some((r) =>
      (CONCESSION_REQUESTER_ROLES as readonly string[]).includes(r),
    ),
    answerUplift: renews,
    reassignOwner: assignsOwners(actor),
    decideConcessionIds: concessions.filter((c) => mayDecideConcession(actor, c)).map((c) => c.id),
  };
}
