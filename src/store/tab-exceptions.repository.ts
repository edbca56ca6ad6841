/** The tab's exceptions page: open data-quality exceptions and failed or unrouted deliveries. */
import type { Slice } from '../app/delivery/tab-queries.port';
import type { ExceptionsPageView, ExceptionView } from '../app/delivery/tab-views';
import {
  orderDeliveryFailures,
  type DeliveryFailureCause,
  type DeliveryFailureGroup,
} from '../domain/shared/delivery-failures';
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
      deliveryFailures: await this.deliveryFailures(tenantId),
      items: (row?.items ?? []).map(exceptionDto),
      page: Math.floor(slice.offset / slice.limit) + 1,
      pageSize: slice.limit,
      total: type === null ? dataQuality + failed : type === 'data-quality' ? dataQuality : failed,
      counts: { dataQuality, failedDeliveries: failed },
    };
  }

  /** Every undelivered notification, grouped by stream and cause with its fix. */
  async deliveryFailures(tenantId: string): Promise<DeliveryFailureGroup[]> {
    const rows = await this.db.query<{
      stream: string | null;
      cause: DeliveryFailureCause;
      count: number | string;
      clients: number | string;
      first_at: string;
      last_at: string;
      example: string | null;
    }>(DELIVERY_FAILURES_SQL, [tenantId]);
    return orderDeliveryFailures(
      rows.map((r) => ({
        stream: r.stream,
        cause: r.cause,
        count: Number(r.count),
        clients: Number(r.clients),
        firstAt: isoTime(r.first_at) ?? '',
        lastAt: isoTime(r.last_at) ?? '',
        example: r.example,
      })),
    );
  }
}

/**
 * The outbox's undelivered rows counted by stream and cause. An update takes its card's stream; the
 * cause is read from the row's status and last error (the texts `enqueue` and the dispatcher write).
 * High-severity escalations fall back from `incidents` to `escalations`, so either route covers them.
 */
const DELIVERY_FAILURES_SQL = `
  WITH undelivered AS (
    SELECT COALESCE(o.stream, card.stream) AS stream, o.client_id, o.created_at, o.last_error,
           CASE
             WHEN o.status = 'unrouted' AND o.last_error LIKE 'no channel subscribed to %'
              AND EXISTS (SELECT 1 FROM conversation_routes r
                           WHERE r.tenant_id = o.tenant_id
                             AND (r.stream = o.stream OR (o.stream = 'incidents' AND r.stream = 'escalations'))
                             AND (r.client_id IS NULL OR r.client_id = o.client_id)) THEN 'before-subscription'
             WHEN o.status = 'unrouted' AND o.last_error LIKE 'no channel subscribed to %' THEN 'no-channel'
             WHEN o.last_error LIKE 'the post % it updates was never routed'
               OR o.last_error LIKE 'original % was not posted' THEN 'original-not-posted'
             WHEN o.last_error LIKE 'render: %' THEN 'cannot-render'
             WHEN o.last_error ~ '^(401|403):' THEN 'not-allowed'
             WHEN o.last_error ~ '^404:' OR o.last_error = 'no conversation' THEN 'conversation-gone'
             WHEN o.last_error ~ '^(408|429|5[0-9][0-9]):' THEN 'teams-unavailable'
             ELSE 'other'
           END AS cause
      FROM outbox o
      LEFT JOIN outbox card ON card.tenant_id = o.tenant_id AND card.dedupe_key = o.update_of
     WHERE o.tenant_id = $1 AND o.status IN ('failed', 'unrouted')
  )
  SELECT stream, cause, count(*)::int AS count, count(DISTINCT client_id)::int AS clients,
         min(created_at) AS first_at, max(created_at) AS last_at, min(last_error) AS example
    FROM undelivered GROUP BY stream, cause`;

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
