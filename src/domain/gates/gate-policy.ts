import type { EvidenceItem } from './evidence-pack';

/** How stage gates are run: mandatory evidence, when two approvers are needed, SLAs. */
export interface GatePolicy {
  /** Mandatory evidence when the baseline names none for the gate. */
  requiredEvidence: EvidenceItem[];
  /** Projects whose money budget is at or above this need two distinct approvers (null = never). */
  twoApproversFromBudget: number | null;
  /** Hours a gate may wait for a decision before the approvers get a reminder. */
  reminderAfterHours: number;
  /** Hours after which the delivery director is told (must be later than the reminder). */
  escalateAfterHours: number;
}

/** The policy when nothing is configured. */
export const DEFAULT_GATE_POLICY: GatePolicy = {
  requiredEvidence: ['deliverables', 'qa-outcomes', 'customer-acceptance', 'open-risks'],
  twoApproversFromBudget: 100_000,
  reminderAfterHours: 24,
  escalateAfterHours: 48,
};

/** How many distinct approvers a project's gate needs. */
export function requiredApprovals(policy: GatePolicy, projectMoneyBudget: number | null): 1 | 2 {
  if (policy.twoApproversFromBudget === null || projectMoneyBudget === null) return 1;
  return projectMoneyBudget >= policy.twoApproversFromBudget ? 2 : 1;
}
