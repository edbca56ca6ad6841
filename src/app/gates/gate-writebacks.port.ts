/** The HaloPSA write-back queue as gate decisions see it (the SQL adapter is src/store/gate-writebacks.repository.ts). */

/** A HaloPSA write to perform later from the write-back queue. */
export interface GateWritebackIntent {
  dedupeKey: string;
  kind: 'note' | 'milestone-complete';
  subjectType: string;
  subjectId: string;
  ticketId: number;
  payload: Record<string, unknown>;
  /** Text the written record carries, so a retry can tell whether the write already happened. */
  marker: string;
}

/** Queues HaloPSA writes in the deciding transaction; a second intent with the same key is ignored. */
export interface GateWritebacks {
  /** Queues `intents` in order, in one write. */
  enqueue(intents: readonly GateWritebackIntent[], now: string): Promise<void>;
}
