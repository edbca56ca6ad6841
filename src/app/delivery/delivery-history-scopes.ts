import { loadOneAhead } from '../../shared/load-one-ahead';
import {
  indexDeliveryHistory,
  type IndexedProject,
} from '../../domain/delivery/build-project-facts';
import type { DeliveryHistory } from '../../domain/delivery/delivery-history';
import type { DeliveryHistoryReader, DeliveryHistoryScope } from './delivery-history.port';

/**
 * Projects per scoped load of a full evaluation: memory holds about two scopes' history (the one
 * being evaluated and the next one loading), not the tenant's; larger scopes cost fewer queries.
 */
export const PROJECTS_PER_SCOPE = 250;

/** One loaded scope: its history (status names, horizon) and its projects indexed, by id order. */
export interface LoadedScope {
  history: DeliveryHistory;
  projects: Map<number, IndexedProject>;
}

/**
 * The delivery history one project scope at a time, in ascending project id order (the order of
 * the tenant-wide load): only `projectIds` (e.g. after a webhook or a sync) or every project of
 * the tenant, in scopes of `projectsPerScope`. The next scope loads while this one is consumed.
 */
export async function* deliveryHistoryByScope(
  reader: DeliveryHistoryReader,
  tenantId: string,
  options: { projectIds?: readonly number[]; projectsPerScope?: number } = {},
): AsyncGenerator<LoadedScope> {
  const perScope = Math.max(1, Math.floor(options.projectsPerScope ?? PROJECTS_PER_SCOPE));
  const given = options.projectIds ? [...new Set(options.projectIds)].sort((a, b) => a - b) : null;
  const scopes: DeliveryHistoryScope[] = given
    ? Array.from({ length: Math.ceil(given.length / perScope) }, (_, i) => ({
        projectIds: given.slice(i * perScope, (i + 1) * perScope),
      }))
    : await reader.scopes(tenantId, perScope);
  const wanted = scopes.filter((s) => s.projectIds.length > 0);
  for await (const history of loadOneAhead(wanted, (scope) => reader.load(tenantId, scope))) {
    yield { history, projects: indexDeliveryHistory(history) };
  }
}
