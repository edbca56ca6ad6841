/** Name lookups shared by the columnar stores when they materialise rows. */

/** The plain state of a NameBook. */
export interface NameData {
  clients: Map<number, string>;
  agents: Map<number, string>;
  milestones: Map<number, string>;
}

export function nameData(): NameData {
  return { clients: new Map(), agents: new Map(), milestones: new Map() };
}

/** Client, agent and milestone names by id. */
export class NameBook {
  constructor(readonly data: NameData = nameData()) {}

  setClient(id: number, name: string): void {
    this.data.clients.set(id, name);
  }

  setAgent(id: number, name: string): void {
    this.data.agents.set(id, name);
  }

  setMilestone(id: number, name: string): void {
    this.data.milestones.set(id, name);
  }

  /** A client's name ('' if unknown). */
  client(id: number): string {
    return this.data.clients.get(id) ?? '';
  }

  /** An agent's name ('' if unknown or 0). */
  agent(id: number): string {
    return this.data.agents.get(id) ?? '';
  }

  /** A milestone's name ('' if unknown). */
  milestone(id: number): string {
    return this.data.milestones.get(id) ?? '';
  }
}

/** The site id of a client: every generated client has one main site with id = 100000 + client id. */
export function siteIdOf(clientId: number): number {
  return 100000 + clientId;
}
