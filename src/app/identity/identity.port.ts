/**
 * Who is acting: the one identity resolver the bot and the tab API both authorise through. Roles come
 * from role assignments by Entra object id; the HaloPSA agent from the e-mail on those assignments.
 */
import type { Role } from '../../domain/shared/roles';
import type { Actor } from '../delivery-views';

/** Who a Teams (or tab) user is, as the activity or the token tells us. */
export interface TeamsUser {
  aadObjectId: string | null;
  name: string;
}

/** A role held by a person, for seeding from configuration. */
export interface RoleGrant {
  aadObjectId: string | null;
  email: string | null;
  role: Role;
}

/** Maps signed-in users to roles and HaloPSA agents (src/store implements it). */
export interface RoleDirectory {
  /** The actor: roles by Entra object id; no object id, or none on file, means no roles. */
  resolve(user: TeamsUser): Promise<Actor>;
  /** Adds role grants (idempotent), e.g. from configuration at start-up. */
  grant(grants: readonly RoleGrant[]): Promise<void>;
}
