import type { AuditActor, AuditTrail } from '../ports/audit.port';
import type { ConversationRouteView, RouteSeverityFloor } from './settings-views';
import type { RoutingSettings } from './tab-settings.port';

/** An admin's change to the routing: routes to remove, severity floors to set. */
export interface RoutingChange {
  remove: readonly string[];
  floors: readonly RouteSeverityFloor[];
}

/**
 * Removes conversation routes of the tenant and sets their severity floors, records each change on
 * the audit trail (when one is given), and answers the routes that remain.
 */
export class SaveRouting {
  constructor(
    private readonly routing: RoutingSettings,
    private readonly audit?: AuditTrail,
  ) {}

  async run(
    tenantId: string,
    change: RoutingChange,
    actor: AuditActor | null = null,
  ): Promise<ConversationRouteView[]> {
    const before = new Map((await this.routing.routes(tenantId)).map((r) => [r.id, r]));
    await this.routing.deleteRoutes(tenantId, change.remove);
    const changed = await this.routing.setSeverityFloors(
      tenantId,
      change.floors.filter((f) => !change.remove.includes(f.id)),
    );
    for (const id of change.remove.filter((r) => before.has(r))) {
      const route = before.get(id)!;
      await this.audit?.append({
        subjectType: 'route',
        subjectId: id,
        action: 'routing.removed',
        actor,
        detail: { stream: route.stream, clientId: route.client?.id ?? null },
      });
    }
    for (const id of changed) {
      const floor = change.floors.find((f) => f.id === id)?.severityFloor ?? null;
      await this.audit?.append({
        subjectType: 'route',
        subjectId: id,
        action: 'routing.severity-floor',
        actor,
        detail: {
          stream: before.get(id)?.stream ?? null,
          from: before.get(id)?.severityFloor ?? null,
          to: floor,
        },
      });
    }
    return this.routing.routes(tenantId);
  }
}
