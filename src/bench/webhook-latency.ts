/**
 * Bench phase for SPEC §8's "webhook received → escalation card at the connector": a HaloPSA webhook
 * names a project whose budget has just been cut below the hours already booked; the app re-reads
 * it, re-evaluates it, opens a burn escalation and the outbox delivers the card to the channel
 * subscribed to escalations. Measured from sending the webhook to the card reaching a connector
 * double, one webhook at a time, against the running demo app (the simulator it syncs from is the
 * HaloPSA that changes; the webhook is its payload, sent from here). The first escalating project only warms the path up. A second
 * figure takes the same path on other projects with 500 card refreshes kept queued in the outbox
 * (SPEC §8): new posts must go ahead of them.
 *
 * Two things make one webhook enough to open an escalation: the tenant's policy asks for one day of
 * persistence (the default's three days cannot pass within one request), and the project's stored
 * baseline is dropped so the cut budget becomes the new plan (HaloPSA edits never re-baseline on
 * their own). The rest of the path is the production one.
 *
 * The demo has about ten such projects (open, with hours booked, no escalation yet, not `unknown`
 * for missing data, which never escalates), dealt out over three rounds of two figures: each round's
 * p99 rests on one or two webhooks. (A project cannot simply serve again: once its escalation is
 * marked resolved behind the engine's back, a second webhook on the same day mostly opens none.)
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DELIVERY_POLICY } from '../domain/delivery/policy';
import { postWebhook, type HaloWebhookPayload } from '../halo/simulator/webhook-sender';
import type { RunningApp } from '../main';
import type { ConversationRef } from '../app/ports/notifications.port';
import { parseJson } from '../store/conversation-routes.repository';
import { SqlDeliveryStore } from '../store/delivery.repository';
import { percentile } from './percentile';
import { dealRounds, LATENCY_ROUNDS } from './rounds';
import { pendingRefreshes, topUpRefreshes, type RefreshBacklog } from './queued-refreshes';

/**
 * The HaloPSA the app syncs from, as this phase drives it: the simulator, in a process of its own
 * (src/bench/simulator-process.ts) so its dataset is not in the measured app's memory.
 */
export interface WebhookHalo {
  corrupt(resource: string, id: number, field: string, value: unknown): Promise<void>;
  webhookPayload(ticketId: number): Promise<HaloWebhookPayload>;
}

/** One round of webhook → card, in milliseconds. */
export interface WebhookRound {
  webhookToCardP99: number;
  webhookToCardP50: number;
  webhookSamples: number;
}

/** What the phase measured: its rounds (a round whose projects all skipped is left out). */
export interface WebhookLatency {
  rounds: WebhookRound[];
  /** Projects whose webhook opened no escalation (no usable plan), left out of the samples. */
  skippedProjects: number[];
  /** The same path with a backlog of card refreshes kept queued in the outbox (null: not asked). */
  behindRefreshes: {
    rounds: WebhookRound[];
    /** Refreshes kept pending before each webhook. */
    queued: number;
    /** Conversations the refreshes were spread over. */
    conversations: number;
    /** Refreshes the connector double received while the samples were taken. */
    refreshesDelivered: number;
  } | null;
}

/** A round's p99 and p50, or null when it took no sample. */
function webhookRound(samples: readonly number[]): WebhookRound | null {
  return samples.length === 0
    ? null
    : {
        webhookToCardP99: percentile(samples, 99),
        webhookToCardP50: percentile(samples, 50),
        webhookSamples: samples.length,
      };
}

const CHANNEL = '19:bench-escalations@thread.tacv2';
/** Teams' longest short per-conversation window (8 sends per 2 s; rate-limiter.ts). */
const TEAMS_WINDOW_MS = 2_000;
/** The Playground's Alex Wilber: an admin in the demo cast, who may `/subscribe`. */
const ALEX = {
  id: '29:bench-alex',
  name: 'Alex Wilber',
  aadObjectId: '00000000-0000-0000-0000-0000000000020',
};

/** A connector double that timestamps every activity posted to a conversation. */
class CardSink {
  private server: HttpServer | null = null;
  /** Card updates (PUT) received so far. */
  updates = 0;
  private waiter: { conversation: string; resolve: (card: Arrival) => void } | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const at = performance.now();
        const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        const conversation = match ? decodeURIComponent(match[1]!) : '';
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: `card-${Date.now()}` }));
        // Only a new post is a card reaching the channel; an update is a refresh.
        if (req.method === 'PUT') this.updates += 1;
        else if (this.waiter?.conversation === conversation) {
          const { resolve } = this.waiter;
          this.waiter = null;
          resolve({ at, body });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops waiting for the activity asked for last. */
  cancel(): void {
    this.waiter = null;
  }

  /** The next activity posted to `conversation`. */
  next(conversation: string): Promise<Arrival> {
    return new Promise((resolve) => (this.waiter = { conversation, resolve }));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

interface Arrival {
  at: number;
  body: string;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the outbox holds nothing still to send to `conversationId`. */
async function channelIdle(app: RunningApp, conversationId: string): Promise<void> {
  for (;;) {
    const [row] = await app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox
        WHERE tenant_id = $1 AND status IN ('pending', 'sending')
          AND conversation->>'conversationId' = $2`,
      [app.config.tenantId, conversationId],
    );
    if ((row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Open projects without an escalation, the candidates of a webhook sample (at most `limit`). */
async function unescalatedProjects(
  app: RunningApp,
  limit: number,
): Promise<Array<{ id: number | string; hours: number | null }>> {
  return app.db.query<{ id: number | string; hours: number | null }>(
    `SELECT p.id, p.time_actual AS hours FROM halo_projects p
      WHERE p.tenant_id = $1 AND p.date_closed IS NULL AND coalesce(p.time_actual, 0) > 2
        AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.tenant_id = p.tenant_id
                          AND e.project_id = p.id AND e.status IN ('open', 'acknowledged', 'snoozed'))
        AND NOT EXISTS (SELECT 1 FROM project_health_latest h WHERE h.tenant_id = p.tenant_id
                          AND h.project_id = p.id AND h.rag = 'unknown')
      ORDER BY p.id LIMIT $2`,
    [app.config.tenantId, limit],
  );
}

/**
 * One webhook per project, one at a time: the time from sending it to its escalation card reaching
 * the channel. `beforeEach` runs before each webhook is sent (outside the timing). With `warmUp`,
 * the first escalating project warms the path up (JIT, prepared statements) and is not counted.
 */
async function sampleWebhooks(
  app: RunningApp,
  halo: WebhookHalo,
  sink: CardSink,
  projects: ReadonlyArray<{ id: number | string; hours: number | null }>,
  beforeEach: () => Promise<void> = () => Promise.resolve(),
  warmUp = false,
): Promise<{ samples: number[]; skipped: number[] }> {
  const tenantId = app.config.tenantId;
  const samples: number[] = [];
  const skipped: number[] = [];
  let warmedUp = !warmUp;
  for (const project of projects) {
    const id = Number(project.id);
    // A quarter of the hours already booked: the project is now far over its budget.
    await halo.corrupt('projects', id, 'projecttimebudget', Math.max(1, (project.hours ?? 4) / 4));
    await app.db.query('DELETE FROM project_baselines WHERE tenant_id = $1 AND project_id = $2', [
      tenantId,
      id,
    ]);
    await beforeEach();
    const payload = await halo.webhookPayload(id);
    const card = sink.next(CHANNEL);
    const sent = performance.now();
    const status = await postWebhook(`${app.url}/api/halo/webhook`, app.config.webhook, payload);
    if (status !== 202) throw new Error(`webhook for project ${id} answered ${status}`);
    // The delivery is answered at once and processed by the webhook worker (poked as it is
    // stored); a drain waits for that work. Then the project was re-read and re-evaluated: an
    // escalation is open, or this project cannot give one (no usable plan) and is skipped. The
    // sink timestamps the card's arrival meanwhile.
    await withTimeout(app.webhooks.drain(), 30_000, `the webhook for project ${id}`);
    const [escalation] = await app.db.query<{ id: string }>(
      `SELECT id FROM escalations WHERE tenant_id = $1 AND project_id = $2 AND status = 'open'`,
      [tenantId, id],
    );
    if (!escalation) {
      sink.cancel();
      skipped.push(id);
      continue;
    }
    const arrival = await withTimeout(card, 30_000, `escalation card for project ${id}`);
    if (!arrival.body.includes(escalation.id)) {
      throw new Error(`the card after project ${id}'s webhook is not its escalation's`);
    }
    if (warmedUp) samples.push(arrival.at - sent);
    warmedUp = true;
    // One card per window share (8 per 2 s), so no card waits on the rate limiter.
    await new Promise((resolve) => setTimeout(resolve, TEAMS_WINDOW_MS / 8));
  }
  return { samples, skipped };
}

/** Options of the webhook phase. */
export interface WebhookPhaseOptions {
  /** Webhooks per figure and round, at most. */
  maxSamples?: number;
  /** Rounds per figure (SPEC §8: three). */
  rounds?: number;
  /** Card refreshes kept queued for the second figure (0: no second figure). */
  queuedRefreshes?: number;
  /** Channels other than the escalations channel that the refreshes are spread over. */
  refreshChannels?: number;
}

/**
 * Measures webhook → escalation card on open projects without an escalation, in `rounds` rounds:
 * after one warm-up project, the candidates are dealt out in turn over the rounds' idle figure and
 * (when `queuedRefreshes` > 0) their figure with that many card refreshes kept queued for other
 * channels (new posts and decisions go ahead of refreshes), drained before the next round. A round
 * whose projects all opened no escalation is left out. The connector double stays up until `close`
 * (later card updates for the channel still land there).
 */
export async function measureWebhookToCard(
  app: RunningApp,
  halo: WebhookHalo,
  options: WebhookPhaseOptions = {},
): Promise<{ latency: WebhookLatency; close: () => Promise<void> }> {
  const {
    maxSamples = 40,
    rounds = LATENCY_ROUNDS,
    queuedRefreshes = 0,
    refreshChannels = 10,
  } = options;
  const tenantId = app.config.tenantId;
  const sink = new CardSink();
  await sink.start();
  try {
    await new SqlDeliveryStore(app.db, tenantId, { now: () => new Date() }).savePolicy(
      {
        default: { ...DEFAULT_DELIVERY_POLICY, persistenceDays: 1 },
        byProjectType: {},
        byClient: {},
      },
      'bench',
    );
    const subscribed = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'bench-subscribe',
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: sink.url,
        from: ALEX,
        recipient: { id: '28:bot', name: 'Control Tower' },
        conversation: {
          id: CHANNEL,
          conversationType: 'channel',
          isGroup: true,
          tenantId: 'bench-tenant',
        },
        channelData: {
          tenant: { id: 'bench-tenant' },
          team: { id: '19:bench-team@thread.tacv2' },
          channel: { id: CHANNEL },
        },
        text: '/subscribe escalations',
      }),
    });
    if (subscribed.status !== 200) throw new Error(`/subscribe answered ${subscribed.status}`);
    // The open escalations' cards go to the new channel first; measure only after they have, and
    // after Teams' per-conversation window (8 sends in 2 s) has let go of them: the figure is the
    // pipeline's latency, not the rate limit's.
    app.dispatcher.poke();
    await withTimeout(channelIdle(app, CHANNEL), 120_000, 'the open escalations’ cards');
    await new Promise((resolve) => setTimeout(resolve, TEAMS_WINDOW_MS));

    const figuresPerRound = queuedRefreshes > 0 ? 2 : 1;
    const candidates = await unescalatedProjects(app, rounds * figuresPerRound * maxSamples + 1);
    if (candidates.length < 1 + rounds * figuresPerRound)
      throw new Error(`${candidates.length} open demo projects to measure: too few for the rounds`);
    // The first project only warms the path up; the rest are dealt out in turn: round 1 idle,
    // round 1 behind refreshes, round 2 idle, …
    const warmUp = await sampleWebhooks(app, halo, sink, candidates.slice(0, 1), undefined, true);
    const skipped: number[] = [...warmUp.skipped];
    const slots = dealRounds(candidates.slice(1), rounds * figuresPerRound);
    const idleRounds: WebhookRound[] = [];
    const behindRounds: WebhookRound[] = [];
    let backlog: RefreshBacklog | null = null;
    let refreshesDelivered = 0;
    for (let r = 0; r < rounds; r += 1) {
      const idle = await sampleWebhooks(app, halo, sink, slots[r * figuresPerRound]!);
      skipped.push(...idle.skipped);
      const idleRound = webhookRound(idle.samples);
      if (idleRound) idleRounds.push(idleRound);
      if (queuedRefreshes === 0) continue;
      backlog ??= await refreshBacklog(app, sink.url, refreshChannels);
      const queue = backlog;
      const deliveredBefore = sink.updates;
      const behind = await sampleWebhooks(
        app,
        halo,
        sink,
        slots[r * figuresPerRound + 1]!,
        async () => {
          await topUpRefreshes(app.db, queue, queuedRefreshes, new Date());
          app.dispatcher.poke();
        },
      );
      skipped.push(...behind.skipped);
      // The next round (and later phases) measure on an idle outbox: let the backlog drain first.
      await withTimeout(
        (async () => {
          while ((await pendingRefreshes(app.db, queue)) > 0) {
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        })(),
        300_000,
        'the queued refreshes',
      );
      refreshesDelivered += sink.updates - deliveredBefore;
      const behindRound = webhookRound(behind.samples);
      if (behindRound) behindRounds.push(behindRound);
    }
    if (idleRounds.length === 0)
      throw new Error(`no webhook opened an escalation (${skipped.join(', ')})`);
    if (queuedRefreshes > 0 && behindRounds.length === 0)
      throw new Error('no webhook opened an escalation behind the queued refreshes');
    const behindRefreshes: WebhookLatency['behindRefreshes'] =
      queuedRefreshes > 0
        ? {
            rounds: behindRounds,
            queued: queuedRefreshes,
            conversations: refreshChannels,
            refreshesDelivered,
          }
        : null;
    return {
      latency: { rounds: idleRounds, skippedProjects: skipped, behindRefreshes },
      close: () => sink.stop(),
    };
  } catch (error) {
    await sink.stop();
    throw error;
  }
}

/** The refresh backlog: copies of the last card posted to the escalations channel, for other channels. */
async function refreshBacklog(
  app: RunningApp,
  serviceUrl: string,
  channels: number,
): Promise<RefreshBacklog> {
  const [posted] = await app.db.query<{ kind: string; payload: unknown }>(
    `SELECT kind, payload FROM outbox WHERE tenant_id = $1 AND status = 'sent'
        AND conversation->>'conversationId' = $2 ORDER BY id DESC LIMIT 1`,
    [app.config.tenantId, CHANNEL],
  );
  if (!posted) throw new Error('no escalation card was posted to copy as a refresh');
  return {
    tenantId: app.config.tenantId,
    conversations: refreshConversations(serviceUrl, channels),
    card: { kind: posted.kind, payload: parseJson(posted.payload) },
  };
}

/** `count` channels of the bench team whose posted cards the queued refreshes update. */
export function refreshConversations(serviceUrl: string, count: number): ConversationRef[] {
  return Array.from({ length: count }, (_, i) => ({
    serviceUrl,
    conversationId: `19:bench-refresh-${i}@thread.tacv2`,
    channelId: 'msteams',
    tenantId: 'bench-tenant',
    botId: '28:bot',
    conversationType: 'channel',
    label: `Bench refreshes ${i}`,
  }));
}
