/**
 * Who may read what (SPEC §1), the one rule object the tab API and the bot both apply. Pure: it
 * judges an actor (roles and HaloPSA agent from the one identity resolver) against the owners of a
 * record; the reads that find those owners are {@link ReadAccess}'s.
 *
 * | what                                          | who                                                        |
 * |-----------------------------------------------|------------------------------------------------------------|
 * | projects, their health, gates, clients list   | pmo_lead, delivery_director, cs_lead, msp_owner, admin: all; pm: the projects they manage; account_manager: their clients' projects |
 * | weekly report, portfolio summary              | as projects: the lines and counts of the projects one reads |
 * | delivery KPIs                                 | pmo_lead, delivery_director, msp_owner                     |
 * | exceptions (data quality, failed deliveries)  | pmo_lead, delivery_director, admin                         |
 * | contracts, renewals, concessions, commercials | cs_lead, msp_owner: all; account_manager: their clients'   |
 * | renewal KPIs                                  | cs_lead, msp_owner                                         |
 * | governance review                             | cs_lead, msp_owner, admin                                  |
 * | settings                                      | admin                                                      |
 * | the Power BI feed (/odata, all of the tenant) | admin, delivery_director, msp_owner, pmo_lead              |
 *
 * Nobody without a role sees anything but who to ask. Admins read the project and client lists
 * because pilot scope and the channel tab's configuration pick from them.
 */
import type { Role } from '../../domain/shared/roles';
import type { Actor } from '../delivery-views';
import type { ContractOwners, ProjectOwners } from './ownership.port';

export type { ContractOwners, ProjectOwners };

/** Which projects an actor may read: every one, or those they (or their clients) own. */
export type ProjectScope =
  | { kind: 'all' }
  | {
      kind: 'owned';
      /** Projects whose PM is this HaloPSA agent (null: the actor is no PM, or has no agent). */
      pmAgentId: number | null;
      /** Projects of clients whose account manager is this agent. */
      accountManagerAgentId: number | null;
    };

/** Which contracts an actor may read: every one, or their clients'. */
export type ContractScope =
  { kind: 'all' } | { kind: 'owned'; accountManagerAgentId: number | null };

/** An area of the product that is readable as a whole (or not at all). */
export type ReadArea =
  'delivery-kpis' | 'exceptions' | 'renewal-kpis' | 'governance' | 'settings' | 'reporting-feed';

const ALL_PROJECTS: readonly Role[] = [
  'pmo_lead',
  'delivery_director',
  'cs_lead',
  'msp_owner',
  'admin',
];
const ALL_CONTRACTS: readonly Role[] = ['cs_lead', 'msp_owner'];
const AREAS: Record<ReadArea, readonly Role[]> = {
  'delivery-kpis': ['pmo_lead', 'delivery_director', 'msp_owner'],
  exceptions: ['pmo_lead', 'delivery_director', 'admin'],
  'renewal-kpis': ['cs_lead', 'msp_owner'],
  governance: ['cs_lead', 'msp_owner', 'admin'],
  settings: ['admin'],
  'reporting-feed': ['admin', 'delivery_director', 'msp_owner', 'pmo_lead'],
};

const holds = (actor: Pick<Actor, 'roles'>, roles: readonly Role[]) =>
  actor.roles.some((role) => roles.includes(role));

/** The read rules of SPEC §1. */
export const ACCESS_POLICY = {
  /** False for a signed-in person with no role (a guest): they see nothing but who to ask. */
  hasRole(actor: Pick<Actor, 'roles'>): boolean {
    return actor.roles.length > 0;
  },

  /** Which projects the actor reads; null when none at all. */
  projectScope(actor: Actor): ProjectScope | null {
    if (holds(actor, ALL_PROJECTS)) return { kind: 'all' };
    const pm = actor.roles.includes('pm');
    const am = actor.roles.includes('account_manager');
    if (!pm && !am) return null;
    return {
      kind: 'owned',
      pmAgentId: pm ? actor.haloAgentId : null,
      accountManagerAgentId: am ? actor.haloAgentId : null,
    };
  },

  /** Which contracts (and commercial figures) the actor reads; null when none. */
  contractScope(actor: Actor): ContractScope | null {
    if (holds(actor, ALL_CONTRACTS)) return { kind: 'all' };
    if (!actor.roles.includes('account_manager')) return null;
    return { kind: 'owned', accountManagerAgentId: actor.haloAgentId };
  },

  /** True when a project with these owners is in the scope. */
  inProjectScope(scope: ProjectScope, owners: ProjectOwners): boolean {
    if (scope.kind === 'all') return true;
    return (
      (scope.pmAgentId !== null && owners.pmAgentId === scope.pmAgentId) ||
      (scope.accountManagerAgentId !== null &&
        owners.accountManagerAgentId === scope.accountManagerAgentId)
    );
  },

  /** True when a contract with these owners is in the scope. */
  inContractScope(scope: ContractScope, owners: ContractOwners): boolean {
    if (scope.kind === 'all') return true;
    return (
      scope.accountManagerAgentId !== null &&
      owners.accountManagerAgentId === scope.accountManagerAgentId
    );
  },

  /** True when the actor may read this area as a whole. */
  mayRead(actor: Pick<Actor, 'roles'>, area: ReadArea): boolean {
    return holds(actor, AREAS[area]);
  },

  /**
   * True when the actor is the project's manager: the same HaloPSA agent, or the same e-mail.
   * Unknown on either side is never a match.
   */
  managesProject(
    actor: Pick<Actor, 'haloAgentId' | 'email'>,
    pm: { agentId: number | null; email: string | null },
  ): boolean {
    if (pm.agentId !== null && actor.haloAgentId !== null && pm.agentId === actor.haloAgentId) {
      return true;
    }
    return (
      pm.email !== null &&
      actor.email !== null &&
      pm.email.trim().toLowerCase() === actor.email.trim().toLowerCase()
    );
  },

  /**
   * True when the actor may change this project's gates (upload evidence, request or supersede a
   * pack): delivery directors and admins on any project, PMs on the projects they manage.
   */
  mayChangeGatesOf(actor: Actor, pm: { agentId: number | null; email: string | null }): boolean {
    if (holds(actor, ['delivery_director', 'admin'])) return true;
    return actor.roles.includes('pm') && ACCESS_POLICY.managesProject(actor, pm);
  },
} as const;

/** What to tell someone who may not see a thing: who to ask. */
export const ASK_YOUR_ADMIN =
  'You have no Control Tower role that shows this. Ask your Control Tower admin to assign you one.';

/** What to tell a signed-in person with no role at all. */
export const NO_ROLE_MESSAGE =
  'You have no Control Tower role yet, so there is nothing to show you. Ask your Control Tower admin to assign you one.';
