/**
 * The daily renewal evaluation (job `renewal-evaluate`): every contract's readiness as of the day
 * is stored as a snapshot; contracts entering the 90/60/30-day windows get their stage's tasks and
 * a stage card in the routed `renewals` channel (one per contract + stage, re-posted only when the
 * stage changes state); missed mandatory checkpoints escalate; uplift opportunities are recorded,
 * except while the contract is in the churn band (no uplift is pitched to a client that is leaving);
 * every intervention lands on the contract's renewal timeline. A tracked term that was renewed or
 * lost gets its outcome written once, with the readiness it had at 90/60/30 days. Contracts with
 * data-quality exceptions are snapshotted and listed, never acted on.
 */
import { ioPacer } from '../../shared/io-pace';
import {
  assessReadiness,
  churnBand,
  decideRenewalOutcome,
  flagRenewalRisk,
  intakeExceptions,
  outcomeSummary,
  proposeUplift,
  readinessAtWindows,
  renewalStage,
  stageTasks,
  whatChanged,
  type ContractFacts,
  type ContractTermNow,
  type ReadinessAssessment,
  type RenewalPolicy,
} from '../../domain/renewals';
import { churnFlagNotice, upliftProposedNotice } from '../../domain/notifications/personal-notices';
import { addDays } from '../../domain/shared/dates';
import { personalIntent } from '../notifications/personal-intent';
import type { Clock } from '../../shared/clock';
import type { Signal } from '../../shared/signal';
import type { Transactional } from '../ports/transaction.port';
import { billingPeriodMonths, liveContractFactsByScope } from './build-contract-facts';
import { escalateMissedCheckpoints } from './escalate-missed-checkpoints';
import { ownerAadObjectIds, stageCardKey, stageView } from './renewal-stage-card';
import type { ContractLabel } from './contract-catalog.port';
import type { RenewalHistoryReader } from './renewal-history.port';
import type { RenewalSnapshotRow } from './readiness-snapshots.port';
import type { RenewalStagePayload } from './renewal-payloads';
import { pilotVerdict, type PilotVerdict } from '../../domain/shared/pilot';
import type { PilotSettings } from '../settings/tab-settings.port';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';
import type { StageTaskRow } from './renewal-stages.port';
import type { RenewalStore, RenewalUnitOfWork } from './renewal-store.port';

/** Dependencies of the evaluation (ports and the tenant's policy). */
export interface EvaluateRenewalsDeps {
  store: Pick<RenewalStore, 'snapshots' | 'contracts' | 'stages' | 'outcomes'>;
  uow: Transactional<RenewalUnitOfWork>;
  history: RenewalHistoryReader;
  pilot: Pick<PilotSettings, 'pilot'>;
  tenantId: string;
  clock: Clock;
  /** The tenant's policy, read at the start of each run (a new version applies from the next run). */
  policy: RenewalPolicySource;
  /** Notified after each run (stage cards and escalations may have been queued in the outbox). */
  outboxChanged: Signal;
  /** Shadow mode: compute and store, but post nothing. */
  shadow?: boolean;
}

/** What one run did. */
export interface RenewalEvaluationReport {
  asOf: string;
  contracts: number;
  byBand: Record<string, number>;
  dataQuality: number;
  stagesOpened: Array<{ contractId: number; stage: string }>;
  escalated: Array<{ contractId: number; stage: string; escalateTo: string }>;
  flagged: number[];
  upliftProposed: string[];
  /** Contracts whose detected uplift was held back because they are in the churn band. */
  upliftWithheld: Array<{ contractId: number; reason: string }>;
  /** Terms whose outcome was decided (and written on the timeline) by this run. */
  outcomes: Array<{ contractId: number; endDate: string; outcome: 'renewed' | 'churned' }>;
}

/** Days a late-opened stage gets before its mandatory tasks count as missed. */
export const LATE_STAGE_GRACE_DAYS = 7;

/** The daily renewal evaluation. */
export class EvaluateRenewals {
  private verdict: (clientId: number | null) => PilotVerdict = () => 'post';

  constructor(private readonly deps: EvaluateRenewalsDeps) {}

  /** Evaluates every contract as of `asOf` (default today, UTC). */
  async run(options: { asOf?: string } = {}): Promise<RenewalEvaluationReport> {
    const { store, clock, tenantId } = this.deps;
    const policy = await policyNow(this.deps.policy);
    const asOf = options.asOf ?? clock.now().toISOString().slice(0, 10);
    // Facts are built one client scope at a time (the tickets of one scope in memory, not the
    // tenant's); the per-month facts are kept, and acted on in contract id order as before.
    const all: ContractFacts[] = [];
    for await (const facts of liveContractFactsByScope(this.deps.history, tenantId, asOf)) {
      all.push(...facts);
    }
    all.sort((a, b) => Number(a.contractId) - Number(b.contractId));
    const [previous, labels, openStages] = await Promise.all([
      store.snapshots.previousSnapshots(asOf),
      store.contracts.contractLabels(null),
      store.stages.stageTasks(),
    ]);
    // Tenant pilot settings: renewals switched off, shadow mode or outside the allow-list → not posted.
    const pilot = await this.deps.pilot.pilot(this.deps.tenantId);
    this.verdict = (clientId) =>
      this.deps.shadow ? 'shadow' : pilotVerdict(pilot, 'renewals', { clientId, projectId: null });
    const stagesByContract = new Map<number, StageTaskRow[]>();
    for (const s of openStages) {
      stagesByContract.set(s.contractId, [...(stagesByContract.get(s.contractId) ?? []), s]);
    }
    const report: RenewalEvaluationReport = {
      asOf,
      contracts: 0,
      byBand: {},
      dataQuality: 0,
      stagesOpened: [],
      escalated: [],
      flagged: [],
      upliftProposed: [],
      upliftWithheld: [],
      outcomes: [],
    };

    for (const facts of all) {
      const contractId = Number(facts.contractId);
      const prev = previous.get(contractId) ?? null;
      const assessment = assessReadiness(facts, asOf, policy);
      const flag = flagRenewalRisk(facts, asOf, policy, { flagged: prev?.flagged ?? false });
      const exceptions = intakeExceptions(facts);
      const stage = renewalStage(facts.endDate, asOf);
      report.contracts += 1;
      report.byBand[assessment.band] = (report.byBand[assessment.band] ?? 0) + 1;
      if (exceptions.length > 0) report.dataQuality += 1;

      await this.deps.uow.transaction(async (tx) => {
        const at = clock.now();
        await tx.snapshots.saveSnapshot(
          {
            contractId,
            clientId: facts.clientId === '' ? null : Number(facts.clientId),
            date: asOf,
            score: assessment.score,
            band: assessment.band,
            confidence: assessment.confidence,
            flagged: flag.flagged,
            flagCause: flag.cause,
            flagSeverity: flag.severity,
            endDate: facts.endDate,
            stage,
            assessment,
            changes: whatChanged(prev?.assessment ?? null, assessment),
            dataQuality: exceptions,
            policyVersion: policy.version,
          },
          at,
        );
        // Missing mandatory data never drives an automated action (SPEC §4).
        if (exceptions.length > 0) return;

        if (!flag.flagged && (prev?.flagged ?? false)) {
          await this.event(tx, contractId, at, 'renewal.unflagged', flag.explanation, {
            score: flag.score,
          });
        }
        if (flag.flagged && !(prev?.flagged ?? false)) {
          report.flagged.push(contractId);
          await this.event(tx, contractId, at, 'renewal.flagged', flag.explanation, {
            cause: flag.cause,
            severity: flag.severity,
            score: flag.score,
          });
          if (this.verdict(clientIdOf(facts)) === 'post') {
            await tx.outbox.enqueue(
              personalIntent(
                `renewal:${contractId}:flagged:${asOf}:people`,
                churnFlagNotice({
                  contractId,
                  clientName: facts.clientName,
                  accountManagerAgentId: agentIdOf(facts),
                  cause: flag.cause ?? flag.explanation,
                }),
              ),
            );
          }
        }
        await this.openStage(tx, facts, stage, asOf, assessment, flag, labels, report, policy);
        await escalateMissedCheckpoints(
          {
            tx,
            asOf,
            assessment,
            flag,
            labels,
            policy,
            clock,
            verdict: this.verdict,
          },
          stagesByContract.get(contractId) ?? [],
          report.escalated,
        );
        // No uplift is pitched to a client in the churn band.
        const uplift = proposeUplift(facts, asOf, policy, churnBand(flag, policy));
        if (uplift.withheld !== null) {
          report.upliftWithheld.push({ contractId, reason: uplift.withheld });
        }
        for (const o of uplift.opportunities) {
          if (await tx.uplift.upsertUplift(o, at)) {
            report.upliftProposed.push(o.id);
            await this.event(
              tx,
              contractId,
              at,
              'uplift.proposed',
              `Uplift proposed: ${o.kind} (${o.subject}), about ${o.estimatedMonthlyUplift}/month`,
              { opportunityId: o.id, evidence: o.evidence },
            );
            if (this.verdict(clientIdOf(facts)) === 'post') {
              await tx.outbox.enqueue(
                personalIntent(
                  `uplift:${o.id}:proposed:people`,
                  upliftProposedNotice({
                    contractId,
                    clientName: facts.clientName,
                    accountManagerAgentId: agentIdOf(facts),
                    summary: `${o.kind} (${o.subject}), about ${o.estimatedMonthlyUplift}/month`,
                  }),
                ),
              );
            }
          }
        }
      });
    }
    await this.recordOutcomes(asOf, previous, report);
    this.deps.outboxChanged.notify();
    return report;
  }

  /**
   * Decides the outcome of every tracked term still open (one with a snapshot before today and no
   * stored outcome for the end date it last had) and writes each decided one once, on the timeline.
   */
  private async recordOutcomes(
    asOf: string,
    previous: Map<number, RenewalSnapshotRow>,
    report: RenewalEvaluationReport,
  ): Promise<void> {
    const { store, clock } = this.deps;
    const [terms, stored] = await Promise.all([
      store.contracts.contractTerms(),
      store.outcomes.outcomes(),
    ]);
    const decided = new Set(stored.map((o) => `${o.contractId}:${o.endDate}`));
    const now: ContractTermNow[] = terms.map((t) => ({
      contractId: t.contractId,
      clientId: t.clientId,
      contractType: t.contractType,
      startDate: t.startDate,
      endDate: t.endDate,
      active: t.active ?? null,
      monthlyValue: (t.periodCharge ?? 0) / (billingPeriodMonths(t.billingPeriod) ?? 1),
    }));
    const byId = new Map(now.map((t) => [t.contractId, t]));
    for (const [contractId, prev] of previous) {
      const term = byId.get(contractId);
      if (term === undefined || prev.endDate === null) continue;
      if (decided.has(`${contractId}:${prev.endDate}`)) continue;
      const outcome = decideRenewalOutcome(term, prev.endDate, now, asOf);
      if (outcome === null) continue;
      const readiness = readinessAtWindows(
        outcome.endDate,
        await store.snapshots.snapshots(contractId, 400),
      );
      await this.deps.uow.transaction(async (tx) => {
        const at = clock.now();
        const stored = await tx.outcomes.recordOutcome({
          ...outcome,
          readiness,
          recordedAt: at.toISOString(),
        });
        if (!stored) return;
        report.outcomes.push({ contractId, endDate: outcome.endDate, outcome: outcome.outcome });
        await this.event(tx, contractId, at, 'outcome', outcomeSummary(outcome, readiness), {
          outcome: outcome.outcome,
          evidence: outcome.evidence,
          endDate: outcome.endDate,
          successorContractId: outcome.successorContractId,
          newEndDate: outcome.newEndDate,
          startingMrr: outcome.startingMrr,
          endingMrr: outcome.endingMrr,
          readiness,
        });
      });
    }
  }

  private async openStage(
    tx: RenewalUnitOfWork,
    facts: ContractFacts,
    stage: ReturnType<typeof renewalStage>,
    asOf: string,
    assessment: ReadinessAssessment,
    flag: { flagged: boolean; cause: string | null },
    labels: Map<number, ContractLabel>,
    report: RenewalEvaluationReport,
    policy: RenewalPolicy,
  ): Promise<void> {
    if (stage !== '90' && stage !== '60' && stage !== '30') return;
    if (facts.endDate === null) return;
    const contractId = Number(facts.contractId);
    const tasks = stageTasks(
      stage,
      {
        contractId: facts.contractId,
        endDate: facts.endDate,
        accountManagerAgentId: facts.accountManagerAgentId,
      },
      policy,
    );
    // A stage opened late (the contract was synced or fixed inside the window) still gets a week
    // before its mandatory tasks count as missed.
    const earliestDue = addDays(asOf, LATE_STAGE_GRACE_DAYS);
    for (const t of tasks) if (t.mandatory && t.dueDate < earliestDue) t.dueDate = earliestDue;
    const checkpoint = tasks.find((t) => t.kind === 'customer-checkpoint');
    const row: StageTaskRow = {
      contractId,
      stage,
      clientId: facts.clientId === '' ? null : Number(facts.clientId),
      ownerAgentId:
        facts.accountManagerAgentId === null ? null : Number(facts.accountManagerAgentId),
      endDate: facts.endDate,
      openedOn: asOf,
      checkpointDueOn: checkpoint?.dueDate ?? facts.endDate,
      tasks,
      stakeholders: {},
      status: 'open',
      version: 1,
    };
    const at = this.deps.clock.now();
    if (!(await tx.stages.openStage(row, at))) return;
    report.stagesOpened.push({ contractId, stage });
    const label = labels.get(contractId);
    await this.event(
      tx,
      contractId,
      at,
      'stage.opened',
      `${stage}-day stage opened (owner ${label?.ownerName ?? 'not set: cs lead assigns'})`,
      { stage, tasks: tasks.map((t) => t.title) },
    );
    if (this.verdict(row.clientId) !== 'post') return;
    const payload: RenewalStagePayload = {
      stage: stageView(
        row,
        label,
        assessment,
        flag,
        asOf,
        null,
        await ownerAadObjectIds(tx.approvers, label),
      ),
    };
    await tx.outbox.enqueue({
      dedupeKey: stageCardKey(contractId, stage),
      kind: 'renewal-stage',
      payload,
      target: { streams: ['renewals'], clientId: row.clientId },
      mentionAgentId: row.ownerAgentId,
    });
  }

  private event(
    tx: RenewalUnitOfWork,
    contractId: number,
    at: Date,
    kind: string,
    summary: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return tx.events.addEvent({
      contractId,
      at: at.toISOString(),
      kind,
      actor: null,
      summary,
      detail,
    });
  }
}

/**
 * Readiness of every live contract as of `asOf`, computed and not stored (the benchmark's "full
 * evaluation" figure and dry runs): the daily evaluation's scoped loads, each scope's facts
 * assessed and dropped before the next scope is indexed.
 */
export async function assessAllContracts(
  history: RenewalHistoryReader,
  tenantId: string,
  asOf: string,
  policy: RenewalPolicy,
): Promise<number> {
  let assessed = 0;
  const pace = ioPacer();
  for await (const scope of liveContractFactsByScope(history, tenantId, asOf)) {
    for (const facts of scope) {
      await pace();
      assessReadiness(facts, asOf, policy);
      assessed += 1;
    }
  }
  return assessed;
}

function clientIdOf(facts: ContractFacts): number | null {
  return facts.clientId === '' ? null : Number(facts.clientId);
}

function agentIdOf(facts: ContractFacts): number | null {
  return facts.accountManagerAgentId === null ? null : Number(facts.accountManagerAgentId);
}
