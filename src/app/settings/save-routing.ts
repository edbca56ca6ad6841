import type { ConversationRouteView } from './settings-views';
import type { RoutingSettings } from './tab-settings.port';

/** Removes conversation routes of the tenant and answers the routes that remain. */
export class SaveRouting {
  constructor(private readonly routing: RoutingSettings) {}

  async run(tenantId: string, remove: readonly string[]): Promise<ConversationRouteView[]> {
    await this.routing.deleteRoutes(tenantId, remove);
    return this.routing.routes(tenantId);
  }
}
