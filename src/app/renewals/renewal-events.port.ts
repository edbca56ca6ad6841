/** One renewal timeline event as stored. */
export interface RenewalEventRow {
  id: number;
  contractId: number;
  at: string;
  kind: string;
  actor: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

/** The renewal timeline of one tenant's contracts: every intervention and outcome. */
export interface RenewalEvents {
  addEvent(e: Omit<RenewalEventRow, 'id'>): Promise<void>;
  /** A contract's timeline events in order. */
  events(contractId: number): Promise<RenewalEventRow[]>;
}
