/**
 * Decisions being recorded in this process, by subject (a gate, a concession). Many deciders of one
 * subject at once (fifty approvers pressing Approve) share one read, so all of them judge it
 * undecided. One records its decision; the others wait for it and judge again on the subject as that
 * decision left it (a decided subject stays decided, so a refusal judged on that is true) instead of
 * each opening a transaction that can only lose the compare-and-set. A decision that failed leaves
 * nothing to judge on: its waiters read again. Across processes the compare-and-set still decides.
 */
export class DecisionsInFlight<Left> {
  private readonly pending = new Map<string, Promise<Left | null>>();
  /** Counts settled decisions: a read's ticket is the count when it began. */
  private settled = 0;
  /** The tickets of the reads in flight through `read`, with how many hold each. */
  private readonly tickets = new Map<number, number>();
  /**
   * The latest decision on each subject that settled while reads were in flight, with its count:
   * only reads begun before it can need it, so it is dropped once none of them is left.
   */
  private readonly recent = new Map<string, { count: number; left: Left }>();

  /**
   * @param newer Whether the subject as a decision left it is newer than a read found it (more
   *   decisions on the same version, say): a read that found a later state keeps it.
   */
  constructor(private readonly newer: (left: Left, found: Left) => boolean) {}

  /**
   * Reads the subject with `read`. When a decision on `key` was recorded while the read was in
   * flight, the read may have begun before it committed and show the subject undecided; the subject
   * as that decision left it is returned instead when it is newer than what was read, so the reader
   * is judged on it rather than opening a transaction that can only lose the compare-and-set.
   */
  async read(key: string, read: () => Promise<Left | null>): Promise<Left | null> {
    const ticket = this.settled;
    this.tickets.set(ticket, (this.tickets.get(ticket) ?? 0) + 1);
    try {
      const found = await read();
      const recent = this.recent.get(key);
      return found !== null &&
        recent !== undefined &&
        recent.count > ticket &&
        this.newer(recent.left, found)
        ? recent.left
        : found;
    } finally {
      const holders = this.tickets.get(ticket)! - 1;
      if (holders > 0) this.tickets.set(ticket, holders);
      else this.tickets.delete(ticket);
      this.forget();
    }
  }

  /** Drops the decisions no read in flight began before. */
  private forget(): void {
    if (this.tickets.size === 0) {
      this.recent.clear();
      return;
    }
    const oldest = Math.min(...this.tickets.keys());
    for (const [key, { count }] of this.recent) if (count <= oldest) this.recent.delete(key);
  }

  /**
   * The decision in flight on `key`, or null when there is none or it is `waited` (the one this
   * decider already waited for: whatever the map still holds, a decider never waits twice for the
   * same decision).
   */
  other(key: string, waited: Promise<Left | null> | null): Promise<Left | null> | null {
    const pending = this.pending.get(key);
    return pending !== undefined && pending !== waited ? pending : null;
  }

  /**
   * Awaits `decision` as the one in flight on `key`: until it settles, `other(key)` hands its
   * waiters a promise of `left(result)`, the subject as the decision left it (null when there is
   * nothing to judge on, such as a lost compare-and-set), or null when it failed.
   */
  async record<R>(key: string, decision: Promise<R>, left: (result: R) => Left | null): Promise<R> {
    const settled = decision.then(left, () => null);
    this.pending.set(key, settled);
    try {
      const result = await decision;
      this.settled += 1;
      const after = left(result);
      if (after !== null && this.tickets.size > 0)
        this.recent.set(key, { count: this.settled, left: after });
      return result;
    } finally {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    }
  }
}
