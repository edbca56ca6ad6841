import type { RenewalAgent, RenewalAgents } from '../app/renewals/renewal-agents.port';
import type { Db } from './db';

/** Active agents from the HaloPSA mirror (`halo_agents`). */
export class RenewalAgentsRepository implements RenewalAgents {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async activeAgents(): Promise<RenewalAgent[]> {
    const rows = await this.db.query(
      `SELECT id, name, email FROM halo_agents
        WHERE tenant_id = $1 AND NOT inactive AND coalesce(name, '') <> ''
        ORDER BY name, id`,
      [this.tenantId],
    );
    return rows.map((r) => ({
      agentId: Number(r.id),
      name: String(r.name),
      email: (r.email as string | null) ?? null,
    }));
  }
}
