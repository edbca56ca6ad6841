import type { ReadinessAssessment, ReadinessChange } from '../../domain/renewals';

/** A stored readiness snapshot (one per contract per day). */
export interface RenewalSnapshotRow {
  contractId: number;
  clientId: number | null;
  date: string;
  score: number;
  band: string;
  confidence: number;
  flagged: boolean;
  flagCause: string | null;
  flagSeverity: string | null;
  endDate: string | null;
  stage: string;
  assessment: ReadinessAssessment;
  changes: ReadinessChange;
  dataQuality: string[];
  /** The renewal policy version the judgement was taken under (defaults to the assessment's). */
  policyVersion?: number | null;
}

/** The daily readiness snapshots of one tenant's contracts. */
export interface ReadinessSnapshots {
  /** The latest snapshot before `date` per contract (the "previous" for what-changed and hysteresis). */
  previousSnapshots(date: string): Promise<Map<number, RenewalSnapshotRow>>;
  /** The latest snapshot per contract (on or before `date` when given). */
  latestSnapshots(date?: string): Promise<RenewalSnapshotRow[]>;
  /** One contract's snapshots, oldest first (the trend). */
  snapshots(contractId: number, limit?: number): Promise<RenewalSnapshotRow[]>;
  /** Stores (or replaces) the day's snapshot of a contract. */
  saveSnapshot(s: RenewalSnapshotRow, now: Date): Promise<void>;
}
