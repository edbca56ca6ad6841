/**
 * The 90/60/30-day renewal workflow: which stage a contract is in, the tasks each stage opens (owner,
 * stakeholder map, mandatory customer checkpoint), how an owner's call at a checkpoint is checked
 * against the computed readiness, and which missed checkpoints escalate.
 *
 * "Days to end" is `dayNumber(endDate) − dayNumber(asOf)` in whole UTC calendar days, where
 * `endDate` is the last day of the term: 0 on the end date itself, negative afterwards. Stages:
 * more than 90 → `none`; 61–90 → `90`; 31–60 → `60`; 0–30 → `30`; below 0 → `expired`.
 */
import { addDays, daysBetween, type IsoDate } from '../shared/dates';
import { type ReadinessBand, type RenewalPolicy } from './renewal-policy';

/** Workflow stage of a contract. */
export type RenewalStage = 'none' | '90' | '60' | '30' | 'expired';

/** The stages that open tasks, in order. */
export const ACTIVE_STAGES: readonly ('90' | '60' | '30')[] = ['90', '60', '30'];

/** Whole UTC days from `asOf` to the contract's last day (0 on the end date, negative after). */
export function daysToEnd(endDate: IsoDate, asOf: IsoDate): number {
  return daysBetween(asOf, endDate);
}

/**
 * The stage of a contract as of `asOf`. A contract without an end date (rolling) is `none`; it is
 * listed as a data-quality exception elsewhere.
 */
export function renewalStage(endDate: IsoDate | null, asOf: IsoDate): RenewalStage {
  if (endDate === null) return 'none';
  const d = daysToEnd(endDate, asOf);
  if (d < 0) return 'expired';
  if (d <= 30) return '30';
  if (d <= 60) return '60';
  if (d <= 90) return '90';
  return 'none';
}

/** The first day of a stage for a contract ending on `endDate` (day 90, 60 or 30 before the end). */
export function stageStartDate(endDate: IsoDate, stage: '90' | '60' | '30'): IsoDate {
  return addDays(endDate, -Number(stage));
}

/** Kinds of renewal tasks. */
export type RenewalTaskKind =
  | 'owner-assignment'
  | 'stakeholder-map'
  | 'customer-checkpoint'
  | 'renewal-proposal'
  | 'renewal-close';

/** Roles a stakeholder map must name. */
export type StakeholderRole = 'decision-maker' | 'champion' | 'billing-contact';

/** The stakeholder roles every map must fill. */
export const STAKEHOLDER_ROLES: readonly StakeholderRole[] = [
  'decision-maker',
  'champion',
  'billing-contact',
];

/** The owner's call at a checkpoint. */
export type OwnerCall = 'renew' | 'at-risk' | 'churn' | 'monitor';

/** A logged customer checkpoint: the meeting, its notes and the owner's call. */
export interface CheckpointLog {
  heldOn: IsoDate;
  notes: string;
  ownerCall: OwnerCall;
  loggedBy: string;
}

/** One task of a renewal stage. */
export interface RenewalTask {
  /** Stable id: `<contractId>:<stage>:<kind>` (idempotent re-opening). */
  id: string;
  contractId: string;
  stage: '90' | '60' | '30';
  kind: RenewalTaskKind;
  title: string;
  /** The client's account manager; null when HaloPSA names none (the cs lead must assign one). */
  ownerAgentId: string | null;
  /** Role that picks the task up when there is no owner. */
  fallbackRole: 'cs_lead' | null;
  openedOn: IsoDate;
  dueDate: IsoDate;
  mandatory: boolean;
  /** For a stakeholder map: the roles it must name. */
  requiredRoles: StakeholderRole[];
  completedOn: IsoDate | null;
  /** For a customer checkpoint once logged. */
  checkpoint: CheckpointLog | null;
}

/** The contract fields the workflow needs. */
export interface RenewalContractRef {
  contractId: string;
  endDate: IsoDate;
  accountManagerAgentId: string | null;
}

/**
 * The tasks a stage opens. 90 days: confirm the owner, map the stakeholders, hold the first
 * checkpoint. 60 days: re-confirm the stakeholder map, checkpoint, send the renewal proposal (with
 * uplift). 30 days: final checkpoint and close the renewal. Every checkpoint is mandatory and due
 * `checkpointDueDaysBeforeEnd[stage]` days before the end, so it is missed while the stage is
 * still running; other tasks are due at the end of their stage.
 */
export function stageTasks(
  stage: RenewalStage,
  contract: RenewalContractRef,
  policy: RenewalPolicy,
): RenewalTask[] {
  if (stage === 'none' || stage === 'expired') return [];
  const openedOn = stageStartDate(contract.endDate, stage);
  const stageEnd =
    stage === '30' ? contract.endDate : addDays(contract.endDate, -(Number(stage) - 29));
  const checkpointDue = addDays(contract.endDate, -policy.window.checkpointDueDaysBeforeEnd[stage]);
  const make = (
    kind: RenewalTaskKind,
    title: string,
    dueDate: IsoDate,
    mandatory: boolean,
    requiredRoles: StakeholderRole[] = [],
  ): RenewalTask => ({
    id: `${contract.contractId}:${stage}:${kind}`,
    contractId: contract.contractId,
    stage,
    kind,
    title,
    ownerAgentId: contract.accountManagerAgentId,
    fallbackRole: contract.accountManagerAgentId === null ? 'cs_lead' : null,
    openedOn,
    dueDate,
    mandatory,
    requiredRoles,
    completedOn: null,
    checkpoint: null,
  });
  const checkpoint = make(
    'customer-checkpoint',
    `${stage}-day customer checkpoint (meeting logged with notes and your call)`,
    checkpointDue,
    true,
  );
  if (stage === '90') {
    return [
      make('owner-assignment', 'Confirm the renewal owner', addDays(openedOn, 7), true),
      make(
        'stakeholder-map',
        'Map stakeholders: decision maker, champion, billing contact',
        checkpointDue,
        true,
        [...STAKEHOLDER_ROLES],
      ),
      checkpoint,
    ];
  }
  if (stage === '60') {
    return [
      make(
        'stakeholder-map',
        'Re-confirm stakeholders: decision maker, champion, billing contact',
        checkpointDue,
        true,
        [...STAKEHOLDER_ROLES],
      ),
      checkpoint,
      make(
        'renewal-proposal',
        'Send the renewal proposal (include accepted uplift)',
        stageEnd,
        false,
      ),
    ];
  }
  return [checkpoint, make('renewal-close', 'Close the renewal (signed or lost)', stageEnd, true)];
}

/** Result of checking a stakeholder map. */
export function missingStakeholders(
  named: readonly { role: StakeholderRole; name: string }[],
): StakeholderRole[] {
  return STAKEHOLDER_ROLES.filter((r) => !named.some((n) => n.role === r && n.name.trim() !== ''));
}

/** Whether an owner's call agrees with the computed band, and where a disagreement goes. */
export type CheckpointEvaluation =
  | { ok: false; problem: 'monitor-not-allowed-inside-30-days' | 'stage-not-open' }
  | {
      ok: true;
      agrees: boolean;
      /** Which way the owner departs from the score, when they disagree. */
      direction: 'owner-more-optimistic' | 'owner-more-pessimistic' | null;
      /** The cs lead reviews every disagreement. */
      routeTo: 'cs_lead' | null;
      reason: string;
    };

/** Calls that agree with each computed band. */
const AGREEING_CALLS: Record<Exclude<ReadinessBand, 'unknown'>, readonly OwnerCall[]> = {
  ready: ['renew', 'monitor'],
  watch: ['renew', 'monitor', 'at-risk'],
  'at-risk': ['at-risk', 'churn'],
};

const CALL_RANK: Record<OwnerCall, number> = { renew: 0, monitor: 1, 'at-risk': 2, churn: 3 };
const BAND_RANK: Record<Exclude<ReadinessBand, 'unknown'>, number> = {
  ready: 0.5,
  watch: 1.5,
  'at-risk': 2.5,
};

/**
 * Check an owner's call at a checkpoint. `monitor` is refused inside 30 days (a decision is due).
 * Agreement: `ready` ↔ renew/monitor, `watch` ↔ renew/monitor/at-risk, `at-risk` ↔ at-risk/churn.
 * Any other combination is a disagreement and goes to the cs lead. With an `unknown` band there is no
 * computed judgement to disagree with: the owner's call stands.
 */
export function evaluateCheckpoint(input: {
  ownerCall: OwnerCall;
  band: ReadinessBand;
  stage: RenewalStage;
}): CheckpointEvaluation {
  const { ownerCall, band, stage } = input;
  if (stage === 'none' || stage === 'expired') return { ok: false, problem: 'stage-not-open' };
  if (stage === '30' && ownerCall === 'monitor') {
    return { ok: false, problem: 'monitor-not-allowed-inside-30-days' };
  }
  if (band === 'unknown') {
    return {
      ok: true,
      agrees: true,
      direction: null,
      routeTo: null,
      reason: 'readiness is unknown (thin data): the owner call stands',
    };
  }
  if (AGREEING_CALLS[band].includes(ownerCall)) {
    return {
      ok: true,
      agrees: true,
      direction: null,
      routeTo: null,
      reason: `call "${ownerCall}" agrees with band ${band}`,
    };
  }
  const direction =
    CALL_RANK[ownerCall] > BAND_RANK[band] ? 'owner-more-pessimistic' : 'owner-more-optimistic';
  return {
    ok: true,
    agrees: false,
    direction,
    routeTo: 'cs_lead',
    reason: `call "${ownerCall}" disagrees with band ${band} (${direction.replace(/-/g, ' ')}): cs lead review`,
  };
}

/** Log a checkpoint on its task: notes are mandatory and the call must be allowed in the stage. */
export function logCheckpoint(
  task: RenewalTask,
  log: CheckpointLog,
):
  | { ok: true; task: RenewalTask }
  | {
      ok: false;
      problem: 'not-a-checkpoint' | 'notes-required' | 'monitor-not-allowed-inside-30-days';
    } {
  if (task.kind !== 'customer-checkpoint') return { ok: false, problem: 'not-a-checkpoint' };
  if (log.notes.trim() === '') return { ok: false, problem: 'notes-required' };
  if (task.stage === '30' && log.ownerCall === 'monitor') {
    return { ok: false, problem: 'monitor-not-allowed-inside-30-days' };
  }
  return { ok: true, task: { ...task, completedOn: log.heldOn, checkpoint: log } };
}

/** An escalation for a mandatory task not done by its due date. */
export interface MissedCheckpointEscalation {
  taskId: string;
  contractId: string;
  stage: '90' | '60' | '30';
  kind: RenewalTaskKind;
  ownerAgentId: string | null;
  dueDate: IsoDate;
  daysOverdue: number;
  escalateTo: 'cs_lead' | 'msp_owner';
  severity: 'medium' | 'high';
}

/**
 * Mandatory tasks still open after their due date (due yesterday or earlier) as of `asOf`. They go
 * to the cs lead; in the 30-day stage, or once `ownerEscalationAfterDays` overdue, to the msp owner
 * with high severity.
 */
export function missedCheckpoints(
  tasks: readonly RenewalTask[],
  asOf: IsoDate,
  policy: RenewalPolicy,
): MissedCheckpointEscalation[] {
  const out: MissedCheckpointEscalation[] = [];
  for (const t of tasks) {
    if (!t.mandatory || t.completedOn !== null) continue;
    const daysOverdue = daysBetween(t.dueDate, asOf);
    if (daysOverdue <= 0) continue;
    const toOwner = t.stage === '30' || daysOverdue > policy.window.ownerEscalationAfterDays;
    out.push({
      taskId: t.id,
      contractId: t.contractId,
      stage: t.stage,
      kind: t.kind,
      ownerAgentId: t.ownerAgentId,
      dueDate: t.dueDate,
      daysOverdue,
      escalateTo: toOwner ? 'msp_owner' : 'cs_lead',
      severity: toOwner ? 'high' : 'medium',
    });
  }
  return out.sort((a, b) => b.daysOverdue - a.daysOverdue || a.taskId.localeCompare(b.taskId));
}
