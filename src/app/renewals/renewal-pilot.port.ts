/** Whether an automation may post for a client under the tenant's pilot settings. */
export type PilotVerdict = 'post' | 'off' | 'shadow' | 'out-of-scope';

/** The verdict for a post about a client (null: no client). */
export type PilotVerdicts = (clientId: number | null) => PilotVerdict;

/** The tenant's pilot settings as the renewal evaluation reads them. */
export interface RenewalPilot {
  /**
   * The rule in force now for renewal posts: renewals switched off, shadow mode or a client outside
   * the allow-list gives something other than `post`.
   */
  renewalVerdicts(): Promise<PilotVerdicts>;
}
