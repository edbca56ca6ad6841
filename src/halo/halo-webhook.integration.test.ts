/**
 * HaloPSA webhook deliveries, one object or a batched array, POSTed by the realistic simulator to
 * the real HTTP server (restify, as the app mounts it): stored and answered 202 at once, then
 * processed by the webhook worker — re-read from the simulator and mirrored, each delivery id once.
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
import { ChangeSignal } from '../shared/signal';
import { haloWebhookHandler, MAX_WEBHOOK_BATCH } from './halo-webhook';
import { RequestBudget } from './request-budget';
import { WebhookWorker } from './webhook-worker';
import { generateDataset } from './simulator/generator';
import { startSimulator, type HaloSimulator } from './simulator/server';
import type { HaloWebhookPayload } from './simulator/webhook-sender';

const TENANT = 'acme';
const creds = { username: 'halo', password: 'hook-secret' };
const silent = { info: () => undefined, warn: () => undefined };
const dataset = generateDataset({ profile: 'demo', seed: 7, asOf: '2026-11-23' });
let now = new Date('2026-11-23T08:00:00Z');
const clock = { now: () => now };

describe.each(testDatabases())('HaloPSA webhooks into $name', (target) => {
  let sim: HaloSimulator;
  let handle: TestDatabaseHandle;
  let server: Server;
  let hookUrl: string;
  let changed: number[];
  let caughtUp: number;
  let budget: RequestBudget;
  let sync: HaloSync;
  let stored: ChangeSignal;
  const worker = (instanceId = 'i-1', collapseAbove = 20) =>
    new WebhookWorker({
      db: handle.db,
      tenantId: TENANT,
      instanceId,
      sync,
      catchUp: () => sync.run('incremental'),
      budget: {
        remaining: () => budget.remaining(),
        total: budget.requests,
        windowMs: budget.windowMs,
        waitMs: () => budget.waitMs(),
      },
      clock,
      logger: silent,
      onTicketChanged: async (ticketId) => void changed.push(ticketId),
      onCaughtUp: async () => void (caughtUp += 1),
      collapseAbove,
    });

  // One database per engine, emptied before each test (as good as a fresh one, and far cheaper).
  beforeAll(async () => {
    handle = await target.open();
  });
  afterAll(async () => {
    await handle.dispose();
  });

  beforeEach(async () => {
    now = new Date('2026-11-23T08:00:00Z');
    sim = await startSimulator({
      dataset,
      port: 0,
      clock: { now: () => now },
      // Realistic, without the random 429s, so retries do not need real waits.
      realistic: { rateLimitChance: 0 },
    });
    await handle.reset();
    budget = new RequestBudget({ requests: 300, clock, sleep: async () => undefined });
    const client = new HaloClient({
      baseUrl: sim.url,
      clientId: 'demo',
      clientSecret: 'demo',
      scopes: [...HALO_READ_SCOPES],
      budget,
      clock: { now: () => now },
      sleep: async () => undefined,
      logger: { ...silent, error: () => undefined, debug: () => undefined },
    });
    sync = new HaloSync({
      db: handle.db,
      reader: client,
      tenantId: TENANT,
      clock: { now: () => now },
      logger: silent,
    });
    changed = [];
    caughtUp = 0;
    stored = new ChangeSignal();
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
            clock,
            logger: silent,
            stored,
          }),
        },
      ],
    });
    hookUrl = `http://127.0.0.1:${await listen(server, 0)}/api/halo/webhook`;
  });

  afterEach(async () => {
    server.close();
    await sim.close();
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

  test('one delivery as an object is answered 202 at once, then re-read and mirrored by the worker', async () => {
    const [id] = ticketIds(1);
    const payload = sim.webhookPayload(id!, 'Ticket Status Changed');
    let woken = 0;
    stored.subscribe(() => (woken += 1));

    expect(await sim.sendWebhook(hookUrl, creds, payload)).toBe(202);
    expect(woken).toBe(1);
    // Answered before anything was read from HaloPSA.
    expect(await processed()).toEqual([]);
    expect(sim.requests.filter((r) => /\/api\/tickets\//i.test(r.path))).toEqual([]);

    expect(await worker().drain()).toBe(1);
    expect(await mirroredTickets()).toEqual([id]);
    expect(await processed()).toEqual([payload.id]);
    expect(changed).toEqual([id]);
  });

  test('a batch as an array: every delivery is handled once, a repeat is a duplicate', async () => {
    const ids = ticketIds(3);
    const batch = ids.map((id) => sim.webhookPayload(id, 'Ticket Updated'));

    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(202);
    await worker().drain();
    expect(await mirroredTickets()).toEqual([...ids].sort((a, b) => a - b));
    expect(await processed()).toEqual(batch.map((p) => p.id).sort());

    // HaloPSA delivers the same batch again: nothing is stored or re-read.
    sim.resetRequestLog();
    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(202);
    expect(await worker().drain()).toBe(0);
    expect(sim.requests).toEqual([]);
    expect([...changed].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  test('20 identical deliveries at once, and two workers: one re-read', async () => {
    const [id] = ticketIds(1);
    const payload = sim.webhookPayload(id!, 'Ticket Updated');
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => sim.sendWebhook(hookUrl, creds, payload)),
    );
    expect(statuses.every((s) => s === 202)).toBe(true);
    sim.resetRequestLog();
    await Promise.all([worker('i-1').drain(), worker('i-2').drain()]);
    const reads = sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path));
    expect(reads).toHaveLength(1);
    expect(changed).toEqual([id]);
  });

  test('deliveries for one object collapse into one re-read', async () => {
    const [id] = ticketIds(1);
    const deliveries = Array.from({ length: 5 }, () => sim.webhookPayload(id!, 'Ticket Updated'));
    expect(await sim.sendWebhook(hookUrl, creds, deliveries)).toBe(202);
    sim.resetRequestLog();
    expect(await worker().drain()).toBe(5);
    expect(sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path))).toHaveLength(1);
  });

  test('what was stored before a restart is processed by the next process', async () => {
    const ids = ticketIds(2);
    expect(
      await sim.sendWebhook(
        hookUrl,
        creds,
        ids.map((id) => sim.webhookPayload(id)),
      ),
    ).toBe(202);
    // No worker ran in "the first process": a fresh one (another instance id) finds the backlog.
    expect((await worker('after-restart').backlog()).count).toBe(2);
    expect(await worker('after-restart').drain()).toBe(2);
    expect(await mirroredTickets()).toEqual([...ids].sort((a, b) => a - b));
  });

  test('a burst over many objects is caught up by one incremental sync, not a re-read each', async () => {
    await sync.run('full');
    const ids = ticketIds(12);
    for (let i = 0; i < ids.length; i += 4) {
      const batch = ids.slice(i, i + 4).map((id) => sim.webhookPayload(id, 'Ticket Updated'));
      expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(202);
    }
    sim.resetRequestLog();
    expect(await worker('i-1', 5).drain()).toBe(12);
    expect(caughtUp).toBe(1);
    expect(sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path))).toEqual([]);
  });

  test('catch-ups spend only the share too: a burst soon after one waits for the next, and so does whatever arrives meanwhile', async () => {
    await sync.run('full');
    const ids = ticketIds(20);
    const send = async (some: number[]) =>
      expect(
        await sim.sendWebhook(
          hookUrl,
          creds,
          some.map((id) => sim.webhookPayload(id, 'Ticket Updated')),
        ),
      ).toBe(202);
    const w = worker('i-1', 5);
    // Later: the full sync's requests have left the budget's window.
    now = new Date(now.getTime() + 10 * 60_000);
    await send(ids.slice(0, 6));
    sim.resetRequestLog();
    expect(await w.drain()).toBe(6);
    expect(caughtUp).toBe(1);
    const spent = sim.requests.filter((r) => /^\/api\//i.test(r.path)).length;
    expect(spent).toBeGreaterThan(0);
    // n requests at half of 300 per 5 minutes: the next catch-up may start n × 2 s later.
    const due = now.getTime() + spent * 2000;

    now = new Date(now.getTime() + 1000);
    await send(ids.slice(6, 12));
    expect(await w.cycle()).toEqual(new Date(due));
    // One more delivery meanwhile joins the catch-up instead of being re-read on its own.
    await send(ids.slice(12, 13));
    sim.resetRequestLog();
    expect(await w.drain()).toBe(0);
    expect(sim.requests).toEqual([]);
    expect((await w.backlog()).count).toBe(7);

    now = new Date(due);
    expect(await w.drain()).toBe(7);
    expect(caughtUp).toBe(2);
    expect(sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path))).toEqual([]);
  });

  test('re-reads spend only their share of the budget: past it they wait, the sync keeps the rest', async () => {
    const ids = ticketIds(3);
    expect(
      await sim.sendWebhook(
        hookUrl,
        creds,
        ids.map((id) => sim.webhookPayload(id)),
      ),
    ).toBe(202);
    // Something else (the sync) has spent half the budget already.
    for (let i = 0; i < 150; i += 1) await budget.acquire();
    sim.resetRequestLog();
    const outcome = await worker().cycle();
    expect(outcome).toBeInstanceOf(Date);
    expect(sim.requests).toEqual([]);
    expect(budget.remaining()).toBe(150);
    expect((await worker().backlog()).count).toBe(3);
  });

  test('a batch with one malformed delivery is refused whole (400) and stores nothing', async () => {
    const ids = ticketIds(2);
    const good = sim.webhookPayload(ids[0]!);
    const bad = { ...sim.webhookPayload(ids[1]!), object_id: 'abc', ticket: undefined };

    const status = await sim.sendWebhook(hookUrl, creds, [
      good,
      bad as unknown as HaloWebhookPayload,
    ]);

    expect(status).toBe(400);
    expect((await worker().backlog()).count).toBe(0);
    expect(await mirroredTickets()).toEqual([]);
  });

  test('deliveries are read with the shared input rules: hostile ones are a 400 naming the field', async () => {
    const [id] = ticketIds(1);
    const good = sim.webhookPayload(id!);
    const post = async (body: unknown) => {
      const response = await fetch(hookUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    const refused = [
      // NUL is refused by the server before any route (http-server.ts); the rest by the parser.
      [{ ...good, id: 'abc\u0000def' }, /NUL/],
      [{ ...good, id: `x${'9'.repeat(200)}` }, /"error":"id: /],
      [{ ...good, id: '   ' }, /"error":"id: missing delivery id/],
      [{ ...good, id: { nested: true } }, /"error":"id: missing delivery id/],
      [{ ...good, event: 'Ticket \u202Eupdated' }, /"error":"event: .*bidirectional/],
      [{ ...good, object_id: 1e20, ticket: undefined }, /"error":"object_id: /],
      [
        { ...good, object_id: '99999999999999999999999', ticket: undefined },
        /"error":"object_id: /,
      ],
      [{ ...good, object_id: -4, ticket: undefined }, /"error":"object_id: /],
      ['just text', /expected a JSON object/],
    ] as const;
    for (const [body, message] of refused) {
      const answer = await post(body);
      expect({ status: answer.status, text: answer.text }).toEqual({
        status: 400,
        text: expect.stringMatching(message),
      });
    }
    expect((await worker().backlog()).count).toBe(0);

    // A numeric id, the id only in the small object, a long event name (kept, cut to 200).
    const accepted = await post([
      { ...good, id: 4242 },
      { id: 'by-ticket', event: 'e'.repeat(500), ticket: { id: String(id) } },
    ]);
    expect(accepted.status).toBe(202);
    const rows = await handle.db.query<{ delivery_id: string; object_id: string; event: string }>(
      `SELECT delivery_id, object_id::text, event FROM webhook_deliveries WHERE tenant_id = $1
        ORDER BY delivery_id`,
      [TENANT],
    );
    expect(rows.map((r) => [r.delivery_id, Number(r.object_id), r.event.length])).toEqual([
      ['4242', id, good.event.length],
      ['by-ticket', id, 200],
    ]);
  });

  test('an empty or oversized batch is a 400', async () => {
    const [id] = ticketIds(1);
    expect(await sim.sendWebhook(hookUrl, creds, [])).toBe(400);
    const tooMany = Array.from({ length: MAX_WEBHOOK_BATCH + 1 }, () => sim.webhookPayload(id!));
    expect(await sim.sendWebhook(hookUrl, creds, tooMany)).toBe(400);
    expect((await worker().backlog()).count).toBe(0);
  });

  test('a re-read that fails is retried later with backoff; only what was left is read again', async () => {
    const ids = ticketIds(2);
    const batch = ids.map((id) => sim.webhookPayload(id));
    // The second ticket's re-read meets a HaloPSA outage (5xx on every retry).
    sim.faults.add({ path: new RegExp(`/api/tickets/${ids[1]}$`, 'i'), kind: 'unavailable' });

    expect(await sim.sendWebhook(hookUrl, creds, batch)).toBe(202);
    await worker().drain();
    expect(await processed()).toEqual([batch[0]!.id]);
    const [failed] = await handle.db.query<{ attempts: number; error: string | null }>(
      `SELECT attempts, error FROM webhook_deliveries WHERE tenant_id = $1 AND delivery_id = $2`,
      [TENANT, batch[1]!.id],
    );
    expect(failed).toMatchObject({ attempts: 1 });
    expect(failed!.error).not.toBeNull();

    sim.faults.clear();
    sim.resetRequestLog();
    // Not due yet; due after the backoff.
    expect(await worker().drain()).toBe(0);
    now = new Date(now.getTime() + 60_000);
    expect(await worker().drain()).toBe(1);
    expect(await processed()).toEqual(batch.map((p) => p.id).sort());
    const reads = sim.requests.filter((r) => /\/api\/tickets\/\d+$/i.test(r.path));
    expect(reads.map((r) => r.path.toLowerCase())).toEqual([`/api/tickets/${ids[1]}`]);
  });
});
