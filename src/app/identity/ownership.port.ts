/** Who owns projects and contracts, read from the HaloPSA mirror (src/store/ownership.repository.ts). */
import type { Rag } from '../../domain/delivery/health-score';

/** The owners of a project, as the HaloPSA mirror records them. */
export interface ProjectOwners {
  clientId: number | null;
  pmAgentId: number | null;
  pmEmail: string | null;
  accountManagerAgentId: number | null;
}

/** The owners of a contract. */
export interface ContractOwners {
  clientId: number | null;
  accountManagerAgentId: number | null;
}

/** An open project of an owned scope, with its latest RAG. */
export interface OwnedProject {
  id: number;
  clientId: number | null;
  rag: Rag;
}

export interface Ownership {
  /** The owners of a project; null when there is no such project. */
  project(projectId: number): Promise<ProjectOwners | null>;
  /** The owners of a contract; null when there is no such contract. */
  contract(contractId: number): Promise<ContractOwners | null>;
  /** Open projects managed by this PM agent or belonging to this account manager's clients. */
  ownedProjects(owners: {
    pmAgentId: number | null;
    accountManagerAgentId: number | null;
  }): Promise<OwnedProject[]>;
  /** Clients whose account manager is this agent. */
  clientsOf(accountManagerAgentId: number): Promise<number[]>;
}
