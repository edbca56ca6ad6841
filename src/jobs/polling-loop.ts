import { realSleep, systemClock, type Clock, type Sleep } from '../shared/clock';

/**
 * What one cycle of a polling loop found: `'again'` when it did work (run the next cycle at once), else
 * when the next piece of work becomes due (null: nothing is waiting).
 */
export type CycleOutcome = 'again' | Date | null;

/** Everything a polling loop needs. */
export interface PollingLoopOptions {
  /** One cycle of work (claim, perform, report). */
  cycle: () => Promise<CycleOutcome>;
  /** Longest wait between cycles when idle, in ms. */
  pollMs: number;
  /** A cycle threw: the loop logs through this and carries on. */
  onError: (error: unknown) => void;
  clock?: Clock;
  sleep?: Sleep;
  /**
   * Pokes arriving within this many ms of each other wake the loop once, this long after the last
   * of them (and at most ten times as long after the first): a burst of clicks is answered before
   * the work it leaves is done, and that work is claimed in one cycle. 0 (the default) wakes at once.
   */
  pokeQuietMs?: number;
}

/**
 * The background loop of the outbox and write-back dispatchers: runs a cycle, then sleeps until the
 * next work is due (at most `pollMs`) or until poked. A poke that arrives while a cycle runs is not
 * lost: the next cycle starts at once.
 */
export class PollingLoop {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake = new AbortController();
  /** A coalesced poke's wake-up, and when the first poke it stands for came (`pokeQuietMs`). */
  private pokeTimer: NodeJS.Timeout | null = null;
  private firstPokeAt: number | null = null;

  constructor(private readonly options: PollingLoopOptions) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  poke(): void {
    const quiet = this.options.pokeQuietMs ?? 0;
    if (quiet <= 0 || this.stopping) {
      this.wakeNow();
      return;
    }
    // Timers, not the injected sleep: this only orders the loop's work after the answers.
    const now = performance.now();
    this.firstPokeAt ??= now;
    if (this.pokeTimer !== null) clearTimeout(this.pokeTimer);
    this.pokeTimer = setTimeout(
      () => this.wakeNow(),
      Math.max(0, Math.min(quiet, this.firstPokeAt + quiet * 10 - now)),
    );
    this.pokeTimer.unref();
  }

  private wakeNow(): void {
    if (this.pokeTimer !== null) clearTimeout(this.pokeTimer);
    this.pokeTimer = null;
    this.firstPokeAt = null;
    this.wake.abort();
  }

  /** Stops the loop and waits for the current cycle to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeNow();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let waitMs = this.options.pollMs;
      try {
        const outcome = await this.options.cycle();
        if (outcome === 'again') continue;
        if (outcome !== null) {
          waitMs = Math.min(
            this.options.pollMs,
            Math.max(0, outcome.getTime() - this.clock.now().getTime()),
          );
        }
      } catch (error) {
        this.options.onError(error);
      }
      if (this.stopping) break;
      if (this.wake.signal.aborted) {
        this.wake = new AbortController();
        continue;
      }
      await this.sleep(waitMs, this.wake.signal);
      if (this.wake.signal.aborted) this.wake = new AbortController();
    }
  }
}
