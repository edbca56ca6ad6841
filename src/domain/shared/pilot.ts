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
  if (pilot.scopeEnabled && !inAllowList(pilot, target)) return 'out-of-scope';
  return 'post';
}

/** Which clients and projects a portfolio-wide post may show (null: every one). */
export type PilotAllowList = { clientIds: number[]; projectIds: number[] } | null;

/**
 * The pilot rule for a portfolio-wide post (the weekly report), which has no single client: a
 * switched-off automation posts nothing, shadow mode computes and logs it without posting, and with
 * the allow-list on it is posted covering only the listed clients and projects.
 */
export function pilotPortfolioVerdict(
  pilot: PilotScope,
  automation: AutomationKey,
): { verdict: 'post'; allowList: PilotAllowList } | { verdict: 'off' | 'shadow' } {
  if (!pilot.automations[automation]) return { verdict: 'off' };
  if (pilot.shadowMode) return { verdict: 'shadow' };
  return {
    verdict: 'post',
    allowList: pilot.scopeEnabled
      ? { clientIds: [...pilot.clientIds], projectIds: [...pilot.projectIds] }
      : null,
  };
}

/** True when a client/project is covered by an allow-list (null covers everything). */
export function inAllowList(
  allowList: PilotAllowList,
  target: { clientId: number | null; projectId: number | null },
): boolean {
  if (allowList === null) return true;
  return (
    (target.clientId !== null && allowList.clientIds.includes(target.clientId)) ||
    (target.projectId !== null && allowList.projectIds.includes(target.projectId))
  );
}
