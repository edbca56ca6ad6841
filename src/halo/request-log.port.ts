/**
 * Where the request budget keeps the HaloPSA requests it spent, so that what HaloPSA still counts
 * in its rolling window survives a restart and is seen by a second instance. The database keeps it
 * in production (`halo_request_log`); replay and the CLIs keep it in memory.
 */

/** One request HaloPSA counts against the window. */
export interface LoggedRequest {
  /** Stable across its updates: recorded when the slot is reserved, again when it is answered. */
  id: string;
  /**
   * Epoch milliseconds HaloPSA counts it from, at the latest: the reservation until the answer
   * arrives, then the answer's time (HaloPSA received the request somewhere in between).
   */
  atMs: number;
}

/** The spent requests of one HaloPSA instance (one tenant). */
export interface RequestLog {
  /** Requests counted at or after `sinceMs`, in any order. */
  since(sinceMs: number): Promise<LoggedRequest[]>;
  /**
   * Adds a request, or moves an existing one (same id) to a later time; also forgets the requests
   * counted before `forgetBeforeMs`, when given.
   */
  record(request: LoggedRequest, forgetBeforeMs?: number): Promise<void>;
}
