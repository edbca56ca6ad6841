/**
 * `GET|POST /api/v1/settings/reporting-key` (admin): the Power BI feed's per-tenant reporting key.
 * `POST` creates or rotates it and answers the new key this once; only its hash is stored.
 */
import type { ReportingKeys } from '../app/reporting/reporting-keys.port';
import type { RotateReportingKey } from '../app/reporting/rotate-reporting-key';
import type { Role } from '../domain/shared/roles';
import type { ApiRoute } from './api-types';
import type { IssuedReportingKeyDto, ReportingKeyDto } from './dto';
import { ODATA_PREFIX } from './odata-feed';

const ADMIN: readonly Role[] = ['admin'];

export interface ReportingKeyRoutesDeps {
  keys: Pick<ReportingKeys, 'describe'>;
  rotate: RotateReportingKey;
}

export function reportingKeyRoutes(deps: ReportingKeyRoutesDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/settings/reporting-key',
      roles: ADMIN,
      handler: async ({ actor }) => {
        const view = await deps.keys.describe(actor.tenantId);
        const body: ReportingKeyDto = {
          configured: view !== null,
          hint: view?.hint ?? null,
          createdAt: view?.createdAt ?? null,
          createdBy: view?.createdBy ?? null,
          feedPath: ODATA_PREFIX,
        };
        return { status: 200, body };
      },
    },
    {
      method: 'post',
      path: '/settings/reporting-key',
      roles: ADMIN,
      handler: async ({ actor }) => {
        const issued = await deps.rotate.run(actor.tenantId, actor);
        const body: IssuedReportingKeyDto = {
          configured: true,
          ...issued.view,
          feedPath: ODATA_PREFIX,
          key: issued.key,
        };
        return { status: issued.replaced ? 200 : 201, body };
      },
    },
  ];
}
