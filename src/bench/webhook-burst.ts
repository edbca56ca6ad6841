/**
 * The webhook burst of issue 16, finding 5, at any scale: HaloPSA sends `deliveries` webhooks (many
 * repeats of the same objects, and one delivery sent `identicalConcurrent` times at once) to the
 * demo app, which runs on a virtual clock against a simulator that enforces hosted HaloPSA's 300
 * requests per rolling 5 minutes on the same clock. The app is stopped mid-backlog and a new one is
 * started on the same database; the scheduled sync runs while that backlog is being worked off.
 *
 * Measured: each delivery's answer time (real milliseconds); how much of the backlog the first
 * process finished and what the second found; the virtual time from the first delivery to the last
 * processed (HaloPSA budget waits move the virtual clock instead of really waiting, so "10 minutes"
 * is checked without waiting 10 minutes); 429s from the simulator (a request beyond the budget);
 * deliveries processed more than once (from the worker's log) and deliveries lost.
 *
 * Used by `npm run bench` at full scale (2,000 in 60 s) and by the jest integration test at a
 * reduced one.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { generateDataset } from '../halo/simulator/generator';
import { startSimulator } from '../halo/simulator/server';
import type { RunningApp, StartOptions } from '../main';
import { startApp } from '../main';
import type { Sleep } from '../shared/clock';
import type { DatabaseTarget } from '../store/open-db';
import { openDatabase } from '../store/open-db';
import { percentile } from './percentile';

/** The burst's size and pace. */
export interface WebhookBurstOptions {
  /** Where both processes keep their data (not in memory: the second must find the first's). */
  database: Exclude<DatabaseTarget, { memory: true }>;
  /** Deliveries sent in all, the identical ones included. */
  deliveries: number;
  /** How many of them are one delivery (same id) sent concurrently. */
  identicalConcurrent: number;
  /** Distinct HaloPSA objects the other deliveries name (so most objects get several). */
  objects: number;
  /** Real time to spread the sending over (0: as fast as the machine allows). */
  sendOverMs: number;
  /** Virtual time the sending spans (HaloPSA's 60 s). */
  virtualSpreadMs: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** HaloPSA's answer time for every API request, real milliseconds (hosted HaloPSA: ~50–300). */
  haloLatencyMs: number;
  /**
   * Virtual time from the first process's start-up sync to the burst (default HaloPSA's whole
   * window: the sync's requests have left it). Less keeps them in the window, so the budget is
   * mostly spent when the burst and the restart come.
   */
  quietBeforeBurstMs?: number;
  /**
   * HaloPSA's limit per rolling window, and the app's budget with it (default the configured 300):
   * a lower one makes a reduced burst cross the window edge and restart with the budget spent.
   */
  haloRequestLimit?: number;
  /** Progress, if wanted. */
  log?: (message: string) => void;
}

/** What the burst showed. Times are real milliseconds unless named virtual. */
export interface WebhookBurstResult {
  sent: number;
  /** Distinct delivery ids among them. */
  distinctIds: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  answerP50Ms: number;
  answerP99Ms: number;
  answerMaxMs: number;
  /** Real time from the first send to the last answer. */
  sendingMs: number;
  /**
   * Longest stall of this process's event loop while sending (the app and the sender share it): an
   * answer time near it means the answer waited on the app's own work (a catch-up's evaluation).
   */
  eventLoopDelayMaxMs: number;
  /** The identical deliveries: how many answers said "accepted" (must be 1) and "duplicate". */
  identical: { accepted: number; duplicate: number };
  /** Rows stored (one per distinct id). */
  stored: number;
  processedBeforeRestart: number;
  leftAtRestart: number;
  /** The scheduled sync, run by the second process while its backlog was being worked off. */
  syncDuringBacklog: {
    backlogAtStart: number;
    completed: boolean;
    /** Why it failed, when it did. */
    error: string | null;
    virtualMs: number;
  };
  /** Virtual time from the first delivery received to the last one processed. */
  virtualMsToAllProcessed: number;
  /** Stored deliveries never processed (must be 0). */
  lost: number;
  /** Processing of a delivery beyond its first, from the worker's log (must be 0). */
  processedTwice: number;
  /** Single-ticket re-reads and incremental catch-ups the worker did for them. */
  rereads: number;
  catchUps: number;
  /** HaloPSA requests, and how many the simulator refused for exceeding 300 per 5 minutes. */
  haloRequests: number;
  haloRateLimited: number;
  /** Of those 429s, how many the first process met (the rest, the second process). */
  haloRateLimitedBeforeRestart: number;
}

const START = Date.parse('2026-11-23T08:00:00Z');
/** Virtual time between two drains while the worker waits for its budget share. */
const DRAIN_STEP_MS = 5_000;
/** Two virtual hours of drain steps: far past the 10 minutes the acceptance allows. */
const MAX_DRAIN_ROUNDS = (2 * 3_600_000) / DRAIN_STEP_MS;

/** Runs the burst; throws only when the app cannot be started or the database opened. */
export async function runWebhookBurst(options: WebhookBurstOptions): Promise<WebhookBurstResult> {
  const log = options.log ?? (() => undefined);
  let virtualNow = START;
  const clock = { now: () => new Date(virtualNow) };
  // A HaloPSA wait (budget, retry) passes on the virtual clock, at once.
  const haloSleep: Sleep = async (ms) => {
    virtualNow += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const config = loadConfig({
    PORT: '0',
    HALO_SIM_PORT: '0',
    LOG_LEVEL: 'info',
    ...(options.haloRequestLimit ? { HALO_BUDGET_REQUESTS: String(options.haloRequestLimit) } : {}),
  });
  const sim = await startSimulator({
    dataset: generateDataset({ profile: 'demo', seed: 42, asOf: '2026-11-23' }),
    port: 0,
    clock,
    clientId: config.halo.clientId,
    clientSecret: config.halo.clientSecret,
    rateLimit: { requests: config.halo.budget.requests, windowMs: config.halo.budget.windowMs },
  });
  const workerLog = new WorkerLog();
  const start = (skipInitialSync: boolean): Promise<RunningApp> => {
    const startOptions: StartOptions = {
      database: options.database,
      haloUrl: sim.url,
      clock,
      haloSleep,
      schedule: false,
      skipInitialSync,
      logDestination: workerLog.stream(),
      demo: { seed: 42, asOf: '2026-11-23' },
    };
    return startApp(config, startOptions);
  };
  try {
    log('webhook burst: starting the first process (full sync)');
    const first = await start(false);
    virtualNow += options.quietBeforeBurstMs ?? config.halo.budget.windowMs;
    sim.faults.add({ path: /^\/api\//i, kind: 'slow', delayMs: options.haloLatencyMs });

    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    // Stopped right after the last answer: mid-backlog (the worker cannot have kept up).
    const sending = await sendBurst(first, sim, options, (ms) => (virtualNow += ms), log).finally(
      async () => {
        stalls.disable();
        await first.close();
      },
    );
    log(`webhook burst: ${sending.answers.length} answered in ${Math.round(sending.ms)} ms`);
    const rateLimitedBeforeRestart = sim.requests.filter((r) => r.status === 429).length;

    const counted = await countDeliveries(options.database, first.config.tenantId);
    log(
      `webhook burst: restart with ${counted.stored - counted.processed} of ${counted.stored} left`,
    );
    const second = await start(true);
    let syncDuringBacklog: WebhookBurstResult['syncDuringBacklog'];
    try {
      const backlogAtStart = (await second.webhooks.backlog()).count;
      const syncStarted = virtualNow;
      const error = await second.sync.run('incremental').then(
        () => null,
        (failed: unknown) => (failed instanceof Error ? failed.message : String(failed)),
      );
      syncDuringBacklog = {
        backlogAtStart,
        completed: error === null,
        error,
        virtualMs: virtualNow - syncStarted,
      };
      // Work the rest off; while the worker waits for its budget share, time moves on in steps.
      for (let round = 0; round < MAX_DRAIN_ROUNDS; round += 1) {
        await second.webhooks.drain();
        if ((await second.webhooks.backlog()).count === 0) break;
        virtualNow += DRAIN_STEP_MS;
      }
    } finally {
      await second.close();
    }
    const final = await countDeliveries(options.database, first.config.tenantId);
    const answerMs = sending.answers.map((a) => a.ms);
    const statuses: Record<string, number> = {};
    for (const a of sending.answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    return {
      sent: sending.answers.length,
      distinctIds: sending.distinctIds,
      statuses,
      answerP50Ms: percentile(answerMs, 50),
      answerP99Ms: percentile(answerMs, 99),
      answerMaxMs: Math.max(...answerMs),
      sendingMs: sending.ms,
      eventLoopDelayMaxMs: stalls.max / 1e6,
      identical: sending.identical,
      stored: final.stored,
      processedBeforeRestart: counted.processed,
      leftAtRestart: counted.stored - counted.processed,
      syncDuringBacklog,
      virtualMsToAllProcessed: final.lastProcessedMs - final.firstReceivedMs,
      lost: final.stored - final.processed,
      processedTwice: workerLog.deliveriesProcessed - final.processed,
      rereads: workerLog.rereads,
      catchUps: workerLog.catchUps,
      haloRequests: sim.requests.filter((r) => r.path.toLowerCase().startsWith('/api/')).length,
      haloRateLimited: sim.requests.filter((r) => r.status === 429).length,
      haloRateLimitedBeforeRestart: rateLimitedBeforeRestart,
    };
  } finally {
    await sim.close();
  }
}

interface Answer {
  status: number;
  ms: number;
  /** What the app said of the delivery: accepted or duplicate. */
  verdict: string | null;
  identical: boolean;
}

/** Sends the burst: the identical deliveries at once first, then the rest, paced. */
async function sendBurst(
  app: RunningApp,
  sim: Awaited<ReturnType<typeof startSimulator>>,
  options: WebhookBurstOptions,
  advance: (virtualMs: number) => void,
  log: (message: string) => void,
): Promise<{
  answers: Answer[];
  ms: number;
  distinctIds: number;
  identical: WebhookBurstResult['identical'];
}> {
  const tickets = sim
    .records('Tickets')
    .map((t) => Number(t.id))
    .filter((id) => Number.isSafeInteger(id) && id > 0)
    .slice(0, options.objects);
  if (tickets.length < options.objects)
    throw new Error(`the demo dataset has only ${tickets.length} tickets`);
  const same = sim.webhookPayload(tickets[0]!, 'Ticket Updated');
  const others = Array.from({ length: options.deliveries - options.identicalConcurrent }, (_, i) =>
    sim.webhookPayload(tickets[i % tickets.length]!, 'Ticket Updated'),
  );
  const url = `${app.url}/api/halo/webhook`;
  const authorization = `Basic ${Buffer.from(
    `${app.config.webhook.username}:${app.config.webhook.password}`,
  ).toString('base64')}`;
  const post = async (payload: unknown, identical: boolean): Promise<Answer> => {
    const sent = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json().catch(() => null)) as {
        deliveries?: Array<{ status: string }>;
      } | null;
      return {
        status: response.status,
        ms: performance.now() - sent,
        verdict: body?.deliveries?.[0]?.status ?? null,
        identical,
      };
    } catch {
      return { status: 0, ms: performance.now() - sent, verdict: null, identical };
    }
  };

  const began = performance.now();
  const answers = await Promise.all(
    Array.from({ length: options.identicalConcurrent }, () => post(same, true)),
  );
  const perDelivery = options.virtualSpreadMs / options.deliveries;
  const realPerDelivery = options.sendOverMs / options.deliveries;
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next;
      next += 1;
      if (i >= others.length) return;
      // Paced: delivery i leaves no earlier than its share of the sending time.
      const due = began + (i + options.identicalConcurrent) * realPerDelivery;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      advance(perDelivery);
      answers.push(await post(others[i], false));
      if ((i + 1) % 500 === 0) log(`webhook burst: ${i + 1} sent`);
    }
  };
  advance(perDelivery * options.identicalConcurrent);
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const identicalAnswers = answers.filter((a) => a.identical);
  return {
    answers,
    ms: performance.now() - began,
    distinctIds: new Set([same.id, ...others.map((o) => o.id)]).size,
    identical: {
      accepted: identicalAnswers.filter((a) => a.verdict === 'accepted').length,
      duplicate: identicalAnswers.filter((a) => a.verdict === 'duplicate').length,
    },
  };
}

/** Stored and processed deliveries, read with a connection of its own (between two processes). */
async function countDeliveries(
  target: WebhookBurstOptions['database'],
  tenantId: string,
): Promise<{
  stored: number;
  processed: number;
  firstReceivedMs: number;
  lastProcessedMs: number;
}> {
  const db = await openDatabase(target);
  try {
    const [row] = await db.query<{
      stored: number;
      processed: number;
      first: string | Date | null;
      last: string | Date | null;
    }>(
      `SELECT count(*)::int AS stored, count(processed_at)::int AS processed,
              min(received_at) AS first, max(processed_at) AS last
         FROM webhook_deliveries WHERE tenant_id = $1`,
      [tenantId],
    );
    return {
      stored: row?.stored ?? 0,
      processed: row?.processed ?? 0,
      firstReceivedMs: row?.first ? new Date(row.first).getTime() : 0,
      lastProcessedMs: row?.last ? new Date(row.last).getTime() : 0,
    };
  } finally {
    await db.close();
  }
}

/** Reads the worker's log lines: deliveries processed by a re-read or by a catch-up sync. */
class WorkerLog {
  deliveriesProcessed = 0;
  rereads = 0;
  catchUps = 0;
  private pending = '';

  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.pending += chunk.toString('utf8');
        const lines = this.pending.split('\n');
        this.pending = lines.pop() ?? '';
        for (const line of lines) this.read(line);
        done();
      },
    });
  }

  private read(line: string): void {
    if (!line.includes('halo webhook')) return;
    const entry = JSON.parse(line) as { msg?: string; deliveries?: number };
    if (entry.msg === 'halo webhook processed') this.rereads += 1;
    else if (entry.msg === 'halo webhook burst caught up by an incremental sync')
      this.catchUps += 1;
    else return;
    this.deliveriesProcessed += entry.deliveries ?? 0;
  }
}
