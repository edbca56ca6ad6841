import type { Actor, Role } from '../app/delivery-views';
import type { RoleDirectory, RoleGrant, TeamsUser } from '../app/identity/identity.port';
import type { Db } from './db';

/**
 * Maps Teams users to roles (by Entra object id, `role_assignments`) and to HaloPSA agents (by the
 * e-mail on their role rows, `halo_agents.email`).
 */
export class SqlRoleDirectory implements RoleDirectory {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async resolve(user: TeamsUser): Promise<Actor> {
    if (user.aadObjectId === null) {
      return { aadObjectId: null, name: user.name, email: null, roles: [], haloAgentId: null };
    }
    const rows = await this.db.query<{
      role: string;
      email: string | null;
      agent_id: number | null;
    }>(
      `SELECT r.role, r.email,
              (SELECT a.id FROM halo_agents a
                WHERE a.tenant_id = r.tenant_id AND r.email IS NOT NULL
                  AND lower(a.email) = lower(r.email) AND NOT a.inactive
                ORDER BY a.id LIMIT 1) AS agent_id
         FROM role_assignments r
        WHERE r.tenant_id = $1 AND r.aad_object_id = $2
        ORDER BY r.role`,
      [this.tenantId, user.aadObjectId],
    );
    const email = rows.find((row) => row.email !== null)?.email ?? null;
    const agent = rows.find((row) => row.agent_id !== null)?.agent_id ?? null;
    return {
      aadObjectId: user.aadObjectId,
      name: user.name,
      email,
      roles: [...new Set(rows.map((row) => row.role as Role))],
      haloAgentId: agent === null ? null : Number(agent),
    };
  }

  async grant(grants: readonly RoleGrant[]): Promise<void> {
    for (const grant of grants) {
      await this.db.query(
        `INSERT INTO role_assignments (tenant_id, aad_object_id, email, role)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [this.tenantId, grant.aadObjectId, grant.email, grant.role],
      );
    }
  }
}
