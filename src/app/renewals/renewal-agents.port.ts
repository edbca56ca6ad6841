/** A HaloPSA agent who can own a renewal. */
export interface RenewalAgent {
  agentId: number;
  name: string;
  email: string | null;
}

/** The tenant's active HaloPSA agents (mirrored), who a renewal can be assigned to. */
export interface RenewalAgents {
  /** Active agents, by name. */
  activeAgents(): Promise<RenewalAgent[]>;
}
