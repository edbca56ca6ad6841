import type { Comparison, OrderBy } from '../../domain/reporting/odata-query';
import type { EntitySetModel } from '../../domain/reporting/odata-model';

/** One page request against an entity set: rows ordered by `orderBy`, then by the set's key. */
export interface FeedPageRequest {
  select: readonly string[];
  filter: readonly Comparison[];
  orderBy: readonly OrderBy[];
  offset: number;
  limit: number;
}

/**
 * The feed's rows, always of one tenant: values keyed by property name, typed as the model says
 * (numbers, booleans, ISO date and date-time strings, null).
 */
export interface ReportingFeedRows {
  page(
    tenantId: string,
    set: EntitySetModel,
    request: FeedPageRequest,
  ): Promise<Array<Record<string, unknown>>>;
  count(tenantId: string, set: EntitySetModel, filter: readonly Comparison[]): Promise<number>;
}
