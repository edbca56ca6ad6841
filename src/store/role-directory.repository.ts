import type { Actor, Role } from '../app/delivery-views';
import type { RoleDirectory, RoleGrant, TeamsUser } from '../app/identity/identity.port';
import { ROLES } from '../domain/shared/roles';
import { groupRead } from '../shared/group-commit';
import type { Db } from './db';

/** People looked up in one statement at most (two array parameters). */
const LOOK_UP_BATCH = 200;

/**
 * The one identity resolver: Entra object id → person → roles (`role_assignments`) → HaloPSA agent
 * (`halo_agents.email`). The e-mail is the one on the person's role rows, else the one a validated
 * sign-in token carried for that object id (`people`, remembered here), so the bot and the tab API
 * find the same agent for the same person.
 */
export class SqlRoleDirectory implements RoleDirectory {
  /** Object ids whose verified e-mail is stored already (saves a write per tab request). */
  private readonly remembered = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async resolve(user: TeamsUser): Promise<Actor> {
    if (user.aadObjectId === null) {
      return { aadObjectId: null, name: user.name, email: null, roles: [], haloAgentId: null };
    }
    const verified = normaliseEmail(user.verifiedEmail);
    if (verified !== null) await this.remember(user.aadObjectId, verified, user.name);
    const row = await this.lookUp({ aadObjectId: user.aadObjectId, verified });
    const email = row.email;
    return {
      aadObjectId: user.aadObjectId,
      name: user.name,
      email,
      roles: (row.roles ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
      haloAgentId: email === null || row.agent_id === null ? null : Number(row.agent_id),
    };
  }

  /**
   * People asked about together (fifty clicks at once) are looked up in one round trip: the roles,
   * the e-mail and the HaloPSA agent that e-mail names, for each object id in the order asked.
   */
  private readonly lookUp = groupRead(
    (asked: readonly { aadObjectId: string; verified: string | null }[]) =>
      this.db.query<{
        roles: string[] | null;
        email: string | null;
        agent_id: number | string | null;
      }>(
        `WITH asked AS (
           SELECT k.aad, k.verified, k.ord
             FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(aad, verified, ord)),
         me AS (
           SELECT asked.ord,
                  (SELECT array_agg(DISTINCT r.role ORDER BY r.role) FROM role_assignments r
                    WHERE r.tenant_id = $1 AND r.aad_object_id = asked.aad) AS roles,
                  coalesce((SELECT min(r.email) FROM role_assignments r
                             WHERE r.tenant_id = $1 AND r.aad_object_id = asked.aad
                               AND r.email IS NOT NULL),
                           (SELECT p.email FROM people p
                             WHERE p.tenant_id = $1 AND p.aad_object_id = asked.aad),
                           asked.verified) AS email
             FROM asked)
         SELECT me.roles, me.email,
                (SELECT a.id FROM halo_agents a
                  WHERE a.tenant_id = $1 AND lower(a.email) = lower(me.email) AND NOT a.inactive
                  ORDER BY a.id LIMIT 1) AS agent_id
           FROM me ORDER BY me.ord`,
        [this.tenantId, asked.map((a) => a.aadObjectId), asked.map((a) => a.verified)],
      ),
    (asked) => JSON.stringify([asked.aadObjectId, asked.verified]),
    LOOK_UP_BATCH,
  );

  async grant(grants: readonly RoleGrant[]): Promise<void> {
    for (const grant of grants) {
      await this.db.query(
        `INSERT INTO role_assignments (tenant_id, aad_object_id, email, role)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [this.tenantId, grant.aadObjectId, grant.email, grant.role],
      );
    }
  }

  private async remember(aadObjectId: string, email: string, name: string): Promise<void> {
    if (this.remembered.get(aadObjectId) === email) return;
    await this.db.query(
      `INSERT INTO people (tenant_id, aad_object_id, email, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, aad_object_id)
       DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, seen_at = now()`,
      [this.tenantId, aadObjectId, email, name.slice(0, 200)],
    );
    this.remembered.set(aadObjectId, email);
  }
}

/** A plausible e-mail, trimmed; anything else (a bare object id, an empty claim) is no e-mail. */
function normaliseEmail(value: string | null | undefined): string | null {
  const email = value?.trim() ?? '';
  return /^[^\s@]{1,200}@[^\s@]{1,200}$/.test(email) ? email : null;
}
