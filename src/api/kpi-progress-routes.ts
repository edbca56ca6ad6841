/** `GET /kpis/progress` and `GET /renewals/kpis/progress`: baseline, week 4, week 8 and now. */
import type { ReadAccess } from '../app/identity/read-access';
import type { KpiProgressView, ReadKpiProgress } from '../app/reporting/kpi-progress-view';
import { ApiError, type ApiActor, type ApiRoute } from './api-types';
import { granted } from './read-guard';

/** What the KPI progress routes need. */
export interface KpiProgressRoutesDeps {
  tenantId: string;
  progress: ReadKpiProgress;
  access: ReadAccess;
}

export function kpiProgressRoutes(deps: KpiProgressRoutesDeps): ApiRoute[] {
  const ownTenant = (actor: ApiActor): void => {
    if (actor.tenantId !== deps.tenantId) {
      throw new ApiError(404, 'NOT_FOUND', 'KPIs are not available for this tenant.');
    }
  };
  return [
    {
      method: 'get',
      path: '/kpis/progress',
      handler: async ({ actor }) => {
        granted(deps.access.area(actor, 'delivery-kpis'));
        ownTenant(actor);
        const body: KpiProgressView = await deps.progress.run('delivery');
        return { status: 200, body };
      },
    },
    {
      method: 'get',
      path: '/renewals/kpis/progress',
      handler: async ({ actor }) => {
        granted(deps.access.area(actor, 'renewal-kpis'));
        ownTenant(actor);
        const body: KpiProgressView = await deps.progress.run('renewal');
        return { status: 200, body };
      },
    },
  ];
}
