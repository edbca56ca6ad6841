import type { ChannelRoutes, ConversationRoute } from '../app/notifications/channel-routes.port';
import type { Severity } from '../domain/delivery/policy';
import type { Db } from './db';
import {
  conversationKey,
  type ConversationRef,
  type NotificationStream,
} from '../app/ports/notifications.port';

export type { ConversationRoute };

/** Channel routing rows (`conversation_routes`), per tenant. */
export class ConversationRoutesRepository {
  constructor(private readonly tenantId: string) {}

  /** Routes `stream` (for `clientId`, or every client when null) to `conversation`, replacing any rule. */
  async upsert(
    db: Db,
    route: ConversationRoute,
    createdBy: string | null,
    now: Date,
  ): Promise<void> {
    await db.transaction(async (tx) => {
      const replaced = await tx.query<{ severity_floor: Severity | null }>(
        `DELETE FROM conversation_routes
          WHERE tenant_id = $1 AND stream = $2 AND COALESCE(client_id, -1) = COALESCE($3::bigint, -1)
          RETURNING severity_floor`,
        [this.tenantId, route.stream, route.clientId],
      );
      await tx.query(
        `INSERT INTO conversation_routes (tenant_id, stream, client_id, conversation, created_by, created_at, severity_floor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          this.tenantId,
          route.stream,
          route.clientId,
          JSON.stringify(route.conversation),
          createdBy,
          now.toISOString(),
          route.severityFloor === undefined
            ? (replaced[0]?.severity_floor ?? null)
            : route.severityFloor,
        ],
      );
      // A newly routed channel receives what is still open: escalations opened while nothing was
      // routed (stored as unrouted) and still live are posted there now.
      if (route.stream === 'escalations' || route.stream === 'incidents') {
        await tx.query(
          `UPDATE outbox o SET conversation = $2, conversation_key = $3, stream = $4, status = 'pending',
                  next_attempt_at = $5, last_error = NULL
            WHERE o.tenant_id = $1 AND o.status = 'unrouted' AND o.kind = 'escalation'
              AND o.recipient IS NULL AND o.update_of IS NULL AND o.target_activity_id IS NULL
              AND ($6::bigint IS NULL OR o.client_id = $6::bigint)
              AND EXISTS (SELECT 1 FROM escalations e
                           WHERE e.tenant_id = o.tenant_id AND e.id = o.payload->'escalation'->>'id'
                             AND e.status IN ('open', 'acknowledged', 'snoozed'))`,
          [
            this.tenantId,
            JSON.stringify(route.conversation),
            conversationKey(route.conversation),
            route.stream,
            now.toISOString(),
            route.clientId,
          ],
        );
      }
    });
  }

  /**
   * The conversation for the first of `streams` that has a route, preferring a rule for `clientId`
   * over the catch-all rule of the same stream. Null when nothing is routed.
   */
  async resolve(
    db: Db,
    streams: readonly NotificationStream[],
    clientId: number | null,
  ): Promise<ConversationRoute | null> {
    const rows = await db.query<{
      stream: string;
      client_id: number | null;
      conversation: unknown;
      severity_floor: Severity | null;
    }>(
      `SELECT stream, client_id, conversation, severity_floor FROM conversation_routes
        WHERE tenant_id = $1 AND stream = ANY($2::text[])
          AND (client_id IS NULL OR client_id = $3::bigint)
        ORDER BY array_position($2::text[], stream), client_id NULLS LAST
        LIMIT 1`,
      [this.tenantId, [...streams], clientId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      stream: row.stream as NotificationStream,
      clientId: row.client_id === null ? null : Number(row.client_id),
      conversation: parseJson(row.conversation) as ConversationRef,
      severityFloor: row.severity_floor ?? null,
    };
  }

  /** Every routing rule of the tenant (for the settings tab and tests). */
  async list(db: Db): Promise<ConversationRoute[]> {
    const rows = await db.query<{
      stream: string;
      client_id: number | null;
      conversation: unknown;
    }>(
      `SELECT stream, client_id, conversation FROM conversation_routes
        WHERE tenant_id = $1 ORDER BY stream, client_id NULLS FIRST`,
      [this.tenantId],
    );
    return rows.map((row) => ({
      stream: row.stream as NotificationStream,
      clientId: row.client_id === null ? null : Number(row.client_id),
      conversation: parseJson(row.conversation) as ConversationRef,
    }));
  }
}

/** The channel routes port bound to `db`. */
export function channelRoutesOn(db: Db, tenantId: string): ChannelRoutes {
  const repository = new ConversationRoutesRepository(tenantId);
  return { upsert: (route, createdBy, now) => repository.upsert(db, route, createdBy, now) };
}

/** jsonb arrives parsed from both engines; a string (from a text cast) is parsed here. */
export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}
