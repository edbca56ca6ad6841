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
      return await decision;
    } finally {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    }
  }
}
