import { z } from 'zod';
import type { SaveDeliveryPolicy } from '../app/settings/save-delivery-policy';
import type { SavePilotSettings } from '../app/settings/save-pilot-settings';
import type { SaveRoles } from '../app/settings/save-roles';
import type { SaveRouting } from '../app/settings/save-routing';
import { readPolicySettings } from '../app/settings/read-policy-settings';
import type { TabSettings } from '../app/settings/tab-settings.port';
import type { DeliveryPolicyConfig } from '../domain/delivery/policy';
import { ROLES, type Role } from '../domain/shared/roles';
import { calendarDay, recordId, safeText } from '../shared/input-schemas';
import { ApiError, type ApiActor, type ApiRoute } from './api-types';
import type { PilotSettingsDto, RolesSettingsDto, RoutingSettingsDto } from './dto';

/** What the settings routes read and write. */
export interface SettingsRoutesDeps {
  settings: Pick<TabSettings, 'policy' | 'routes' | 'roles' | 'pilot'>;
  savePolicy: SaveDeliveryPolicy;
  saveRouting: SaveRouting;
  saveRoles: SaveRoles;
  savePilot: SavePilotSettings;
}

const ADMIN: readonly Role[] = ['admin'];

const policyUpdate = z.object({
  config: z.object({
    default: z.record(z.unknown()),
    byProjectType: z.record(z.record(z.unknown())).default({}),
    byClient: z.record(z.record(z.unknown())).default({}),
  }),
  baseVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
});

const routeId = z.string().regex(/^\d{1,18}$/, 'must be a route id');
const routingUpdate = z.object({
  remove: z.array(routeId).max(500).default([]),
  floors: z
    .array(z.object({ id: routeId, severityFloor: z.enum(['low', 'medium', 'high']).nullable() }))
    .max(500)
    .default([]),
});

const rolesUpdate = z.object({
  items: z
    .array(
      z
        .object({
          aadObjectId: safeText(100).pipe(z.string().trim().min(1)).nullable().default(null),
          email: z.string().trim().email().max(320).nullable().default(null),
          role: z.enum(ROLES),
        })
        .refine((i) => i.aadObjectId !== null || i.email !== null, {
          message: 'needs aadObjectId or email',
        }),
    )
    .max(5000),
});

const pilotUpdate = z.object({
  scopeEnabled: z.boolean(),
  clientIds: z.array(recordId).max(10_000),
  projectIds: z.array(recordId).max(10_000),
  shadowMode: z.boolean(),
  automations: z.object({
    escalations: z.boolean(),
    weeklyReport: z.boolean(),
    gates: z.boolean(),
    renewals: z.boolean(),
  }),
  /** Absent: unchanged; null: no pilot start (the first KPI snapshot is the baseline). */
  startsOn: calendarDay.nullable().optional(),
  baseVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().default(null),
});

function by(actor: ApiActor): string {
  return actor.email ?? actor.aadObjectId ?? actor.name;
}

/** Admin-only settings: delivery policy, conversation routing, roles, pilot scope. */
export function settingsRoutes(deps: SettingsRoutesDeps): ApiRoute[] {
  const { settings } = deps;
  return [
    {
      method: 'get',
      path: '/settings/policy',
      roles: ADMIN,
      handler: async ({ actor }) => ({
        status: 200,
        body: await readPolicySettings(settings, actor.tenantId),
      }),
    },
    {
      method: 'put',
      path: '/settings/policy',
      roles: ADMIN,
      handler: async ({ actor, body }) => {
        const update = policyUpdate.parse(body);
        const saved = await deps.savePolicy.run(
          actor.tenantId,
          update.config as unknown as DeliveryPolicyConfig,
          update.baseVersion,
          by(actor),
        );
        if (!saved.ok) {
          if (saved.code === 'version-conflict') throw new ApiError(409, saved.code, saved.message);
          throw new ApiError(400, saved.code, saved.message, saved.problems);
        }
        return { status: 200, body: saved.settings };
      },
    },
    {
      method: 'get',
      path: '/settings/routing',
      roles: ADMIN,
      handler: async ({ actor }) => {
        const body: RoutingSettingsDto = { items: await settings.routes(actor.tenantId) };
        return { status: 200, body };
      },
    },
    {
      method: 'put',
      path: '/settings/routing',
      roles: ADMIN,
      handler: async ({ actor, body }) => {
        const update = routingUpdate.parse(body);
        const result: RoutingSettingsDto = {
          items: await deps.saveRouting.run(actor.tenantId, update, {
            aadObjectId: actor.aadObjectId,
            email: actor.email,
            name: actor.name,
          }),
        };
        return { status: 200, body: result };
      },
    },
    {
      method: 'get',
      path: '/settings/roles',
      roles: ADMIN,
      handler: async ({ actor }) => {
        const body: RolesSettingsDto = { items: await settings.roles(actor.tenantId) };
        return { status: 200, body };
      },
    },
    {
      method: 'put',
      path: '/settings/roles',
      roles: ADMIN,
      handler: async ({ actor, body }) => {
        const update = rolesUpdate.parse(body);
        const saved = await deps.saveRoles.run(actor.tenantId, update.items);
        if (!saved.ok) throw new ApiError(400, saved.code, saved.message);
        const result: RolesSettingsDto = { items: saved.items };
        return { status: 200, body: result };
      },
    },
    {
      method: 'get',
      path: '/settings/pilot',
      roles: ADMIN,
      handler: async ({ actor }) => {
        const body: PilotSettingsDto = await settings.pilot(actor.tenantId);
        return { status: 200, body };
      },
    },
    {
      method: 'put',
      path: '/settings/pilot',
      roles: ADMIN,
      handler: async ({ actor, body }) => {
        const { baseVersion, ...pilot } = pilotUpdate.parse(body);
        const saved = await deps.savePilot.run(actor.tenantId, pilot, baseVersion, by(actor));
        if (!saved.ok) throw new ApiError(409, saved.code, saved.message);
        return { status: 200, body: saved.settings };
      },
    },
  ];
}
