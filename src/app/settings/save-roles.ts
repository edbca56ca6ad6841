import type { RoleAssignmentInput, RoleAssignmentView, SettingsRefusal } from './settings-views';
import type { RoleSettings } from './tab-settings.port';

/**
 * Replaces the tenant's role assignments with a complete new list, refusing one that leaves no admin
 * (nobody could change the settings again); answers the assignments as stored.
 */
export class SaveRoles {
  constructor(private readonly roles: RoleSettings) {}

  async run(
    tenantId: string,
    items: readonly RoleAssignmentInput[],
  ): Promise<{ ok: true; items: RoleAssignmentView[] } | SettingsRefusal> {
    if (!items.some((i) => i.role === 'admin')) {
      return {
        ok: false,
        code: 'last-admin',
        message: 'Keep at least one admin, or nobody could change the settings again.',
      };
    }
    await this.roles.replaceRoles(tenantId, items);
    return { ok: true, items: await this.roles.roles(tenantId) };
  }
}
