/**
 * Concession requests as the Approvals view and the contract page list them: by status, and —
 * with `mine` — only those waiting for this person's decision (pending, in a tier their role
 * decides, not requested by them: SPEC §1 segregation of duties).
 */
import { TIER_APPROVER_ROLES } from '../../domain/renewals';
import type { Actor } from '../delivery-views';
import { actorKey } from './concession-outcome';
import type { ConcessionRow } from './concession-requests.port';
import { presentConcession } from './present-concession';
import type { RenewalStore } from './renewal-store.port';
import type { ConcessionView } from './renewal-views';

/** Which requests to list. */
export interface ConcessionFilter {
  status: ConcessionRow['status'] | null;
  /** Only those the actor may decide now. */
  mine: boolean;
  /** The clients whose contracts the actor reads ('all' for every client). */
  visibleClients: 'all' | ReadonlySet<number>;
}

/** Whether `actor` may decide `row` now. */
export function mayDecideConcession(actor: Actor, row: ConcessionRow): boolean {
  return (
    row.status === 'pending' &&
    row.requestedByKey !== actorKey(actor) &&
    actor.roles.some((r) => TIER_APPROVER_ROLES[row.approverTier].includes(r))
  );
}

/** List concession requests, newest first. */
export class ListConcessions {
  constructor(
    private readonly store: Pick<RenewalStore, 'concessions' | 'contracts' | 'approvers'>,
  ) {}

  async run(actor: Actor, filter: ConcessionFilter): Promise<ConcessionView[]> {
    const rows = (await this.store.concessions.concessions(null)).filter(
      (row) =>
        (filter.visibleClients === 'all' ||
          (row.clientId !== null && filter.visibleClients.has(row.clientId))) &&
        (filter.status === null || row.status === filter.status) &&
        (!filter.mine || mayDecideConcession(actor, row)),
    );
    return Promise.all(rows.map((row) => presentConcession(this.store, row)));
  }
}
