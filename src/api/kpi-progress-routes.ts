/** `GET /kpis/progress` and `GET /renewals/kpis/progress`: baseline, week 4, week 8 and now. */
import type { ReadAccess } from '../app/identity/read-access';
import type { KpiFamily } from '../app/reporting/kpi-snapshots.port';
import type { ReadKpiProgress } from '../app/reporting/kpi-progress-view';
import { ApiError, type ApiRoute } from './api-types';
import { granted } from './read-guard';

/** What the KPI progress routes need. */
export interface KpiProgressRoutesDeps {
  tenantId: string;
  progress: ReadKpiProgress;
  access: ReadAccess;
}

export function kpiProgressRoutes(deps: KpiProgressRoutesDeps): ApiRoute[] {
  const route = (
    path: string,
    family: KpiFamily,
    area: 'delivery-kpis' | 'renewal-kpis',
  ): ApiRoute => ({
    method: 'get',
    path,
    handler: async ({ actor }) => {
      granted(deps.access.area(actor, area));
      if (actor.tenantId !== deps.tenantId) {
        throw new ApiError(404, 'NOT_FOUND', 'KPIs are not available for this tenant.');
      }
      return { status: 200, body: await deps.progress.run(family) };
    },
  });
  return [
    route('/kpis/progress', 'delivery', 'delivery-kpis'),
    route('/renewals/kpis/progress', 'renewal', 'renewal-kpis'),
  ];
}
