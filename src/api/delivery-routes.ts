import type { Mode } from '../config';
import type { ApiRoute } from './api-types';
import type { MeDto } from './dto';

/** What the delivery routes read from. */
export interface DeliveryRoutesDeps {
  mode: Mode;
}

/** `/me` and the delivery read side of the tab: portfolio, project detail, clients, KPIs, report. */
export function deliveryRoutes(deps: DeliveryRoutesDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/me',
      handler: async ({ actor }) => {
        const body: MeDto = {
          tenantId: actor.tenantId,
          user: { aadObjectId: actor.aadObjectId, email: actor.email, name: actor.name },
          roles: actor.roles,
          mode: deps.mode,
        };
        return { status: 200, body };
      },
    },
  ];
}
