/**
 * HaloPSA webhook deliveries, one object or a batched array, POSTed by the realistic simulator to
 * the real HTTP server (restify, as the app mounts it), re-read from the simulator and mirrored.
 */
import { Writable } from 'node:stream';
import type { Server } from 'restify';
import { testDatabases, type TestDatabaseHandle } from '../../tests/support/databases';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { createHttpServer, listen } from '../server/http-server';
import { HaloClient } from './halo-client';
import { HALO_READ_SCOPES } from './halo-scopes';
import { HaloSync } from './halo-sync';
import { haloWebhookHandler, MAX_WEBHOOK_BATCH } from './halo-webhook';
import { generateDataset } from './simulator/generator';
import { startSimulator, type HaloSimulator } from './simulator/server';
import type { HaloWebhookPayload } from './simulator/webhook-sender';

const TENANT = 'acme';
const creds = { username: 'halo', password: 'hook-secret' };
const silent = { info: () => undefined, warn: () => undefined };
const dataset = generateDataset({ profile: 'demo', seed: 7, asOf: '2026-11-23' });
const now = new Date('2026-11-23T08:00:00Z');

describe.each(testDatabases())('HaloPSA webhooks into $name', (target) => {
  let sim: HaloSimulator;
  let handle: TestDatabaseHandle;
  let server: Server;
  let hookUrl: string;
  let changed: number[];

  beforeEach(async () => {
    sim = await startSimulator({
      dataset,
      port: 0,
      clock: { now: () => now },
      // Realistic, without the random 429s, so retries do not need real waits.
      realistic: { rateLimitChance: 0 },
    });
    handle = await target.open();
    const client = new HaloClient({
      baseUrl: sim.url,
      clientId: 'demo',
      clientSecret: 'demo',
      scopes: [...HALO_READ_SCOPES],
      clock: { now: () => now },
      sleep: async () => undefined,
      logger: { ...silent, error: () => undefined, debug: () => undefined },
    });
    const sync = new HaloSync({
      db: handle.db,
      reader: client,
      tenantId: TENANT,
      clock: { now: () => now },
      logger: silent,
    });
    changed = [];
    const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
    server = createHttpServer({
      logger: createLogger('silent', {}, discard),
      metrics: createMetrics(false),
      readiness: async () => ({ ready: true, checks: {} }),
      routes: [
        {
          method: 'post',
          path: '/api/halo/webhook',
          handler: haloWebhookHandler({
            db: handle.db,
            tenantId: TENANT,
            credentials: creds,
            sync,
            clock: { now: () => now },
            logger: silent,
            onTicketChanged: async (ticketId) => {
              changed.push(ticketId);
            },
          }),
        },
      ],
    });
    hookUrl = `http://127.0.0.1:${await listen(server, 0)}/api/halo/webhook`;
  });

  afterEach(async () => {
    server.close();
    await sim.close();
    await handle.dispose();
  });

  const ticketIds = (n: number): number[] =>
    sim
      .records('Tickets')
      .slice(0, n)
      .map((t) => Number(t.id));

  const processed = async (): Promise<string[]> =>
    (
      await handle.db.query<{ delivery_id: string }>(
        `SELECT delivery_id FROM webhook_deliveries
          WHERE tenant_id = $1 AND processed_at IS NOT NULL`,
        [TENANT],
      )
    )
      .map((r) => r.delivery_id)
      .sort();

  const mirroredTickets = async (): Promise<number[]> =>
    (
      await handle.db.query<{ id: number }>(
        `SELECT id FROM halo_tasks WHERE tenant_id = $1
         UNION SELECT id FROM halo_tickets WHERE tenant_id = $1 ORDER BY id`,
        [TENANT],
      )
    ).map((r) => Number(r.id));

  test('one delivery as an object is re-read and mirrored', async () => {
    const [id] = ticketIds(1);
    const payload = sim.webhookPayload(id!, 'Ticket Status Changed');

    expect(await sim.sendWebhook(hookUrl, creds, payload)).toBe(200);

    expect(await mirroredTickets()).toEqual([id]);
    expect(await processed()).toEqual([payload.id]);
    expect(changed).toEqual([id]);
  });

  test('a batch as an array: every delivery is handled once, a repeat is a duplicate', async () => {
    const ids = ticketIds(3);
    const batch = ids.map((id) => sim.webhookPayload(id, 'Ticket Updated'));

    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(200);
    expect(await mirroredTickets()).toEqual([...ids].sort((a, b) => a - b));
    expect(await processed()).toEqual(batch.map((p) => p.id).sort());

    // HaloPSA delivers the same batch again: nothing is re-read.
    sim.resetRequestLog();
    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(200);
    expect(sim.requests).toEqual([]);
    expect(changed).toEqual(ids);
  });

  test('a batch with one malformed delivery is refused whole (400) and changes nothing', async () => {
    const ids = ticketIds(2);
    const good = sim.webhookPayload(ids[0]!);
    const bad = { ...sim.webhookPayload(ids[1]!), object_id: 'abc', ticket: undefined };

    const status = await sim.sendWebhook(hookUrl, creds, [
      good,
      bad as unknown as HaloWebhookPayload,
    ]);

    expect(status).toBe(400);
    expect(await processed()).toEqual([]);
    expect(await mirroredTickets()).toEqual([]);
  });

  test('an empty or oversized batch is a 400', async () => {
    const [id] = ticketIds(1);
    expect(await sim.sendWebhook(hookUrl, creds, [])).toBe(400);
    const tooMany = Array.from({ length: MAX_WEBHOOK_BATCH + 1 }, () => sim.webhookPayload(id!));
    expect(await sim.sendWebhook(hookUrl, creds, tooMany)).toBe(400);
    expect(await processed()).toEqual([]);
  });

  test('a batch whose re-read fails answers 503; the redelivery finishes only what was left', async () => {
    const ids = ticketIds(2);
    const batch = ids.map((id) => sim.webhookPayload(id));
    // The second ticket's re-read meets a HaloPSA outage (5xx on every retry).
    sim.faults.add({ path: new RegExp(`/api/tickets/${ids[1]}$`, 'i'), kind: 'unavailable' });

    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(503);
    expect(await processed()).toEqual([batch[0]!.id]);

    sim.faults.clear();
    sim.resetRequestLog();
    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(200);
    expect(await processed()).toEqual(batch.map((p) => p.id).sort());
    // Only the unfinished delivery's ticket was read again.
    const reads = sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path));
    expect(reads.map((r) => r.path.toLowerCase())).toEqual([`/api/tickets/${ids[1]}`]);
  });
});
