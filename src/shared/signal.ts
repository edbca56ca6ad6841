/**
 * "Something changed, look now": a use case notifies after its transaction committed work for a
 * background loop (the outbox, the HaloPSA write-back queue); the loop subscribes. Created once by the
 * composition root and injected into both sides, so nothing is late-bound.
 */
export interface Signal {
  notify(): void;
}

/** A signal that calls every subscriber on each notify. */
export class ChangeSignal implements Signal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every notify until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
