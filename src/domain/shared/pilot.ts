/** Automations that can be switched off per tenant without a deploy. */
export type AutomationKey = 'escalations' | 'weeklyReport' | 'gates' | 'renewals';

/** Every switchable automation, on unless turned off. */
export const AUTOMATIONS: readonly AutomationKey[] = [
  'escalations',
  'weeklyReport',
  'gates',
  'renewals',
];

/** A tenant's pilot scope: which automations run, where they post, and whether only in shadow. */
export interface PilotScope {
  /** When true only the listed clients/projects get automation; when false every one does. */
  scopeEnabled: boolean;
  clientIds: number[];
  projectIds: number[];
  /** Computed and logged, not posted. */
  shadowMode: boolean;
  automations: Record<AutomationKey, boolean>;
  /** First day of the pilot (YYYY-MM-DD): the KPI baseline is the first snapshot on or after it. */
  startsOn?: string | null;
}

/** Whether an automation may post for a client/project under the tenant's pilot settings. */
export type PilotVerdict = 'post' | 'off' | 'shadow' | 'out-of-scope';

/**
 * The pilot rule (SPEC §4): a switched-off automation does nothing visible; in shadow mode it is
 * computed and logged, not posted; with the allow-list on, only listed clients or projects are posted.
 */
export function pilotVerdict(
  pilot: PilotScope,
  automation: AutomationKey,
  target: { clientId: number | null; projectId: number | null },
): PilotVerdict {
  if (!pilot.automations[automation]) return 'off';
  if (pilot.shadowMode) return 'shadow';
  if (pilot.scopeEnabled) {
    const inScope =
      (target.clientId !== null && pilot.clientIds.includes(target.clientId)) ||
      (target.projectId !== null && pilot.projectIds.includes(target.projectId));
    if (!inScope) return 'out-of-scope';
  }
  return 'post';
}
