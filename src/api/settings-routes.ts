import type { Db } from '../store/db';
import type { ApiRoute } from './api-types';

/** What the settings routes read and write. */
export interface SettingsRoutesDeps {
  db: Db;
  now: () => Date;
}

/** Admin-only settings: delivery policy, conversation routing, roles, pilot scope. */
export function settingsRoutes(_deps: SettingsRoutesDeps): ApiRoute[] {
  return [];
}
