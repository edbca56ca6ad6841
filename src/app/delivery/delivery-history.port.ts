import type { DeliveryHistory } from '../../domain/delivery/delivery-history';

/**
 * A part of the tenant's delivery history: some projects with their milestones, tasks, status
 * changes, timesheet totals, invoices and data-quality issues. Everything a project's facts read
 * belongs to the project itself (effort and assignments are per project, not per agent across the
 * portfolio), so a scope's facts are the same as the tenant-wide load's.
 */
export interface DeliveryHistoryScope {
  /** Project ids, ascending. */
  projectIds: number[];
}

/** The port the use cases load a tenant's dated delivery history through (SQL adapter in src/store). */
export interface DeliveryHistoryReader {
  /** The whole tenant's history, or only `scope`'s (status names and sync horizon are the tenant's). */
  load(tenantId: string, scope?: DeliveryHistoryScope): Promise<DeliveryHistory>;
  /**
   * Scopes of at most `projectsPerScope` projects in ascending id order covering every project of
   * the tenant once, so a full evaluation holds one scope's history at a time.
   */
  scopes(tenantId: string, projectsPerScope: number): Promise<DeliveryHistoryScope[]>;
}
