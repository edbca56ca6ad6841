import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import type { JsonHandler } from '../server/http-server';
import type { HaloSync } from './halo-sync';

/** What the webhook endpoint needs from the composition root. */
export interface HaloWebhookDeps {
  db: Db;
  tenantId: string;
  credentials: { username: string; password: string };
  sync: Pick<HaloSync, 'resyncTicket'>;
  clock: Clock;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Called after a re-read changed the mirror (the delivery engine re-evaluates from here). */
  onTicketChanged?: (ticketId: number, kind: 'project' | 'task' | 'ticket') => Promise<void>;
}

/**
 * `POST /api/halo/webhook`: checks Basic auth, handles each delivery id once, and treats the
 * delivery as a hint — the named ticket/project is re-read from the API, never trusted as sent.
 * A failed re-read answers 503 so HaloPSA delivers again; the delivery id is then processed anew.
 */
export function haloWebhookHandler(deps: HaloWebhookDeps): JsonHandler {
  return async ({ body, headers }) => {
    if (!authorised(headers.authorization, deps.credentials)) {
      return {
        status: 401,
        body: { error: 'invalid credentials' },
        headers: { 'WWW-Authenticate': 'Basic realm="halo-webhook"' },
      };
    }
    const delivery = parseDelivery(body);
    if (!delivery.ok) return { status: 400, body: { error: delivery.error } };
    const { deliveryId, event, objectId } = delivery;

    const receivedAt = deps.clock.now().toISOString();
    const existing = await deps.db.query<{ processed_at: Date | null }>(
      `INSERT INTO webhook_deliveries (tenant_id, delivery_id, event, object_id, received_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, delivery_id) DO UPDATE SET received_at = webhook_deliveries.received_at
       RETURNING processed_at`,
      [deps.tenantId, deliveryId, event, objectId, receivedAt],
    );
    if (existing[0]?.processed_at) {
      return { status: 200, body: { status: 'duplicate', deliveryId } };
    }
    try {
      const kind = await deps.sync.resyncTicket(objectId);
      await deps.db.query(
        `UPDATE webhook_deliveries SET processed_at = $3, error = NULL WHERE tenant_id = $1 AND delivery_id = $2`,
        [deps.tenantId, deliveryId, deps.clock.now().toISOString()],
      );
      if (kind !== 'invalid' && kind !== 'deleted' && deps.onTicketChanged)
        await deps.onTicketChanged(objectId, kind);
      deps.logger.info(
        { tenantId: deps.tenantId, deliveryId, event, objectId, kind },
        'halo webhook processed',
      );
      return { status: 200, body: { status: 'processed', deliveryId, kind } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.db.query(
        `UPDATE webhook_deliveries SET error = $3 WHERE tenant_id = $1 AND delivery_id = $2`,
        [deps.tenantId, deliveryId, message],
      );
      deps.logger.warn(
        { tenantId: deps.tenantId, deliveryId, objectId, err: message },
        'halo webhook re-read failed',
      );
      return { status: 503, body: { error: 're-read failed, deliver again', deliveryId } };
    }
  };
}

type Delivery =
  | { ok: true; deliveryId: string; event: string | null; objectId: number }
  | { ok: false; error: string };

/** Reads the fields we rely on from the "small object" or the "event only" payload. */
function parseDelivery(body: unknown): Delivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'expected one JSON object (turn webhook batching off)' };
  }
  const b = body as Record<string, unknown>;
  const deliveryId = typeof b.id === 'string' || typeof b.id === 'number' ? String(b.id) : null;
  if (!deliveryId) return { ok: false, error: 'missing delivery id' };
  const ticket =
    typeof b.ticket === 'object' && b.ticket !== null
      ? (b.ticket as Record<string, unknown>)
      : null;
  const objectId = Number(b.object_id ?? ticket?.id);
  if (!Number.isInteger(objectId) || objectId <= 0)
    return { ok: false, error: 'missing object_id' };
  return { ok: true, deliveryId, event: typeof b.event === 'string' ? b.event : null, objectId };
}

function authorised(
  header: string | string[] | undefined,
  expected: { username: string; password: string },
): boolean {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6), 'base64').toString('utf8'));
  const wanted = Buffer.from(`${expected.username}:${expected.password}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
