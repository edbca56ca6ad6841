/**
 * A channel newly subscribed to the renewals stream receives what is still live: stage cards of
 * stages not yet closed on contracts not yet ended, and concession cards still waiting for a
 * decision, that were decided while nothing was routed (stored as `unrouted`).
 */
import type { LiveRenewalCards } from '../app/renewals/live-renewal-cards.port';
import { conversationKey, type ConversationRef } from '../app/ports/notifications.port';
import type { Db } from './db';

/** The unrouted renewal cards in one tenant's outbox. */
export class LiveRenewalCardsRepository implements LiveRenewalCards {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async routeUnrouted(
    clientId: number | null,
    conversation: ConversationRef,
    now: Date,
  ): Promise<number> {
    const rows = await this.db.query(
      `UPDATE outbox o SET conversation = $2, conversation_key = $3, stream = 'renewals', status = 'pending',
              next_attempt_at = $4, last_error = NULL
        WHERE o.tenant_id = $1 AND o.status = 'unrouted' AND o.update_of IS NULL AND o.recipient IS NULL
          AND o.target_activity_id IS NULL AND ($5::bigint IS NULL OR o.client_id = $5::bigint)
          AND (
            (o.kind = 'renewal-stage' AND EXISTS (
               SELECT 1 FROM renewal_stage_tasks s
                WHERE s.tenant_id = o.tenant_id
                  AND s.contract_id = (o.payload->'stage'->>'contractId')::bigint
                  AND s.stage = o.payload->'stage'->>'stage'
                  AND s.status <> 'closed' AND s.end_date >= $4::date))
            OR (o.kind = 'concession' AND EXISTS (
               SELECT 1 FROM concession_requests c
                WHERE c.tenant_id = o.tenant_id
                  AND c.id = (o.payload->'concession'->>'id')::bigint AND c.status = 'pending')))
        RETURNING o.id`,
      [
        this.tenantId,
        JSON.stringify(conversation),
        conversationKey(conversation),
        now.toISOString(),
        clientId,
      ],
    );
    return rows.length;
  }
}
