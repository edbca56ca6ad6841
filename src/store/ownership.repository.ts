import type { Rag } from '../app/delivery-views';
import type {
  ContractOwners,
  OwnedProject,
  Ownership,
  ProjectOwners,
} from '../app/identity/ownership.port';
import type { Db } from './db';

const RAGS: readonly Rag[] = ['red', 'amber', 'green', 'unknown'];
const num = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

/**
 * A project's owner columns, for a query joining `p` (halo_projects), `a` (its PM's halo_agents
 * row) and `c` (its client's halo_clients row); {@link projectOwnersOf} reads them.
 */
export const PROJECT_OWNER_COLUMNS =
  'p.client_id, p.agent_id, a.email AS agent_email, c.account_manager_id AS am_id';

/** The row {@link PROJECT_OWNER_COLUMNS} selects. */
export type ProjectOwnerRow = {
  client_id: number | string | null;
  agent_id: number | string | null;
  agent_email: string | null;
  am_id: number | string | null;
};

/** The owners of a project from its {@link PROJECT_OWNER_COLUMNS}. */
export function projectOwnersOf(row: ProjectOwnerRow): ProjectOwners {
  return {
    clientId: num(row.client_id),
    pmAgentId: num(row.agent_id),
    pmEmail: row.agent_email,
    accountManagerAgentId: num(row.am_id),
  };
}

/** Project and contract owners from the HaloPSA mirror: the PM agent, the client's account manager. */
export class SqlOwnership implements Ownership {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async project(projectId: number): Promise<ProjectOwners | null> {
    if (!Number.isSafeInteger(projectId)) return null;
    const [row] = await this.db.query<ProjectOwnerRow>(
      `SELECT ${PROJECT_OWNER_COLUMNS}
         FROM halo_projects p
         LEFT JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
         LEFT JOIN halo_clients c ON c.tenant_id = p.tenant_id AND c.id = p.client_id
        WHERE p.tenant_id = $1 AND p.id = $2`,
      [this.tenantId, projectId],
    );
    return row === undefined ? null : projectOwnersOf(row);
  }

  async contract(contractId: number): Promise<ContractOwners | null> {
    if (!Number.isSafeInteger(contractId)) return null;
    const [row] = await this.db.query<{
      client_id: number | string | null;
      am_id: number | string | null;
    }>(
      `SELECT k.client_id, c.account_manager_id AS am_id
         FROM halo_contracts k
         LEFT JOIN halo_clients c ON c.tenant_id = k.tenant_id AND c.id = k.client_id
        WHERE k.tenant_id = $1 AND k.id = $2`,
      [this.tenantId, contractId],
    );
    if (row === undefined) return null;
    return { clientId: num(row.client_id), accountManagerAgentId: num(row.am_id) };
  }

  async ownedProjects(owners: {
    pmAgentId: number | null;
    accountManagerAgentId: number | null;
  }): Promise<OwnedProject[]> {
    if (owners.pmAgentId === null && owners.accountManagerAgentId === null) return [];
    const rows = await this.db.query<{
      id: number | string;
      client_id: number | string | null;
      rag: string | null;
    }>(
      `SELECT p.id, p.client_id, h.rag
         FROM halo_projects p
         LEFT JOIN project_health_latest h ON h.tenant_id = p.tenant_id AND h.project_id = p.id
        WHERE p.tenant_id = $1 AND p.date_closed IS NULL
          AND (p.agent_id = $2 OR EXISTS (
                SELECT 1 FROM halo_clients c WHERE c.tenant_id = p.tenant_id AND c.id = p.client_id
                   AND c.account_manager_id = $3))
        ORDER BY p.id`,
      [this.tenantId, owners.pmAgentId, owners.accountManagerAgentId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      clientId: num(r.client_id),
      rag: RAGS.includes(r.rag as Rag) ? (r.rag as Rag) : 'unknown',
    }));
  }

  async clientsOf(accountManagerAgentId: number): Promise<number[]> {
    const rows = await this.db.query<{ id: number | string }>(
      `SELECT id FROM halo_clients WHERE tenant_id = $1 AND account_manager_id = $2 ORDER BY id`,
      [this.tenantId, accountManagerAgentId],
    );
    return rows.map((r) => Number(r.id));
  }
}
