import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import type { JsonHandler } from '../server/http-server';
import { z } from 'zod';
import { safeText, toRecordId } from '../shared/input-schemas';
import type { Signal } from '../shared/signal';

/** What the webhook endpoint needs from the composition root. */
export interface HaloWebhookDeps {
  db: Db;
  tenantId: string;
  credentials: { username: string; password: string };
  clock: Clock;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Told when new deliveries were stored (the worker wakes up). */
  stored: Signal;
}

/** Deliveries HaloPSA may batch into one body; a longer array is refused whole. */
export const MAX_WEBHOOK_BATCH = 100;

/**
 * `POST /api/halo/webhook`: checks Basic auth, stores each delivery once (by its delivery id) and
 * answers 202 at once; the webhook worker re-reads the named tickets later (a delivery is a hint,
 * never trusted as sent), so a burst never waits on HaloPSA. The body is one delivery, or an array of
 * them when batching is on in HaloPSA; a batch with one malformed delivery is refused whole (400)
 * and nothing of it is stored.
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
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0) return { status: 400, body: { error: 'empty delivery batch' } };
    if (items.length > MAX_WEBHOOK_BATCH) {
      return {
        status: 400,
        body: { error: `at most ${MAX_WEBHOOK_BATCH} deliveries per batch, got ${items.length}` },
      };
    }
    const deliveries: ParsedDelivery[] = [];
    for (const [index, item] of items.entries()) {
      const delivery = parseDelivery(item);
      if (!delivery.ok) {
        const where = Array.isArray(body) ? `delivery ${index}: ` : '';
        return { status: 400, body: { error: `${where}${delivery.error}` } };
      }
      deliveries.push(delivery);
    }
    const receivedAt = deps.clock.now().toISOString();
    const fresh = await deps.db.query<{ delivery_id: string }>(
      `INSERT INTO webhook_deliveries (tenant_id, delivery_id, event, object_id, received_at)
       SELECT $1, d.delivery_id, d.event, d.object_id, $5
         FROM unnest($2::text[], $3::text[], $4::bigint[]) AS d(delivery_id, event, object_id)
       ON CONFLICT (tenant_id, delivery_id) DO NOTHING
       RETURNING delivery_id`,
      [
        deps.tenantId,
        deliveries.map((d) => d.deliveryId),
        deliveries.map((d) => d.event),
        deliveries.map((d) => d.objectId),
        receivedAt,
      ],
    );
    if (fresh.length > 0) deps.stored.notify();
    const stored = new Set(fresh.map((r) => r.delivery_id));
    deps.logger.info(
      {
        tenantId: deps.tenantId,
        accepted: stored.size,
        duplicates: deliveries.length - stored.size,
      },
      'halo webhook stored',
    );
    return {
      status: 202,
      body: {
        status: 'accepted',
        deliveries: deliveries.map((d) => ({
          deliveryId: d.deliveryId,
          status: stored.has(d.deliveryId) ? 'accepted' : 'duplicate',
        })),
      },
    };
  };
}

/** Longest delivery id and event name stored (HaloPSA's are a GUID and a short rule name). */
export const MAX_DELIVERY_ID_LENGTH = 200;
const MAX_EVENT_LENGTH = 200;

/**
 * One delivery as HaloPSA sends it ("small object" or "event only" payload), read with the shared
 * input rules: an id of clean text, an optional event, and the object id — `object_id`, else the
 * small object's `ticket.id` — a positive id within bigint. Other fields are ignored.
 */
const deliverySchema = z
  .object(
    {
      id: z
        .union([z.string(), z.number()], {
          errorMap: () => ({ message: 'missing delivery id (text or a number)' }),
        })
        .transform(String)
        .pipe(
          safeText(MAX_DELIVERY_ID_LENGTH)
            .transform((id) => id.trim())
            .refine((id) => id !== '', 'missing delivery id (blank)'),
        ),
      event: safeText(100_000)
        .transform((event) => event.slice(0, MAX_EVENT_LENGTH))
        .nullish(),
      object_id: z.unknown(),
      ticket: z.unknown(),
    },
    { invalid_type_error: 'expected a JSON object (or an array of them)' },
  )
  .transform((d, ctx) => {
    const ticket = typeof d.ticket === 'object' && d.ticket !== null ? d.ticket : {};
    const objectId = toRecordId(d.object_id ?? (ticket as { id?: unknown }).id);
    if (objectId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['object_id'],
        message: 'missing, or not a positive whole number within bigint',
      });
      return z.NEVER;
    }
    return { deliveryId: d.id, event: d.event ?? null, objectId };
  });

type ParsedDelivery = z.output<typeof deliverySchema>;
type Delivery = ({ ok: true } & ParsedDelivery) | { ok: false; error: string };

function parseDelivery(body: unknown): Delivery {
  const parsed = deliverySchema.safeParse(body);
  if (parsed.success) return { ok: true, ...parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid delivery'}` };
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
