/** A logged customer checkpoint. */
export interface CheckpointRow {
  id: number;
  contractId: number;
  stage: '90' | '60' | '30';
  meetingOn: string;
  notes: string;
  ownerCall: string;
  score: number | null;
  band: string | null;
  disagrees: boolean;
  routedTo: string | null;
  loggedBy: { name: string; email: string | null; aadObjectId: string | null };
  loggedAt: string;
}

/** The customer checkpoints logged on one tenant's contracts. */
export interface RenewalCheckpoints {
  addCheckpoint(c: Omit<CheckpointRow, 'id'>): Promise<number>;
  /** A contract's checkpoints, oldest first (or every contract's when `contractId` is null). */
  checkpoints(contractId: number | null): Promise<CheckpointRow[]>;
}
