import { signInEmail, type DemoCast, type DemoPersona } from '../app/delivery/demo-cast.port';
import type { RoleGrant } from '../app/identity/identity.port';
import type { Role } from '../domain/shared/roles';
import type { Db } from '../store/db';

export type { DemoPersona };

/** One member of the demo cast, before the demo data names the HaloPSA agent they play. */
export interface DemoCastMember {
  aadObjectId: string;
  name: string;
  roles: readonly Role[];
  /** Which HaloPSA agent they are: the busiest project manager or account manager, or none. */
  plays: 'pm' | 'account_manager' | 'none';
}

const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;

/**
 * The demo cast, the same six people as the Agents Playground's default users (…020 to …025): the
 * Playground's current user is one of them (`npm run playground -- --as <persona>`).
 */
export const DEMO_CAST: readonly DemoCastMember[] = [
  {
    aadObjectId: id(20),
    name: 'Alex Wilber',
    roles: ['admin', 'delivery_director', 'msp_owner'],
    plays: 'none',
  },
  { aadObjectId: id(21), name: 'Megan Bowen', roles: ['pm'], plays: 'pm' },
  { aadObjectId: id(22), name: 'Adele Vance', roles: ['pmo_lead'], plays: 'none' },
  {
    aadObjectId: id(23),
    name: 'Isaiah Langer',
    roles: ['account_manager'],
    plays: 'account_manager',
  },
  { aadObjectId: id(24), name: 'Patti Fernandez', roles: ['cs_lead'], plays: 'none' },
  { aadObjectId: id(25), name: 'Lynne Robbins', roles: ['msp_owner'], plays: 'none' },
];

/**
 * The demo cast with their HaloPSA e-mails. Each plays an MSP role against the demo HaloPSA's
 * agents, so a newcomer can try every flow: Alex (the Playground's default user) can subscribe
 * channels and acts as delivery director and MSP owner, so he sees both loops (SPEC §1's reads).
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
  const emails: Record<DemoCastMember['plays'], string | null> = {
    pm: pm?.email ?? null,
    account_manager: am?.email ?? null,
    none: null,
  };
  return DEMO_CAST.map(({ plays, aadObjectId, name, roles }) => ({
    aadObjectId,
    name,
    email: emails[plays],
    roles: [...roles],
  }));
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
