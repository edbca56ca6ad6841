import type { PilotVerdict } from '../../domain/shared/pilot';

/** The tenant's pilot settings as the gate notifications read them (the `gates` switch). */
export interface GatePilot {
  /** Whether a gate card for this client/project may be posted now. */
  verdict(target: { clientId: number | null; projectId: number | null }): Promise<PilotVerdict>;
}
