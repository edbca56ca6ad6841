import type { Actor, PortfolioSummaryView, Rag, WeeklyReportView } from '../delivery-views';
import {
  ACCESS_POLICY,
  ASK_YOUR_ADMIN,
  NO_ROLE_MESSAGE,
  type ContractScope,
  type ProjectScope,
  type ReadArea,
} from './access-policy';
import type { OwnedProject, Ownership, ProjectOwners } from './ownership.port';

/** Why a read was refused: no role at all, or not this record or area. */
export interface ReadRefusal {
  ok: false;
  reason: 'no-role' | 'forbidden';
  message: string;
}

/** A read that may go ahead, with what it may see. */
export type ReadGrant<T> = { ok: true; value: T } | ReadRefusal;

/** Everything or a set of ids. */
export type Visible = 'all' | ReadonlySet<number>;

const noRole: ReadRefusal = { ok: false, reason: 'no-role', message: NO_ROLE_MESSAGE };
const forbidden = (message = ASK_YOUR_ADMIN): ReadRefusal => ({
  ok: false,
  reason: 'forbidden',
  message,
});

/**
 * Applies {@link ACCESS_POLICY} to records: finds a project's or contract's owners and says whether
 * the actor may read it, or which projects and clients they see. The tab API and the bot both call
 * this one instance, so a read is allowed or refused the same way on either surface.
 */
export class ReadAccess {
  constructor(private readonly ownership: Ownership) {}

  /** Which projects the actor reads, or why none. */
  projectScope(actor: Actor): ReadGrant<ProjectScope> {
    if (!ACCESS_POLICY.hasRole(actor)) return noRole;
    const scope = ACCESS_POLICY.projectScope(actor);
    return scope === null ? forbidden() : { ok: true, value: scope };
  }

  /** Which contracts the actor reads, or why none. */
  contractScope(actor: Actor): ReadGrant<ContractScope> {
    if (!ACCESS_POLICY.hasRole(actor)) return noRole;
    const scope = ACCESS_POLICY.contractScope(actor);
    return scope === null ? forbidden() : { ok: true, value: scope };
  }

  /** May the actor read this area as a whole? */
  area(actor: Actor, area: ReadArea): ReadGrant<true> {
    if (!ACCESS_POLICY.hasRole(actor)) return noRole;
    return ACCESS_POLICY.mayRead(actor, area) ? { ok: true, value: true } : forbidden();
  }

  /** Anything at all (the person's own lists, e.g. gates waiting for them)? */
  anyRole(actor: Actor): ReadGrant<true> {
    return ACCESS_POLICY.hasRole(actor) ? { ok: true, value: true } : noRole;
  }

  /**
   * May the actor read this project? A project that does not exist is allowed here, so the caller
   * answers "not found" the same way for everyone who may read projects.
   */
  async project(actor: Actor, projectId: number): Promise<ReadGrant<true>> {
    const scope = this.projectScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: true };
    return this.projectOwnedBy(actor, projectId, await this.ownership.project(projectId));
  }

  /**
   * {@link project} for owners already read (null: no such project), e.g. with the search that
   * found the project: the same rule, without reading them again.
   */
  projectOwnedBy(actor: Actor, projectId: number, owners: ProjectOwners | null): ReadGrant<true> {
    const scope = this.projectScope(actor);
    if (!scope.ok) return scope;
    if (owners === null || ACCESS_POLICY.inProjectScope(scope.value, owners)) {
      return { ok: true, value: true };
    }
    return forbidden(
      `Project ${projectId} is not one of yours: ask your Control Tower admin if you need it.`,
    );
  }

  /** May the actor read this contract (and its concessions and commercial figures)? */
  async contract(actor: Actor, contractId: number): Promise<ReadGrant<true>> {
    const scope = this.contractScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: true };
    const owners = await this.ownership.contract(contractId);
    if (owners === null || ACCESS_POLICY.inContractScope(scope.value, owners)) {
      return { ok: true, value: true };
    }
    return forbidden(`Contract ${contractId} is not one of your clients'.`);
  }

  /**
   * How much of a contract's renewal page the actor reads: all of it (the account roles that read
   * the contract), or `redacted` for a PM who manages an open project of the contract's client —
   * the page without commercial figures, read-only (SPEC §1 gives those to account roles only).
   */
  async contractPage(actor: Actor, contractId: number): Promise<ReadGrant<'full' | 'redacted'>> {
    const full = await this.contract(actor, contractId);
    if (full.ok) return { ok: true, value: 'full' };
    if (!actor.roles.includes('pm') || actor.haloAgentId === null) return full;
    const owners = await this.ownership.contract(contractId);
    if (owners === null) return { ok: true, value: 'redacted' };
    const managed = await this.ownership.ownedProjects({
      pmAgentId: actor.haloAgentId,
      accountManagerAgentId: null,
    });
    if (owners.clientId !== null && managed.some((p) => p.clientId === owners.clientId)) {
      return { ok: true, value: 'redacted' };
    }
    return forbidden(
      `Contract ${contractId} is not of a client whose project you manage: ask your Control Tower admin if you need it.`,
    );
  }

  /**
   * How much of the weekly report (and the portfolio summary) the actor reads: all of it, or the
   * open projects they own.
   */
  async reportScope(actor: Actor): Promise<ReadGrant<'all' | OwnedProject[]>> {
    const scope = this.projectScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: 'all' };
    return { ok: true, value: await this.ownership.ownedProjects(scope.value) };
  }

  /** The projects the actor sees (open ones for an owned scope). */
  async visibleProjects(actor: Actor): Promise<ReadGrant<Visible>> {
    const scope = this.projectScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: 'all' };
    const owned = await this.ownership.ownedProjects(scope.value);
    return { ok: true, value: new Set(owned.map((p) => p.id)) };
  }

  /** The clients whose projects the actor sees. */
  async visibleProjectClients(actor: Actor): Promise<ReadGrant<Visible>> {
    const scope = this.projectScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: 'all' };
    const ids = new Set<number>();
    for (const p of await this.ownership.ownedProjects(scope.value)) {
      if (p.clientId !== null) ids.add(p.clientId);
    }
    if (scope.value.accountManagerAgentId !== null) {
      for (const id of await this.ownership.clientsOf(scope.value.accountManagerAgentId)) {
        ids.add(id);
      }
    }
    return { ok: true, value: ids };
  }

  /** The clients whose contracts the actor sees. */
  async visibleContractClients(actor: Actor): Promise<ReadGrant<Visible>> {
    const scope = this.contractScope(actor);
    if (!scope.ok) return scope;
    if (scope.value.kind === 'all') return { ok: true, value: 'all' };
    const agent = scope.value.accountManagerAgentId;
    return {
      ok: true,
      value: new Set(agent === null ? [] : await this.ownership.clientsOf(agent)),
    };
  }
}

/** True when `id` is among the visible ones. */
export function isVisible(visible: Visible, id: number | null): boolean {
  return visible === 'all' || (id !== null && visible.has(id));
}

/** The weekly report as someone who reads only some projects sees it: their lines and counts. */
export function reportForOwned(report: WeeklyReportView, owned: OwnedProject[]): WeeklyReportView {
  const lines = report.lines.filter((l) => owned.some((p) => p.id === l.projectId));
  const names = lines.map((l) => l.projectName).filter((n) => n !== '');
  return {
    ...report,
    counts: ragCounts(owned),
    lines,
    // Change notes are sentences about projects: keep only those naming one of theirs.
    changes: report.changes.filter((c) => names.some((n) => c.includes(n))),
  };
}

/** The portfolio summary as someone who reads only some projects sees it. */
export function portfolioForOwned(
  summary: PortfolioSummaryView,
  owned: OwnedProject[],
): PortfolioSummaryView {
  return {
    ...summary,
    counts: ragCounts(owned),
    worst: summary.worst.filter((w) => owned.some((p) => p.id === w.id)),
  };
}

function ragCounts(projects: OwnedProject[]): Record<Rag, number> {
  const counts: Record<Rag, number> = { red: 0, amber: 0, green: 0, unknown: 0 };
  for (const p of projects) counts[p.rag] += 1;
  return counts;
}
