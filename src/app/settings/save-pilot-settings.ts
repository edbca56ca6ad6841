import type { PilotScope } from '../../domain/shared/pilot';
import type { PilotSettingsView, SettingsRefusal } from './settings-views';
import type { PilotSettings } from './tab-settings.port';

/** Saves the pilot scope as the next version; `version-conflict` when `baseVersion` is stale. */
export class SavePilotSettings {
  constructor(private readonly pilot: PilotSettings) {}

  run(
    tenantId: string,
    scope: PilotScope,
    baseVersion: number | null,
    by: string,
  ): Promise<{ ok: true; settings: PilotSettingsView } | SettingsRefusal> {
    return this.pilot.savePilot(tenantId, scope, baseVersion, by);
  }
}
