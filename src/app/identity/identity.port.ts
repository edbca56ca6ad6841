/**
 * Who is acting: the one identity resolver the bot and the tab API both authorise through
 * (Entra object id → person → roles → HaloPSA agent). Roles come from role assignments by Entra
 * object id; the e-mail from the role rows, else from the person record a validated sign-in left;
 * the HaloPSA agent from that e-mail.
 */
import type { Role } from '../../domain/shared/roles';
import type { Actor } from '../delivery-views';

/** Who a Teams (or tab) user is, as the activity or the token tells us. */
export interface TeamsUser {
  aadObjectId: string | null;
  name: string;
  /**
   * The e-mail (UPN) a validated sign-in token carries for this object id; remembered as the
   * person's record so the bot, whose activities carry none, resolves the same HaloPSA agent.
   * Never taken from an unauthenticated source.
   */
  verifiedEmail?: string | null;
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
