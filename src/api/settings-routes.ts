import { z } from 'zod';
import { ROLES, type Role } from '../domain/shared/roles';
import type { DeliveryStore } from '../app/delivery/delivery-store.port';
import { saveDeliveryPolicy } from '../app/delivery/delivery-policy-settings';
import { DEFAULT_POLICY_CONFIG } from '../app/delivery/evaluate-delivery';
import type { DeliveryPolicyConfig } from '../domain/delivery/policy';
import type { SqlTabSettings } from '../store/tab-settings.repository';
import { ApiError, type ApiActor, type ApiRoute } from './api-types';
import type {
  PilotSettingsDto,
  PolicySettingsDto,
  RolesSettingsDto,
  RoutingSettingsDto,
} from './dto';

/** What the settings routes read and write. */
export interface SettingsRoutesDeps {
  settings: SqlTabSettings;
  /** The tenant's delivery store (policy versions), per tenant. */
  policyStore: (tenantId: string) => Pick<DeliveryStore, 'savePolicy'>;
}

const ADMIN: readonly Role[] = ['admin'];

const policyUpdate = z.object({
  config: z.object({
    default: z.record(z.unknown()),
    byProjectType: z.record(z.record(z.unknown())).default({}),
    byClient: z.record(z.record(z.unknown())).default({}),
  }),
  baseVersion: z.number().int().min(0).nullable(),
});

const routingUpdate = z.object({
  remove: z.array(z.string().regex(/^\d{1,18}$/, 'must be a route id')).max(500),
});

const rolesUpdate = z.object({
  items: z
    .array(
      z
        .object({
          aadObjectId: z.string().trim().min(1).max(100).nullable().default(null),
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
  clientIds: z.array(z.number().int().positive()).max(10_000),
  projectIds: z.array(z.number().int().positive()).max(10_000),
  shadowMode: z.boolean(),
  automations: z.object({
    escalations: z.boolean(),
    weeklyReport: z.boolean(),
    gates: z.boolean(),
    renewals: z.boolean(),
  }),
  baseVersion: z.number().int().min(0).nullable().default(null),
});

function by(actor: ApiActor): string {
  return actor.email ?? actor.aadObjectId ?? actor.name;
}

/** Admin-only settings: delivery policy, conversation routing, roles, pilot scope. */
export function settingsRoutes(deps: SettingsRoutesDeps): ApiRoute[] {
  const { settings } = deps;
  const policyBody = async (tenantId: string): Promise<PolicySettingsDto> => {
    const p = await settings.policy(tenantId);
    return { ...p, config: p.config ?? DEFAULT_POLICY_CONFIG };
  };
  return [
    {
      method: 'get',
      path: '/settings/policy',
      roles: ADMIN,
      handler: async ({ actor }) => ({ status: 200, body: await policyBody(actor.tenantId) }),
    },
    {
      method: 'put',
      path: '/settings/policy',
      roles: ADMIN,
      handler: async ({ actor, body }) => {
        const update = policyUpdate.parse(body);
        const current = await settings.policy(actor.tenantId);
        if ((update.baseVersion ?? 0) !== (current.version ?? 0)) {
          throw new ApiError(
            409,
            'version-conflict',
            `The policy changed meanwhile (now version ${current.version ?? 'default'}); reload and try again.`,
          );
        }
        const saved = await saveDeliveryPolicy(
          deps.policyStore(actor.tenantId),
          update.config as unknown as DeliveryPolicyConfig,
          by(actor),
        );
        if (!saved.ok) {
          throw new ApiError(400, 'invalid-policy', 'The policy is not valid.', saved.problems);
        }
        return { status: 200, body: await policyBody(actor.tenantId) };
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
        await settings.deleteRoutes(actor.tenantId, update.remove);
        const result: RoutingSettingsDto = { items: await settings.routes(actor.tenantId) };
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
        const saved = await settings.replaceRoles(actor.tenantId, update.items);
        if (!saved.ok) throw new ApiError(400, saved.code, saved.message);
        const result: RolesSettingsDto = { items: await settings.roles(actor.tenantId) };
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
        const saved = await settings.savePilot(actor.tenantId, pilot, baseVersion, by(actor));
        if (!saved.ok) throw new ApiError(409, saved.code, saved.message);
        return { status: 200, body: saved.settings };
      },
    },
  ];
}
