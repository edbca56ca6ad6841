/**
 * What the exports read that no other read side lists whole: every open escalation, every gate
 * with its decisions and every concession request of the tenant (the adapter is bound to a tenant).
 */

/** An open escalation as a line of the risk register. */
export interface RiskEscalationRecord {
  escalationId: string;
  projectId: number;
  projectName: string;
  clientId: number | null;
  clientName: string;
  cause: string;
  severity: string;
  status: string;
  ownerName: string | null;
  mitigationOwnerName: string | null;
  /** The latest note a person left on it (the mitigation in their words), if any. */
  mitigation: string | null;
  openedAt: string;
  /** When it must be acted on next: the snooze end, else the acknowledgement deadline. */
  dueAt: string | null;
}

/** One decision on a gate (or the gate alone while nobody has decided yet). */
export interface GateDecisionRecord {
  gateId: string;
  projectId: number;
  projectName: string;
  clientName: string;
  milestoneName: string;
  status: string;
  packVersion: number;
  packHash: string;
  requestedAt: string;
  gateDecidedAt: string | null;
  outcome: string | null;
  approverName: string | null;
  comment: string | null;
  decidedAt: string | null;
}

/** A concession request with its contract and client. */
export interface ConcessionRecord {
  id: number;
  contractId: number;
  contractRef: string;
  clientId: number | null;
  clientName: string;
  discountPct: number;
  status: string;
  approverTier: string;
  reason: string;
  requestedByName: string;
  requestedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
}

/** How the tenant's escalations ended: confirmed by a person (acknowledged or resolved after a
 * human action) or marked false. */
export interface EscalationOutcomes {
  opened: number;
  confirmed: number;
  falsePositives: number;
  stillOpen: number;
}

export interface ExportRecords {
  /** HaloPSA agent names by agent id (as text), inactive ones included. */
  agentNames(): Promise<Map<string, string>>;
  /** Counts over every escalation the tenant ever had. */
  escalationOutcomes(): Promise<EscalationOutcomes>;
  /** Open, acknowledged and snoozed escalations, most severe and oldest first. */
  openEscalations(): Promise<RiskEscalationRecord[]>;
  /** Every gate and its decisions, newest request first. */
  gateDecisions(): Promise<GateDecisionRecord[]>;
  /** Every concession request, newest first. */
  concessions(): Promise<ConcessionRecord[]>;
}
