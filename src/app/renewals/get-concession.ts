import type { ConcessionApprovers, ConcessionRequests } from './concession-requests.port';
import type { ContractCatalog } from './contract-catalog.port';
import { presentConcession } from './present-concession';
import type { ConcessionView } from './renewal-views';

/** The card / API view of one stored concession, or null when there is none. */
export class GetConcession {
  constructor(
    private readonly store: {
      concessions: ConcessionRequests;
      contracts: ContractCatalog;
      approvers: ConcessionApprovers;
    },
  ) {}

  async run(concessionId: number): Promise<ConcessionView | null> {
    const row = await this.store.concessions.concession(concessionId);
    return row ? presentConcession(this.store, row) : null;
  }
}
