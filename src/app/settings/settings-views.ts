/**
 * Read models of the tab's admin settings (delivery policy, conversation routing, roles, pilot
 * scope): plain data. `src/api/dto.ts` re-exports them as the tab's DTOs.
 */
import type { DeliveryPolicyConfig, Severity } from '../../domain/delivery/policy';
import type { AutomationKey, PilotScope } from '../../domain/shared/pilot';
import type { Role } from '../../domain/shared/roles';
import type { NamedRef } from '../delivery/tab-views';

export type { AutomationKey };

/** The tenant's delivery policy as the settings page shows it. */
export interface PolicySettingsView {
  /** null while the built-in default applies (never saved). */
  version: number | null;
  config: DeliveryPolicyConfig;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The newest saved policy version, with a null config when none was saved. */
export type StoredPolicyVersion = Omit<PolicySettingsView, 'config'> & {
  config: DeliveryPolicyConfig | null;
};

export type NotificationStream = 'escalations' | 'gates' | 'renewals' | 'reports' | 'incidents';

export interface ConversationRouteView {
  id: string;
  stream: NotificationStream;
  /** null = every client. */
  client: NamedRef | null;
  /** The Teams conversation (channel or chat) id the stream posts to. */
  conversationId: string;
  conversationName: string | null;
  createdBy: string | null;
  createdAt: string;
  /** Cards with a severity below this are not posted to the channel (null: all are). */
  severityFloor: Severity | null;
}

/** A new severity floor for one route (null: post everything). */
export interface RouteSeverityFloor {
  id: string;
  severityFloor: Severity | null;
}

export interface RoleAssignmentView {
  id: string;
  aadObjectId: string | null;
  email: string | null;
  role: Role;
}

/** One assignment of a complete new role list. */
export interface RoleAssignmentInput {
  aadObjectId: string | null;
  email: string | null;
  role: Role;
}

/** The pilot settings with their version. */
export interface PilotSettingsView extends PilotScope {
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Why a settings write was refused. */
export type SettingsRefusal = { ok: false; code: string; message: string };

/** The pilot settings of a tenant that never saved any: everything on, no allow-list, not shadow. */
export function defaultPilot(): PilotSettingsView {
  return {
    scopeEnabled: false,
    clientIds: [],
    projectIds: [],
    shadowMode: false,
    automations: { escalations: true, weeklyReport: true, gates: true, renewals: true },
    startsOn: null,
    version: 0,
    updatedAt: null,
    updatedBy: null,
  };
}
