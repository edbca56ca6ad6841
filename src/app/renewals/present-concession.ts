/** The card / API view of a stored concession, and the decided concessions a new one is compared to. */
import {
  TIER_APPROVER_ROLES,
  type ConcessionAssessment,
  type ConcessionPrecedent,
} from '../../domain/renewals';
import { billingPeriodMonths } from './build-contract-facts';
import type {
  ConcessionApprovers,
  ConcessionRequests,
  ConcessionRow,
} from './concession-requests.port';
import type { ContractCatalog, ContractLabel } from './contract-catalog.port';
import type { ConcessionView } from './renewal-views';

/** What a concession's view shows besides its row: its contract's label and its tier's approvers. */
export interface ConcessionViewParts {
  label: ContractLabel | undefined;
  /** Entra object ids holding a role of the request's approver tier. */
  approvers: string[];
}

/** The view of `row`, with the approvers who may see the decision buttons. */
export async function presentConcession(
  ports: { contracts: ContractCatalog; approvers: ConcessionApprovers },
  row: ConcessionRow,
): Promise<ConcessionView> {
  return concessionViewFrom(row, await readConcessionViewParts(ports, row));
}

/** The parts of `row`'s view besides the row, read side by side. */
export async function readConcessionViewParts(
  ports: { contracts: ContractCatalog; approvers: ConcessionApprovers },
  row: Pick<ConcessionRow, 'contractId' | 'approverTier'>,
): Promise<ConcessionViewParts> {
  const [labels, approvers] = await Promise.all([
    ports.contracts.contractLabels([row.contractId]),
    ports.approvers.aadObjectIdsWithRoles(TIER_APPROVER_ROLES[row.approverTier]),
  ]);
  return { label: labels.get(row.contractId), approvers };
}

/** The view of `row` from parts already read (no reads: e.g. a decision's card, built as it commits). */
export function concessionViewFrom(
  row: ConcessionRow,
  { label, approvers }: ConcessionViewParts,
): ConcessionView {
  const a = row.assessment as unknown as ConcessionAssessment;
  return {
    id: row.id,
    contractId: row.contractId,
    ref: label?.ref ?? `Contract ${row.contractId}`,
    clientName: label?.clientName ?? 'Unknown client',
    discountPct: row.discountPct,
    reason: row.reason,
    monthlyRevenueBefore: a.monthlyRevenueBefore,
    monthlyRevenueAfter: a.monthlyRevenueAfter,
    marginBeforePct: a.marginBeforePct,
    marginAfterPct: a.marginAfterPct,
    retention: a.expectedRetentionEffect.assumption,
    expectedMonthlyRevenueDelta: a.expectedRetentionEffect.expectedMonthlyRevenueDelta,
    precedentAvgDepthPct: a.precedentAvgDepthPct,
    precedentCount: a.precedentCount,
    approverTier: row.approverTier,
    tierReasons: a.tierReasons,
    status: row.status,
    version: row.version,
    requestedBy: row.requestedBy.name,
    requestedAt: row.requestedAt,
    decidedBy: row.decidedBy?.name ?? null,
    decidedAt: row.decidedAt,
    comment: row.comment,
    // The requester never sees the approve buttons (segregation of duties).
    approverAadObjectIds: approvers.filter((id) => id !== row.requestedBy.aadObjectId),
  };
}

/** Every decided concession with its contract's monthly value (the precedent for a new one). */
export async function concessionPrecedents(ports: {
  concessions: ConcessionRequests;
  contracts: ContractCatalog;
}): Promise<ConcessionPrecedent[]> {
  // An expired request was never decided: it is no precedent either way.
  const decided = (await ports.concessions.concessions(null)).filter(
    (c) => c.status === 'approved' || c.status === 'rejected',
  );
  if (decided.length === 0) return [];
  const money = await ports.contracts.contractMoney(decided.map((c) => c.contractId));
  return decided.map((c) => {
    const m = money.get(c.contractId);
    const months = billingPeriodMonths(m?.billingPeriod ?? null) ?? 1;
    return {
      contractId: String(c.contractId),
      monthlyValue: (m?.periodCharge ?? 0) / months,
      contractType: m?.contractType ?? null,
      discountPct: c.discountPct,
      outcome: c.status === 'approved' ? 'approved' : 'rejected',
    };
  });
}
