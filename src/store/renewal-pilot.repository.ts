import type { PilotVerdicts, RenewalPilot } from '../app/renewals/renewal-pilot.port';
import type { Clock } from '../shared/clock';
import type { Db } from './db';
import { pilotVerdict, SqlTabSettings } from './tab-settings.repository';

/** The tenant's pilot settings (`tenant_settings`) read for the renewal evaluation. */
export class RenewalPilotRepository implements RenewalPilot {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly clock: Clock,
  ) {}

  async renewalVerdicts(): Promise<PilotVerdicts> {
    const pilot = await new SqlTabSettings(this.db, () => this.clock.now()).pilot(this.tenantId);
    return (clientId) => pilotVerdict(pilot, 'renewals', { clientId, projectId: null });
  }
}
