import type { Role } from '../../domain/shared/roles';
import type { Actor } from '../delivery-views';
import type { GateProjects } from './gate-projects.port';

/** A signed-in person as the tab API knows them (no HaloPSA agent yet). */
export interface SignedInPerson {
  aadObjectId: string | null;
  name: string;
  email: string | null;
  roles: Role[];
}

/**
 * The gate actor of a tab user: their HaloPSA agent is looked up by e-mail, because segregation of
 * duties matches project managers by agent.
 */
export class ResolveGateActor {
  constructor(private readonly projects: GateProjects) {}

  async run(person: SignedInPerson): Promise<Actor> {
    return {
      aadObjectId: person.aadObjectId,
      name: person.name,
      email: person.email,
      roles: person.roles,
      haloAgentId: person.email === null ? null : await this.projects.agentByEmail(person.email),
    };
  }
}
