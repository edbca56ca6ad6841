/**
 * Work a use case starts once it knows its answer and does not make the asker wait for: a refusal's
 * audit entry (fifty approvers pressing Approve at once get forty-nine refusals, which need not wait
 * for their batch to be written), a decision's evidence-pack archive. Only what changes nothing or
 * can be made good later goes here: what must survive a crash once the asker is told is written
 * before answering. Nothing awaits the work but `idle()` (shutdown and tests); a failure goes to
 * `failed`, since no caller is left to tell.
 */
export class FollowUps {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly failed: (error: unknown) => void) {}

  /** Starts `work` now, without waiting for it. */
  add(work: () => Promise<unknown>): void {
    let started: Promise<unknown>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error);
    }
    const tracked: Promise<void> = started
      .then(
        () => undefined,
        (error: unknown) => this.failed(error),
      )
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Resolves when the work started so far, and any it started in turn, has run. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
