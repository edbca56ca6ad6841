/** The stage card of the renewals channel: its outbox key and its view. */
import { daysBetween } from '../../domain/shared/dates';
import type { ReadinessAssessment } from '../../domain/renewals';
import type { ConcessionApprovers } from './concession-requests.port';
import type { ContractLabel } from './contract-catalog.port';
import type { StageTaskRow } from './renewal-stages.port';
import type { RenewalStageView } from './renewal-views';

/** The outbox dedupe key of a contract's stage card. */
export function stageCardKey(contractId: number, stage: string): string {
  return `renewal-stage:${contractId}:${stage}`;
}

/** Roles that own a contract's renewal steps: the account manager named in HaloPSA. */
export const OWNER_ROLES = ['account_manager'] as const;

/** The Entra object ids of the contract owner's sign-ins (the stage card's `refresh.userIds`). */
export async function ownerAadObjectIds(
  approvers: ConcessionApprovers,
  label: ContractLabel | undefined,
): Promise<string[]> {
  return label?.ownerEmail ? approvers.aadObjectIdsWithEmail(label.ownerEmail, OWNER_ROLES) : [];
}

/** The stage card's view from a stored stage, its contract and the latest readiness. */
export function stageView(
  stage: StageTaskRow,
  label: ContractLabel | undefined,
  assessment: ReadinessAssessment,
  flag: { flagged: boolean; cause: string | null },
  asOf: string,
  notice: string | null,
  ownerAadObjectIds: readonly string[] = [],
): RenewalStageView {
  return {
    contractId: stage.contractId,
    ref: label?.ref ?? `Contract ${stage.contractId}`,
    clientName: label?.clientName ?? 'Unknown client',
    stage: stage.stage,
    endDate: stage.endDate,
    daysToEnd: daysBetween(asOf, stage.endDate),
    ownerName: label?.ownerName ?? null,
    score: assessment.score,
    band: assessment.band,
    confidence: assessment.confidence,
    drivers: assessment.drivers
      .filter((d) => d.contribution > 0)
      .slice(0, 3)
      .map((d) => ({ label: d.label, explanation: d.explanation, contribution: d.contribution })),
    flagged: flag.flagged,
    flagCause: flag.cause,
    tasks: stage.tasks.map((t) => ({
      title: t.title,
      dueDate: t.dueDate,
      mandatory: t.mandatory,
      done: t.completedOn !== null,
    })),
    checkpointDueOn: stage.checkpointDueOn,
    status: stage.status,
    notice,
    ownerAadObjectIds: [...ownerAadObjectIds],
  };
}
