import { signInEmail, type DemoCast, type DemoPersona } from '../app/delivery/demo-cast.port';
import type { RoleGrant } from '../app/identity/identity.port';
import type { Db } from '../store/db';

export type { DemoPersona };

/**
 * The demo cast. The Agents Playground's current user is Alex Wilber (…020); its other users are
 * …021 to …025. Each plays an MSP role against the demo HaloPSA's agents, so a newcomer can try
 * every flow: Alex can subscribe channels and act as delivery director and MSP owner (so the
 * Playground's default user sees both loops, SPEC §1's reads); Megan is a project manager.
 */
export async function demoPersonas(db: Db, tenantId: string): Promise<DemoPersona[]> {
  // The busiest project manager and account manager in the demo data become Megan and Isaiah.
  const [pm] = await db.query<{ email: string | null }>(
    `SELECT a.email FROM halo_projects p JOIN halo_agents a ON a.tenant_id = p.tenant_id AND a.id = p.agent_id
      WHERE p.tenant_id = $1 AND p.date_closed IS NULL AND a.email IS NOT NULL
      GROUP BY a.email ORDER BY count(*) DESC, a.email LIMIT 1`,
    [tenantId],
  );
  const [am] = await db.query<{ email: string | null }>(
    `SELECT a.email FROM halo_clients c JOIN halo_agents a ON a.tenant_id = c.tenant_id AND a.id = c.account_manager_id
      WHERE c.tenant_id = $1 AND a.email IS NOT NULL GROUP BY a.email ORDER BY count(*) DESC, a.email LIMIT 1`,
    [tenantId],
  );
  const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
  return [
    {
      aadObjectId: id(20),
      name: 'Alex Wilber',
      email: null,
      roles: ['admin', 'delivery_director', 'msp_owner'],
    },
    { aadObjectId: id(21), name: 'Megan Bowen', email: pm?.email ?? null, roles: ['pm'] },
    { aadObjectId: id(22), name: 'Adele Vance', email: null, roles: ['pmo_lead'] },
    {
      aadObjectId: id(23),
      name: 'Isaiah Langer',
      email: am?.email ?? null,
      roles: ['account_manager'],
    },
    { aadObjectId: id(24), name: 'Patti Fernandez', email: null, roles: ['cs_lead'] },
    { aadObjectId: id(25), name: 'Lynne Robbins', email: null, roles: ['msp_owner'] },
  ];
}

/**
 * The personas as role grants, each with the e-mail they sign in with, so the bot (whose activities
 * carry no e-mail) resolves the same person, and the same HaloPSA agent, as the tab.
 */
export function personaGrants(personas: readonly DemoPersona[]): RoleGrant[] {
  return personas.flatMap((p) =>
    p.roles.map((role) => ({ aadObjectId: p.aadObjectId, email: signInEmail(p), role })),
  );
}

/** The demo cast read from the synced data of one tenant. */
export class SqlDemoCast implements DemoCast {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  personas(): Promise<DemoPersona[]> {
    return demoPersonas(this.db, this.tenantId);
  }
}
