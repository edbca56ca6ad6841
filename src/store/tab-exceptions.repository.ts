/** The tab's exceptions page: open data-quality exceptions and failed or unrouted deliveries. */
import type { Slice } from '../app/delivery/tab-queries.port';
import type { ExceptionsPageView, ExceptionView } from '../app/delivery/tab-views';
import type { Db } from './db';
import { isoTime } from './tab-rows';

/** SQL read model of the tab's exceptions page. */
export class SqlExceptionQueries {
  constructor(private readonly db: Db) {}

  /** Open data-quality exceptions and failed or unrouted deliveries, newest first. */
  async exceptions(
    tenantId: string,
    type: ExceptionView['type'] | null,
    slice: Slice,
  ): Promise<ExceptionsPageView> {
    const [row] = await this.db.query<{
      data_quality: number | string;
      failed: number | string;
      items: RawException[] | null;
    }>(
      `WITH all_rows AS (
         SELECT 'data-quality' AS type, q.last_seen AS at, q.resource, q.record_id, q.field, q.problem,
                q.first_seen, q.last_seen, NULL::bigint AS id, NULL AS kind, NULL AS stream, NULL::bigint AS client_id,
                NULL AS status, NULL::integer AS attempts, NULL AS last_error, NULL::timestamptz AS created_at
           FROM data_quality_exceptions q WHERE q.tenant_id = $1 AND q.resolved_at IS NULL
         UNION ALL
         SELECT 'failed-delivery', o.created_at, NULL, NULL, NULL, NULL, NULL, NULL, o.id, o.kind, o.stream,
                o.client_id, o.status, o.attempts, o.last_error, o.created_at
           FROM outbox o WHERE o.tenant_id = $1 AND o.status IN ('failed', 'unrouted')
       )
       SELECT (SELECT count(*) FROM all_rows WHERE type = 'data-quality') AS data_quality,
              (SELECT count(*) FROM all_rows WHERE type = 'failed-delivery') AS failed,
              (SELECT json_agg(x ORDER BY x.at DESC, x.type, x.id, x.resource, x.record_id, x.field) FROM (
                 SELECT * FROM all_rows WHERE $2::text IS NULL OR type = $2
                  ORDER BY at DESC, type, id, resource, record_id, field LIMIT $3 OFFSET $4) x) AS items`,
      [tenantId, type, slice.limit, slice.offset],
    );
    const dataQuality = Number(row?.data_quality ?? 0);
    const failed = Number(row?.failed ?? 0);
    return {
      items: (row?.items ?? []).map(exceptionDto),
      page: Math.floor(slice.offset / slice.limit) + 1,
      pageSize: slice.limit,
      total: type === null ? dataQuality + failed : type === 'data-quality' ? dataQuality : failed,
      counts: { dataQuality, failedDeliveries: failed },
    };
  }
}

interface RawException {
  type: ExceptionView['type'];
  resource: string | null;
  record_id: string | null;
  field: string | null;
  problem: string | null;
  first_seen: string | null;
  last_seen: string | null;
  id: number | string | null;
  kind: string | null;
  stream: string | null;
  client_id: number | string | null;
  status: 'failed' | 'unrouted' | null;
  attempts: number | null;
  last_error: string | null;
  created_at: string | null;
}

function exceptionDto(r: RawException): ExceptionView {
  if (r.type === 'data-quality') {
    return {
      type: 'data-quality',
      resource: r.resource ?? '',
      recordId: r.record_id ?? '',
      field: r.field ?? '',
      problem: r.problem ?? '',
      firstSeen: isoTime(r.first_seen) ?? '',
      lastSeen: isoTime(r.last_seen) ?? '',
    };
  }
  return {
    type: 'failed-delivery',
    id: String(r.id),
    kind: r.kind ?? '',
    stream: r.stream,
    clientId: r.client_id === null ? null : Number(r.client_id),
    status: r.status ?? 'failed',
    attempts: r.attempts ?? 0,
    lastError: r.last_error,
    createdAt: isoTime(r.created_at) ?? '',
  };
}
