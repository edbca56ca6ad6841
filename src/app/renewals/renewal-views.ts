/**
 * What the renewal surfaces show (bot cards, tab API): plain view models built from stored data,
 * free of SDK types so both the bot and the API can use them.
 */

/** A driver line as a card shows it. */
export interface RenewalDriverView {
  label: string;
  explanation: string;
  /** Points taken off 100. */
  contribution: number;
}

/** One contract in the renewal pipeline. */
export interface RenewalPipelineItem {
  contractId: number;
  ref: string;
  clientId: number | null;
  clientName: string;
  contractType: string | null;
  endDate: string | null;
  daysToEnd: number | null;
  stage: '90' | '60' | '30' | 'none' | 'expired';
  score: number | null;
  band: string;
  confidence: number | null;
  ownerName: string | null;
  flagged: boolean;
  flagCause: string | null;
  topDriver: string | null;
  dataQuality: string[];
}

/** A renewal stage card: the contract, its readiness and the stage's tasks. */
export interface RenewalStageView {
  contractId: number;
  ref: string;
  clientName: string;
  stage: '90' | '60' | '30';
  endDate: string;
  daysToEnd: number;
  ownerName: string | null;
  score: number;
  band: string;
  confidence: number;
  drivers: RenewalDriverView[];
  flagged: boolean;
  flagCause: string | null;
  tasks: Array<{ title: string; dueDate: string; mandatory: boolean; done: boolean }>;
  checkpointDueOn: string;
  status: 'open' | 'checkpoint-logged' | 'escalated' | 'closed';
  /** Why the card changed ("Checkpoint missed: escalated to the cs lead"), if it did. */
  notice: string | null;
  /**
   * Entra object ids of the contract's owner (its account manager's sign-ins): the posted card's
   * `refresh.userIds`, so the owner sees the actions. Absent on cards queued before it existed.
   */
  ownerAadObjectIds?: string[];
  /** The uplift opportunities waiting for the customer's answer (absent: not shown). */
  uplift?: UpliftLineView[];
  /** The concession request waiting for a decision, if any (absent: not shown). */
  pendingConcession?: {
    id: number;
    discountPct: number;
    approverTier: 'cs_lead' | 'msp_owner';
  } | null;
}

/** A proposed uplift opportunity as a card shows it. */
export interface UpliftLineView {
  id: string;
  kind: string;
  subject: string;
  estimatedMonthlyUplift: number;
  /** The first line of evidence behind the estimate. */
  evidence: string | null;
}

/** What one discount depth would mean, shown on the concession form before submitting. */
export interface ConcessionDepthPreview {
  depthPct: number;
  monthlyAfter: number;
  marginAfterPct: number | null;
  approverTier: 'cs_lead' | 'msp_owner';
}

/** The concession request form: the contract's figures, precedent and what each depth means. */
export interface ConcessionFormView {
  contractId: number;
  ref: string;
  clientName: string;
  monthlyValue: number;
  marginNowPct: number | null;
  precedentAvgDepthPct: number | null;
  precedentCount: number;
  csLeadMaxPct: number;
  maxPct: number;
  minMarginAfterPct: number;
  depths: ConcessionDepthPreview[];
  /** The request already waiting on this contract (only one may be pending). */
  pending: { id: number; discountPct: number } | null;
}

/** A concession request as its approval card shows it. */
export interface ConcessionView {
  id: number;
  contractId: number;
  ref: string;
  clientName: string;
  discountPct: number;
  reason: string;
  monthlyRevenueBefore: number;
  monthlyRevenueAfter: number;
  marginBeforePct: number | null;
  marginAfterPct: number | null;
  retention: string;
  expectedMonthlyRevenueDelta: number;
  precedentAvgDepthPct: number | null;
  precedentCount: number;
  approverTier: 'cs_lead' | 'msp_owner';
  tierReasons: string[];
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  version: number;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** Entra object ids of the people who may decide (the card's `refresh.userIds`). */
  approverAadObjectIds: string[];
}

/** What a concession request would come to, shown to the requester before they submit it. */
export interface ConcessionPreview {
  contractId: number;
  discountPct: number;
  monthlyRevenueBefore: number;
  monthlyRevenueAfter: number;
  marginBeforePct: number | null;
  marginAfterPct: number | null;
  renewalProbabilityBefore: number;
  renewalProbabilityAfter: number;
  expectedMonthlyRevenueDelta: number;
  retention: string;
  precedentAvgDepthPct: number | null;
  precedentCount: number;
  approverTier: 'cs_lead' | 'msp_owner';
  tierReasons: string[];
  /** Why it would be refused as it stands (e.g. deeper than the policy allows); empty when fine. */
  problems: string[];
}
