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

/** Deliveries HaloPSA may batch into one body; a longer array is refused whole. */
export const MAX_WEBHOOK_BATCH = 100;

/**
 * `POST /api/halo/webhook`: checks Basic auth, handles each delivery id once, and treats the
 * delivery as a hint — the named ticket/project is re-read from the API, never trusted as sent.
 * The body is one delivery, or an array of them when batching is on in HaloPSA; a batch with one
 * malformed delivery is refused whole (400) before anything is processed. A failed re-read answers
 * 503 so HaloPSA delivers again; deliveries already processed then count as duplicates.
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
    if (!Array.isArray(body)) {
      const delivery = parseDelivery(body);
      if (!delivery.ok) return { status: 400, body: { error: delivery.error } };
      const outcome = await handleDelivery(deps, delivery);
      return { status: outcome.status === 'failed' ? 503 : 200, body: outcomeBody(outcome) };
    }
    if (body.length === 0) return { status: 400, body: { error: 'empty delivery batch' } };
    if (body.length > MAX_WEBHOOK_BATCH) {
      return {
        status: 400,
        body: { error: `at most ${MAX_WEBHOOK_BATCH} deliveries per batch, got ${body.length}` },
      };
    }
    const deliveries: ParsedDelivery[] = [];
    for (const [index, item] of body.entries()) {
      const delivery = parseDelivery(item);
      if (!delivery.ok)
        return { status: 400, body: { error: `delivery ${index}: ${delivery.error}` } };
      deliveries.push(delivery);
    }
    const outcomes: DeliveryOutcome[] = [];
    for (const delivery of deliveries) outcomes.push(await handleDelivery(deps, delivery));
    const failed = outcomes.some((o) => o.status === 'failed');
    return {
      status: failed ? 503 : 200,
      body: {
        status: failed ? 'partly failed' : 'processed',
        deliveries: outcomes.map(outcomeBody),
      },
    };
  };
}

type ParsedDelivery = { ok: true; deliveryId: string; event: string | null; objectId: number };
type Delivery = ParsedDelivery | { ok: false; error: string };

type DeliveryOutcome =
  | { status: 'duplicate'; deliveryId: string }
  | { status: 'processed'; deliveryId: string; kind: string }
  | { status: 'failed'; deliveryId: string };

function outcomeBody(outcome: DeliveryOutcome): Record<string, unknown> {
  return outcome.status === 'failed'
    ? { error: 're-read failed, deliver again', deliveryId: outcome.deliveryId }
    : outcome;
}

/** Records one delivery, re-reads its object unless the id was already processed. */
async function handleDelivery(
  deps: HaloWebhookDeps,
  { deliveryId, event, objectId }: ParsedDelivery,
): Promise<DeliveryOutcome> {
  const receivedAt = deps.clock.now().toISOString();
  const existing = await deps.db.query<{ processed_at: Date | null }>(
    `INSERT INTO webhook_deliveries (tenant_id, delivery_id, event, object_id, received_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, delivery_id) DO UPDATE SET received_at = webhook_deliveries.received_at
     RETURNING processed_at`,
    [deps.tenantId, deliveryId, event, objectId, receivedAt],
  );
  if (existing[0]?.processed_at) return { status: 'duplicate', deliveryId };
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
    return { status: 'processed', deliveryId, kind };
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
    return { status: 'failed', deliveryId };
  }
}

/** Reads the fields we rely on from the "small object" or the "event only" payload. */
function parseDelivery(body: unknown): Delivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'expected a JSON object (or an array of them)' };
  }
  const b = body as Record<string, unknown>;
  const deliveryId =
    (typeof b.id === 'string' && b.id.trim() !== '') || typeof b.id === 'number'
      ? String(b.id)
      : null;
  if (!deliveryId) return { ok: false, error: 'missing delivery id' };
  if (deliveryId.length > 200) return { ok: false, error: 'delivery id too long' };
  const ticket =
    typeof b.ticket === 'object' && b.ticket !== null
      ? (b.ticket as Record<string, unknown>)
      : null;
  const objectId = Number(b.object_id ?? ticket?.id);
  if (!Number.isSafeInteger(objectId) || objectId <= 0)
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
