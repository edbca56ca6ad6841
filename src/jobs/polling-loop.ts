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
    this.wake.abort();
  }

  /** Stops the loop and waits for the current cycle to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
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
