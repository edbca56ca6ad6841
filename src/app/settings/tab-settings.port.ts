import type { PilotScope } from '../../domain/shared/pilot';
import type {
  ConversationRouteView,
  PilotSettingsView,
  RoleAssignmentInput,
  RoleAssignmentView,
  RouteSeverityFloor,
  SettingsRefusal,
  StoredPolicyVersion,
} from './settings-views';

/** The tenant's saved delivery policy versions, as the settings page reads them. */
export interface PolicyVersions {
  /** The newest saved policy version, or a null version and config when none was saved. */
  policy(tenantId: string): Promise<StoredPolicyVersion>;
}

/** Conversation routes (created from Teams by `/subscribe`; listed and removed from the tab). */
export interface RoutingSettings {
  routes(tenantId: string): Promise<ConversationRouteView[]>;
  /** Deletes the tenant's routes with these ids; returns how many went (others' ids never match). */
  deleteRoutes(tenantId: string, ids: readonly string[]): Promise<number>;
  /** Sets the severity floor of the tenant's routes with these ids; returns the ids changed. */
  setSeverityFloors(tenantId: string, floors: readonly RouteSeverityFloor[]): Promise<string[]>;
}

/** The tenant's role assignments. */
export interface RoleSettings {
  roles(tenantId: string): Promise<RoleAssignmentView[]>;
  /** Replaces every role assignment of the tenant in one transaction. */
  replaceRoles(tenantId: string, items: readonly RoleAssignmentInput[]): Promise<void>;
}

/** The tenant's pilot settings (`tenant_settings`), versioned. */
export interface PilotSettings {
  pilot(tenantId: string): Promise<PilotSettingsView>;
  /** Saves the pilot settings as the next version; refused when `baseVersion` is not the current one. */
  savePilot(
    tenantId: string,
    pilot: PilotScope,
    baseVersion: number | null,
    by: string,
  ): Promise<{ ok: true; settings: PilotSettingsView } | SettingsRefusal>;
}

/** Every settings read and write of the tab, for one adapter to implement. */
export type TabSettings = PolicyVersions & RoutingSettings & RoleSettings & PilotSettings;
