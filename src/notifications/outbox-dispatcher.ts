import type { Db } from '../store/db';
import { OutboxRepository, type OutboxRow } from '../store/outbox.repository';
import type {
  ActivityRenderer,
  ConnectorPort,
  ConnectorResult,
  ConversationRef,
  OutboundActivity,
} from '../app/ports/notifications.port';
import {
  ACTIVITY_FEED_KIND,
  type ActivityFeedPayload,
  type PersonalDeliveryPort,
} from '../app/ports/personal-delivery.port';
import { PollingLoop } from '../jobs/polling-loop';
import { realSleep, systemClock, type Clock, type Sleep } from '../shared/clock';
import {
  SlidingWindowLimiter,
  TEAMS_CONVERSATION_WINDOWS,
  TEAMS_TENANT_WINDOWS,
  type RateWindow,
} from './rate-limiter';
import { DEFAULT_RETRY_POLICY, retryDecision, type RetryPolicyOptions } from './retry-policy';

/** Logging the dispatcher needs (pino's shape). */
export interface DispatcherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Test seams: called at the two points where a crash matters. Production passes none. */
export interface DispatcherHooks {
  /** After the rows are claimed (marked `sending`), before anything is sent. */
  afterClaim?: (rows: readonly OutboxRow[]) => Promise<void>;
  /** After the connector accepted a row, before the activity id is recorded. */
  afterSend?: (row: OutboxRow, result: ConnectorResult) => Promise<void>;
}

/** Everything the dispatcher needs; the composition root provides it. */
export interface OutboxDispatcherDeps {
  db: Db;
  tenantId: string;
  /** Unique per process: claims and the dispatcher lease carry it. */
  instanceId: string;
  connector: ConnectorPort;
  renderer: ActivityRenderer;
  /** Delivery to people (rows with a recipient); without it such rows fail. */
  personal?: PersonalDeliveryPort;
  logger: DispatcherLogger;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Rows claimed per cycle (default 25). */
  batchSize?: number;
  /** How long a claim and the dispatcher lease last without renewal (default 60 s). */
  leaseMs?: number;
  /** Longest idle wait between polls in the background loop (default 5 s). */
  pollMs?: number;
  /**
   * How long the loop waits for pokes to stop before it wakes (default 20 ms): the work a burst of
   * clicks queues is done after their answers, in one cycle (`PollingLoop`'s `pokeQuietMs`).
   */
  pokeQuietMs?: number;
  conversationWindows?: readonly RateWindow[];
  tenantWindows?: readonly RateWindow[];
  retry?: RetryPolicyOptions;
  hooks?: DispatcherHooks;
}

/** What one cycle did. */
export interface CycleReport {
  /** False when another instance holds the dispatcher lease (nothing was claimed; `nextWakeAt` says when to retry). */
  leader: boolean;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Claimed rows handed back untried (their conversation hit a rate limit, or waited on an original). */
  deferred: number;
  /** When something becomes due next (null when the outbox has no waiting rows). */
  nextWakeAt: Date | null;
}

/** Totals of a drain. */
export interface DrainReport {
  cycles: number;
  sent: number;
  retried: number;
  failed: number;
}

const TENANT_KEY = 'tenant';
const WAIT_FOR_ORIGINAL_MS = 1_000;

/**
 * Delivers outbox rows through the connector: at least once, in order per conversation, within the
 * Teams rate limits, retrying transient failures.
 *
 * Guarantee: a committed row is delivered or ends `failed` (never silently dropped). A row is marked
 * `sending` under a lease before the call; if the process dies before the call, the row is re-claimed
 * when the lease ends and posted once. If it dies after the connector accepted the post but before the
 * activity id is committed (a window of one UPDATE), the row is posted again: at-least-once, and the
 * repeat carries the same `channelData.controlTower.dedupeKey`. Updates are idempotent PUTs.
 *
 * One instance per tenant dispatches at a time (a lease row), so the in-memory rate limiter is the only
 * sender; it is seeded from the outbox's delivery times when an instance takes over.
 */
export class OutboxDispatcher {
  private readonly repo: OutboxRepository;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly conversations: SlidingWindowLimiter;
  private readonly tenant: SlidingWindowLimiter;
  private readonly retryOptions: RetryPolicyOptions;
  private readonly loop: PollingLoop;
  private isLeader = false;

  constructor(private readonly deps: OutboxDispatcherDeps) {
    this.repo = new OutboxRepository(deps.tenantId);
    this.clock = deps.clock ?? systemClock;
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
    this.batchSize = deps.batchSize ?? 25;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.conversations = new SlidingWindowLimiter(
      deps.conversationWindows ?? TEAMS_CONVERSATION_WINDOWS,
    );
    this.tenant = new SlidingWindowLimiter(deps.tenantWindows ?? TEAMS_TENANT_WINDOWS);
    this.retryOptions = deps.retry ?? DEFAULT_RETRY_POLICY;
    this.loop = new PollingLoop({
      cycle: async () => {
        const report = await this.runOnce();
        return report.claimed > 0 ? 'again' : report.nextWakeAt;
      },
      pollMs: deps.pollMs ?? 5_000,
      pokeQuietMs: deps.pokeQuietMs ?? 20,
      onError: (error) =>
        deps.logger.error({ tenantId: deps.tenantId, err: error }, 'outbox cycle failed'),
      clock: this.clock,
      sleep: this.sleep,
    });
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    this.loop.start();
  }

  /** Wakes the background loop now (call after enqueueing something urgent). */
  poke(): void {
    this.loop.poke();
  }

  /** Stops the loop, waits for the current cycle, and releases the lease. */
  async stop(): Promise<void> {
    await this.loop.stop();
    if (this.isLeader) {
      await this.repo.releaseLease(this.deps.db, this.deps.instanceId);
      this.isLeader = false;
    }
  }

  /** Runs cycles until nothing is waiting, sleeping (with the injected sleep) until rows become due. */
  async drain(maxCycles = 100_000): Promise<DrainReport> {
    const total: DrainReport = { cycles: 0, sent: 0, retried: 0, failed: 0 };
    while (total.cycles < maxCycles) {
      const report = await this.runOnce();
      total.cycles += 1;
      total.sent += report.sent;
      total.retried += report.retried;
      total.failed += report.failed;
      if (report.nextWakeAt === null) return total;
      if (!report.leader || report.claimed === 0) {
        await this.sleep(Math.max(0, report.nextWakeAt.getTime() - this.clock.now().getTime()));
      }
    }
    return total;
  }

  /** One cycle: take the lease, claim due rows, deliver them in order. */
  async runOnce(): Promise<CycleReport> {
    const report: CycleReport = {
      leader: false,
      claimed: 0,
      sent: 0,
      retried: 0,
      failed: 0,
      deferred: 0,
      nextWakeAt: null,
    };
    const lease = await this.takeLease();
    if (!lease.held) {
      // Another instance dispatches; try again when its lease would run out.
      report.nextWakeAt = lease.heldUntil;
      return report;
    }
    report.leader = true;

    const rows = await this.claimDue();
    report.claimed = rows.length;
    await this.deps.hooks?.afterClaim?.(rows);

    const handedBack = new Set<number>();
    for (const row of rows) {
      if (handedBack.has(row.id)) continue;
      const outcome = await this.deliver(row);
      if (outcome === 'sent') report.sent += 1;
      else if (outcome === 'retried') report.retried += 1;
      else if (outcome === 'failed') report.failed += 1;
      else if (outcome === 'throttled' || outcome === 'deferred') {
        // Keep the conversation's order: every later claimed row of it goes back too.
        const sameConversation = rows.filter(
          (other) =>
            other.conversationKey === row.conversationKey &&
            other.id !== row.id &&
            !handedBack.has(other.id) &&
            rows.indexOf(other) > rows.indexOf(row),
        );
        const until = new Date(this.clock.now().getTime() + this.waitFor(row));
        await this.repo.reschedule(
          this.deps.db,
          sameConversation.map((other) => other.id),
          this.deps.instanceId,
          until,
          null,
          false,
        );
        for (const other of sameConversation) handedBack.add(other.id);
        report.deferred += 1 + sameConversation.length;
      }
    }
    report.nextWakeAt = await this.nextWakeAt();
    return report;
  }

  /** Claims due rows for this instance, skipping conversations the rate limiter holds back. */
  async claimDue(): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const blocked = [...this.conversations.blockedKeys(now.getTime()).keys()];
    return this.repo.claim(
      this.deps.db,
      this.deps.instanceId,
      now,
      new Date(now.getTime() + this.leaseMs),
      this.batchSize,
      blocked,
    );
  }

  private async takeLease(): Promise<{ held: true } | { held: false; heldUntil: Date }> {
    const now = this.clock.now();
    const lease = await this.repo.acquireLease(
      this.deps.db,
      this.deps.instanceId,
      now,
      new Date(now.getTime() + this.leaseMs),
    );
    const held = lease.held;
    if (held && !this.isLeader) {
      // Another instance may have been sending a moment ago: its sends count against the limits.
      const recent = await this.repo.deliveriesSince(
        this.deps.db,
        new Date(now.getTime() - 3_600_000),
      );
      for (const send of recent) {
        this.conversations.record(send.conversationKey, send.at.getTime());
        this.tenant.record(TENANT_KEY, send.at.getTime());
      }
      this.deps.logger.info({ tenantId: this.deps.tenantId }, 'outbox dispatcher took the lease');
    }
    this.isLeader = held;
    return lease;
  }

  private waitFor(row: OutboxRow): number {
    if (row.conversationKey === null) return WAIT_FOR_ORIGINAL_MS;
    const delay = this.conversations.delayFor(row.conversationKey, this.clock.now().getTime());
    return delay > 0 ? delay : WAIT_FOR_ORIGINAL_MS;
  }

  private async deliver(
    row: OutboxRow,
  ): Promise<'sent' | 'retried' | 'failed' | 'throttled' | 'deferred' | 'skipped'> {
    const { db, instanceId, logger, tenantId } = this.deps;
    const log = { tenantId, outboxId: row.id, dedupeKey: row.dedupeKey, attempts: row.attempts };
    const feed = row.recipient !== null && row.kind === ACTIVITY_FEED_KIND;
    let conversation: ConversationRef | null = row.conversation;
    if (row.recipient !== null) {
      // A feed entry needs the app installed for the person too, and waits with their messages.
      const reached = await this.reachPerson(row, row.recipient);
      if (!reached.ok) return reached.outcome;
      if (!feed) conversation = reached.conversation;
    }
    if ((!feed && conversation === null) || row.conversationKey === null) {
      await this.repo.finish(db, row.id, instanceId, 'failed', 'no conversation');
      return 'failed';
    }

    let targetActivityId: string | null = row.targetActivityId;
    if (row.updateOf !== null && (await this.repo.hasNewerUpdate(db, row))) {
      await this.repo.finish(db, row.id, instanceId, 'superseded', 'a newer update exists');
      return 'skipped';
    }
    if (row.updateOf !== null && targetActivityId === null) {
      const original = await this.repo.byDedupeKey(db, row.updateOf);
      if (original?.status === 'sent' && original.activityId !== null) {
        targetActivityId = original.activityId;
      } else if (original && (original.status === 'pending' || original.status === 'sending')) {
        await this.repo.reschedule(
          db,
          [row.id],
          instanceId,
          new Date(this.clock.now().getTime() + WAIT_FOR_ORIGINAL_MS),
          'waiting for the original post',
          false,
        );
        return 'deferred';
      } else {
        await this.repo.finish(
          db,
          row.id,
          instanceId,
          'failed',
          `original ${row.updateOf} was not posted`,
        );
        return 'failed';
      }
    }

    const rendered: { ok: true; activity: OutboundActivity } | { ok: false; reason: string } = feed
      ? { ok: true, activity: { type: 'message' } }
      : this.deps.renderer.render(row.kind, row.payload);
    if (!rendered.ok) {
      logger.error({ ...log, reason: rendered.reason }, 'outbox row cannot be rendered');
      await this.repo.finish(db, row.id, instanceId, 'failed', `render: ${rendered.reason}`);
      return 'failed';
    }

    let nowMs = this.clock.now().getTime();
    if (this.conversations.delayFor(row.conversationKey, nowMs) > 0) {
      await this.repo.reschedule(
        db,
        [row.id],
        instanceId,
        new Date(nowMs + this.conversations.delayFor(row.conversationKey, nowMs)),
        null,
        false,
      );
      return 'throttled';
    }
    const tenantDelay = this.tenant.delayFor(TENANT_KEY, nowMs);
    if (tenantDelay > 0) {
      // At most a second: cheaper to wait than to hand the row back.
      await this.sleep(tenantDelay);
      nowMs = this.clock.now().getTime();
    }
    if (row.attempts > 1 && row.updateOf === null && row.lastError === null) {
      logger.warn(
        log,
        're-sending a row whose previous sender stopped mid-send (possible duplicate)',
      );
    }

    const activity = {
      ...rendered.activity,
      channelData: {
        ...rendered.activity.channelData,
        controlTower: { dedupeKey: row.dedupeKey },
      },
    };
    this.conversations.record(row.conversationKey, nowMs);
    this.tenant.record(TENANT_KEY, nowMs);
    const result = feed
      ? await this.notifyFeed(row)
      : targetActivityId === null
        ? await this.deps.connector.send(conversation!, activity)
        : await this.deps.connector.update(conversation!, targetActivityId, activity);

    if (result.ok) {
      await this.deps.hooks?.afterSend?.(row, result);
      const activityId = targetActivityId ?? result.activityId;
      // An update answers with its own id (or none): keep the id of the activity that was replaced.
      await this.repo.markSent(db, row.id, instanceId, activityId, this.clock.now());
      return 'sent';
    }

    const now = this.clock.now();
    if (result.status === 429) {
      const wait = result.retryAfterMs ?? 1_000;
      this.conversations.blockUntil(row.conversationKey, now.getTime() + wait);
    }
    const decision = retryDecision(result, row.attempts, this.random, this.retryOptions);
    const error = `${result.status}: ${result.message}`.slice(0, 500);
    if (decision.retry) {
      logger.warn(
        { ...log, status: result.status, delayMs: decision.delayMs },
        'delivery will be retried',
      );
      await this.repo.reschedule(
        db,
        [row.id],
        instanceId,
        new Date(now.getTime() + decision.delayMs),
        error,
        true,
      );
      return 'retried';
    }
    logger.error({ ...log, status: result.status, error }, 'delivery failed for good');
    await this.repo.finish(db, row.id, instanceId, 'failed', error);
    return 'failed';
  }

  /**
   * The 1:1 conversation of a personal row's person. When the tenant refused the proactive install
   * the row waits `unrouted` (queued again when the person says hi); a Graph or connector failure
   * is retried like a failed send.
   */
  private async reachPerson(
    row: OutboxRow,
    recipient: string,
  ): Promise<
    { ok: true; conversation: ConversationRef } | { ok: false; outcome: 'retried' | 'failed' }
  > {
    const { db, instanceId, logger, tenantId } = this.deps;
    const personal = this.deps.personal;
    if (personal === undefined) {
      await this.repo.finish(db, row.id, instanceId, 'failed', 'personal delivery is not set up');
      return { ok: false, outcome: 'failed' };
    }
    const reached = await personal.conversationWith(recipient);
    if (reached.ok) return reached;
    if (reached.kind === 'not-installed') {
      await this.repo.finish(db, row.id, instanceId, 'unrouted', reached.message);
      return { ok: false, outcome: 'failed' };
    }
    const failure: ConnectorResult = {
      ok: false,
      status: reached.status,
      retryAfterMs: reached.retryAfterMs,
      message: reached.message,
    };
    const decision = retryDecision(failure, row.attempts, this.random, this.retryOptions);
    const error = `${reached.status}: ${reached.message}`.slice(0, 500);
    if (decision.retry) {
      await this.repo.reschedule(
        db,
        [row.id],
        instanceId,
        new Date(this.clock.now().getTime() + decision.delayMs),
        error,
        true,
      );
      return { ok: false, outcome: 'retried' };
    }
    logger.error({ tenantId, outboxId: row.id, error }, 'cannot reach the person');
    await this.repo.finish(db, row.id, instanceId, 'failed', error);
    return { ok: false, outcome: 'failed' };
  }

  private notifyFeed(row: OutboxRow): Promise<ConnectorResult> {
    return this.deps.personal === undefined
      ? Promise.resolve({
          ok: false,
          status: 501,
          retryAfterMs: null,
          message: 'personal delivery is not set up',
        })
      : this.deps.personal.notifyActivityFeed(row.recipient!, row.payload as ActivityFeedPayload);
  }

  private async nextWakeAt(): Promise<Date | null> {
    const nowMs = this.clock.now().getTime();
    const blocked = this.conversations.blockedKeys(nowMs);
    const waiting = new Set(await this.repo.waitingConversationKeys(this.deps.db));
    const excluded = [...blocked.keys()];
    let next = await this.repo.nextDueAt(this.deps.db, excluded);
    for (const [key, until] of blocked) {
      if (!waiting.has(key)) continue;
      if (next === null || until < next.getTime()) next = new Date(until);
    }
    return next;
  }
}
