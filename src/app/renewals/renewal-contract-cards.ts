/**
 * The reads behind the renewal cards a person asks for in Teams: which contract `/renewal <text>`
 * means, one contract's stage card (with the uplift waiting for an answer), and the concession
 * form with what each discount depth would mean before anything is requested.
 */
import { assessConcession, renewalStage } from '../../domain/renewals';
import { daysBetween } from '../../domain/shared/dates';
import { concessionContract } from './concession-contract';
import { concessionPrecedents } from './present-concession';
import { ownerAadObjectIds, stageView } from './renewal-stage-card';
import type { RenewalStore } from './renewal-store.port';
import type { ConcessionFormView, RenewalStageView, UpliftLineView } from './renewal-views';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';

/** A contract `/renewal <text>` may mean. */
export interface ContractMatch {
  contractId: number;
  ref: string;
  clientId: number | null;
  clientName: string;
  endDate: string | null;
  /** The text is the contract id, its reference or its client's name exactly. */
  exact: boolean;
}

/** A contract with no renewal stage open (outside the 90-day window, or not evaluated yet). */
export interface ContractOutsideWindow {
  contractId: number;
  ref: string;
  clientName: string;
  endDate: string | null;
  daysToEnd: number | null;
  score: number | null;
  band: string;
}

/** What one contract's card shows: its open stage, or why there is none. */
export type ContractCardView =
  { kind: 'stage'; view: RenewalStageView } | { kind: 'no-stage'; contract: ContractOutsideWindow };

/** Discount depths the concession form previews (the cs-lead limit is added). */
const PREVIEW_DEPTHS = [5, 8, 15, 20] as const;

/** Contract cards for the bot. */
export class RenewalContractCards {
  constructor(
    private readonly deps: {
      store: Pick<
        RenewalStore,
        'contracts' | 'stages' | 'snapshots' | 'uplift' | 'approvers' | 'concessions'
      >;
      /** The tenant's policy, read at each use. */
      policy: RenewalPolicySource;
    },
  ) {}

  /** Contracts whose id, reference or client name matches `text` (case-insensitive). */
  async find(text: string): Promise<ContractMatch[]> {
    const wanted = text.trim().toLowerCase();
    if (wanted === '') return [];
    const labels = await this.deps.store.contracts.contractLabels(null);
    const matches: ContractMatch[] = [];
    for (const label of labels.values()) {
      const byId = String(label.contractId) === wanted;
      const names = [label.ref.toLowerCase(), label.clientName.toLowerCase()];
      if (!byId && !names.some((n) => n.includes(wanted))) continue;
      matches.push({
        contractId: label.contractId,
        ref: label.ref,
        clientId: label.clientId,
        clientName: label.clientName,
        endDate: label.endDate,
        exact: byId || names.includes(wanted),
      });
    }
    return matches.sort(
      (a, b) =>
        a.clientName.localeCompare(b.clientName) ||
        (a.endDate ?? '9999').localeCompare(b.endDate ?? '9999') ||
        a.contractId - b.contractId,
    );
  }

  /** One contract's card as of `asOf`; null when there is no such contract. */
  async card(contractId: number, asOf: string): Promise<ContractCardView | null> {
    const { store } = this.deps;
    const label = (await store.contracts.contractLabels([contractId])).get(contractId);
    if (!label) return null;
    const [[snapshot], stages, uplift, concessions] = await Promise.all([
      store.snapshots.snapshots(contractId, 1),
      store.stages.stageTasks({ contractId }),
      store.uplift.uplift(contractId),
      store.concessions.concessions(contractId),
    ]);
    const now = renewalStage(label.endDate, asOf);
    const current = stages.find((s) => s.stage === now) ?? stages[stages.length - 1];
    if (!current || !snapshot || current.status === 'closed') {
      return {
        kind: 'no-stage',
        contract: {
          contractId,
          ref: label.ref,
          clientName: label.clientName,
          endDate: label.endDate,
          daysToEnd: label.endDate === null ? null : daysBetween(asOf, label.endDate),
          score: snapshot?.score ?? null,
          band: snapshot?.band ?? 'unknown',
        },
      };
    }
    const view = stageView(
      current,
      label,
      snapshot.assessment,
      { flagged: snapshot.flagged, cause: snapshot.flagCause },
      asOf,
      null,
      await ownerAadObjectIds(store.approvers, label),
    );
    const proposed: UpliftLineView[] = uplift
      .filter((o) => o.status === 'proposed')
      .map((o) => ({
        id: o.id,
        kind: o.kind,
        subject: o.subject,
        estimatedMonthlyUplift: o.estimatedMonthlyUplift,
        evidence: o.evidence[0] ?? null,
      }));
    const pending = concessions.find((c) => c.status === 'pending');
    return {
      kind: 'stage',
      view: {
        ...view,
        uplift: proposed,
        pendingConcession: pending
          ? { id: pending.id, discountPct: pending.discountPct, approverTier: pending.approverTier }
          : null,
      },
    };
  }

  /**
   * The concession form of a contract: its monthly value, margin now, precedent and what each
   * previewed depth would do to the value, the margin and the approver tier. Null when there is no
   * such contract; `no-value` when it has no recurring value to discount.
   */
  async concessionForm(contractId: number): Promise<ConcessionFormView | null | 'no-value'> {
    const { store } = this.deps;
    const policy = await policyNow(this.deps.policy);
    const subject = await concessionContract(store, contractId);
    if (!subject.ok) return subject.reason === 'not-found' ? null : 'no-value';
    const label = (await store.contracts.contractLabels([contractId])).get(contractId);
    const precedents = await concessionPrecedents(store);
    const limits = policy.concession;
    const depths = [...new Set([...PREVIEW_DEPTHS, limits.csLeadMaxPct])]
      .filter((d) => d > 0 && d <= limits.maxPct)
      .sort((a, b) => a - b);
    const assessed = depths.map((depthPct) =>
      assessConcession(
        {
          id: 'preview',
          contractId: String(contractId),
          requestedBy: 'preview',
          discountPct: depthPct,
          reason: 'preview',
          requestedAt: '1970-01-01T00:00:00.000Z',
        },
        subject.contract,
        precedents,
        policy,
      ),
    );
    const first = assessed[0];
    const pending = (await store.concessions.concessions(contractId)).find(
      (c) => c.status === 'pending',
    );
    return {
      contractId,
      ref: label?.ref ?? `Contract ${contractId}`,
      clientName: label?.clientName ?? 'Unknown client',
      monthlyValue: Math.round(subject.contract.monthlyValue * 100) / 100,
      marginNowPct: first?.marginBeforePct ?? null,
      precedentAvgDepthPct: first?.precedentAvgDepthPct ?? null,
      precedentCount: first?.precedentCount ?? 0,
      csLeadMaxPct: limits.csLeadMaxPct,
      maxPct: limits.maxPct,
      minMarginAfterPct: limits.minMarginAfterPct,
      depths: assessed.map((a) => ({
        depthPct: a.depthPct,
        monthlyAfter: a.monthlyRevenueAfter,
        marginAfterPct: a.marginAfterPct,
        approverTier: a.approverTier,
      })),
      pending: pending ? { id: pending.id, discountPct: pending.discountPct } : null,
    };
  }
}
