import type { Actor } from '../delivery-views';
import {
  isVisible,
  type ReadAccess,
  type ReadRefusal,
  type Visible,
} from '../identity/read-access';
import type { ProjectFilter } from '../delivery/tab-queries.port';

/** What one actor's export may hold, from the one set of read rules (src/app/identity). */
export interface ExportScope {
  /** Projects they read (null: none at all). */
  projects: Visible | null;
  /** The portfolio filter of their projects (null owners: every project). */
  owners: ProjectFilter['owners'];
  /** Clients whose contracts and commercial figures they read (null: none: no account role). */
  contractClients: Visible | null;
  deliveryKpis: boolean;
  renewalKpis: boolean;
}

/** The actor's export scope, or the refusal of someone with no role. */
export async function exportScope(
  access: ReadAccess,
  actor: Actor,
): Promise<{ ok: true; value: ExportScope } | ReadRefusal> {
  const any = access.anyRole(actor);
  if (!any.ok) return any;
  const projectScope = access.projectScope(actor);
  const projects = await access.visibleProjects(actor);
  const contracts = await access.visibleContractClients(actor);
  return {
    ok: true,
    value: {
      projects: projects.ok ? projects.value : null,
      owners:
        projectScope.ok && projectScope.value.kind === 'owned'
          ? {
              pmAgentId: projectScope.value.pmAgentId,
              accountManagerAgentId: projectScope.value.accountManagerAgentId,
            }
          : null,
      contractClients: contracts.ok ? contracts.value : null,
      deliveryKpis: access.area(actor, 'delivery-kpis').ok,
      renewalKpis: access.area(actor, 'renewal-kpis').ok,
    },
  };
}

/** True when the scope reads this project. */
export function seesProject(scope: ExportScope, projectId: number): boolean {
  return scope.projects !== null && isVisible(scope.projects, projectId);
}

/** True when the scope reads this client's contracts. */
export function seesContractsOf(scope: ExportScope, clientId: number | null): boolean {
  return scope.contractClients !== null && isVisible(scope.contractClients, clientId);
}
