import { entitySet, type EntitySetModel } from '../../domain/reporting/odata-model';
import { parseFeedQuery, type FeedQuery } from '../../domain/reporting/odata-query';
import type { ReportingFeedRows } from './reporting-feed.port';

/** Rows a page holds at most before the feed hands out an `@odata.nextLink`. */
export const DEFAULT_FEED_PAGE_SIZE = 500;

/** One page of an entity set, and where the next page starts. */
export interface FeedPage {
  set: EntitySetModel;
  query: FeedQuery;
  rows: Array<Record<string, unknown>>;
  /** Every row matching the filter (with `$count=true`), else null. */
  count: number | null;
  /** The `$skiptoken` of the next page, or null on the last page. */
  nextSkipToken: number | null;
}

export type FeedPageOutcome =
  | { ok: true; page: FeedPage }
  | { ok: false; reason: 'unknown-set' | 'invalid-query'; message: string };

/** Reads one page of an entity set for one tenant, with server-driven paging. */
export class ReadReportingFeed {
  constructor(
    private readonly rows: ReportingFeedRows,
    private readonly pageSize: number = DEFAULT_FEED_PAGE_SIZE,
  ) {}

  async run(
    tenantId: string,
    setName: string,
    options: Record<string, string | readonly string[] | undefined>,
  ): Promise<FeedPageOutcome> {
    const set = entitySet(setName);
    if (!set) {
      return {
        ok: false,
        reason: 'unknown-set',
        message: `No entity set "${setName.slice(0, 60)}"; see the service document at /odata.`,
      };
    }
    const parsed = parseFeedQuery(set, options);
    if (!parsed.ok) return { ok: false, reason: 'invalid-query', message: parsed.message };
    const { query } = parsed;
    const remaining = query.top === null ? Infinity : Math.max(0, query.top - query.delivered);
    const limit = Math.min(this.pageSize, remaining);
    // One row more than the page tells whether another page follows.
    const fetched =
      limit === 0
        ? []
        : await this.rows.page(tenantId, set, {
            select: query.select,
            filter: query.filter,
            orderBy: query.orderBy,
            offset: query.skip + query.delivered,
            limit: limit + 1,
          });
    const more = fetched.length > limit && remaining > limit;
    return {
      ok: true,
      page: {
        set,
        query,
        rows: fetched.slice(0, limit),
        count: query.count ? await this.rows.count(tenantId, set, query.filter) : null,
        nextSkipToken: more ? query.delivered + limit : null,
      },
    };
  }
}
