import type {
  DeliveryHistoryReader,
  DeliveryHistoryScope,
} from '../../src/app/delivery/delivery-history.port';
import type { DeliveryHistory } from '../../src/domain/delivery/delivery-history';

/**
 * A delivery history reader over a history held in memory, scoped the way the SQL adapter scopes:
 * a scope's projects with their milestones, tasks, the status changes and effort of those tickets,
 * their invoices and data-quality issues; status names and the sync horizon stay the tenant's.
 */
export class InMemoryDeliveryHistory implements DeliveryHistoryReader {
  /** Tenants whose history was asked for (scopes or loads). */
  readonly tenantsRead = new Set<string>();
  /** Each load's scope (undefined: the whole tenant). */
  readonly loads: Array<DeliveryHistoryScope | undefined> = [];

  constructor(private readonly history: DeliveryHistory) {}

  async scopes(tenantId: string, projectsPerScope: number): Promise<DeliveryHistoryScope[]> {
    this.tenantsRead.add(tenantId);
    const ids = this.history.projects.map((p) => p.id).sort((a, b) => a - b);
    const scopes: DeliveryHistoryScope[] = [];
    for (let i = 0; i < ids.length; i += projectsPerScope) {
      scopes.push({ projectIds: ids.slice(i, i + projectsPerScope) });
    }
    return scopes;
  }

  async load(tenantId: string, scope?: DeliveryHistoryScope): Promise<DeliveryHistory> {
    this.tenantsRead.add(tenantId);
    this.loads.push(scope);
    if (!scope) return this.history;
    const h = this.history;
    const ids = new Set(scope.projectIds);
    const tasks = h.tasks.filter((t) => ids.has(t.projectId));
    const tickets = new Set([...ids, ...tasks.map((t) => t.id)]);
    return {
      ...h,
      projects: h.projects.filter((p) => ids.has(p.id)),
      milestones: h.milestones.filter((m) => ids.has(m.projectId)),
      tasks,
      statusChanges: h.statusChanges.filter((c) => tickets.has(c.ticketId)),
      effort: h.effort.filter((e) => tickets.has(e.ticketId)),
      ...(h.billed ? { billed: h.billed.filter((b) => ids.has(b.projectId)) } : {}),
      dataQuality: new Map([...h.dataQuality].filter(([id]) => ids.has(id))),
    };
  }
}
