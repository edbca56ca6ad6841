import type { AuditTrail } from '../ports/audit.port';
import type { Outbox } from '../ports/notifications.port';
import type { ConcessionApprovers, ConcessionRequests } from './concession-requests.port';
import type { ContractCatalog } from './contract-catalog.port';
import type { ReadinessSnapshots } from './readiness-snapshots.port';
import type { RenewalCheckpoints } from './renewal-checkpoints.port';
import type { RenewalEvents } from './renewal-events.port';
import type { RenewalKpiSnapshots } from './renewal-kpi-snapshots.port';
import type { RenewalOutcomes } from './renewal-outcomes.port';
import type { RenewalStages } from './renewal-stages.port';
import type { UpliftOpportunities } from './uplift-opportunities.port';

/** The renewal loop's stored state of one tenant, one repository per aggregate. */
export interface RenewalStore {
  snapshots: ReadinessSnapshots;
  stages: RenewalStages;
  checkpoints: RenewalCheckpoints;
  uplift: UpliftOpportunities;
  concessions: ConcessionRequests;
  approvers: ConcessionApprovers;
  contracts: ContractCatalog;
  events: RenewalEvents;
  kpis: RenewalKpiSnapshots;
  outcomes: RenewalOutcomes;
}

/** What one renewal transaction writes: the store, the audit trail and the outbox, atomically. */
export interface RenewalUnitOfWork extends RenewalStore {
  audit: AuditTrail;
  outbox: Outbox;
}
