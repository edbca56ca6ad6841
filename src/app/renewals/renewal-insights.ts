/**
 * Renewal KPIs (GRR, uplift conversion, average concession depth, with baselines), the monthly
 * governance review and the per-contract renewal timeline, computed from stored data by the
 * domain functions.
 */
import {
  addMonths,
  averageConcessionDepth,
  governanceReview,
  grossRetention,
  kpiReport,
  monthOf,
  RENEWAL_GRACE_DAYS,
  renewalTimeline,
  upliftConversion,
  type ContractMrrMovement,
  type ContractStanding,
  type DecidedConcession,
  type GovernanceReview,
  type GrossRetention,
  type OverrideLog,
  type ReadinessBand,
  type RenewalKpis,
  type RenewalStage,
  type RenewalTimelineEntry,
  type RenewalTimelineKind,
  type UpliftConversion,
} from '../../domain/renewals';
import { addDays } from '../../domain/shared/dates';
import { billingPeriodMonths } from './build-contract-facts';
import type { ContractTerm } from './contract-catalog.port';
import type { RenewalOutcomeRow } from './renewal-outcomes.port';
import { policyNow, type RenewalPolicySource } from './renewal-policies.port';
import type { RenewalStore } from './renewal-store.port';

/**
 * MRR movement of every contract active on `from`, judged on `to`: still running → unchanged; ended
 * with a successor of the same client and type starting within the grace period → renewed at the
 * successor's value (a decrease is contraction; an increase is expansion, which GRR ignores); ended
 * without one → churned. A stored "churned" outcome decided by `to` counts as churned even when the
 * contract's end date is still ahead (it was made inactive).
 */
export function mrrMovements(
  terms: readonly ContractTerm[],
  from: string,
  to: string,
  outcomes: ReadonlyArray<Pick<RenewalOutcomeRow, 'contractId' | 'outcome' | 'decidedOn'>> = [],
): ContractMrrMovement[] {
  const churnedBy = new Set(
    outcomes.filter((o) => o.outcome === 'churned' && o.decidedOn <= to).map((o) => o.contractId),
  );
  const monthly = (t: ContractTerm) =>
    (t.periodCharge ?? 0) / (billingPeriodMonths(t.billingPeriod) ?? 1);
  const out: ContractMrrMovement[] = [];
  for (const t of terms) {
    if (t.startDate === null || t.endDate === null || t.clientId === null) continue;
    if (t.startDate > from || t.endDate < from || !(monthly(t) > 0)) continue;
    const starting = monthly(t);
    if (churnedBy.has(t.contractId)) {
      out.push({
        contractId: String(t.contractId),
        startingMrr: starting,
        endingMrr: 0,
        churned: true,
      });
      continue;
    }
    if (t.endDate >= to) {
      out.push({
        contractId: String(t.contractId),
        startingMrr: starting,
        endingMrr: starting,
        churned: false,
      });
      continue;
    }
    const successor = terms.find(
      (s) =>
        s.contractId !== t.contractId &&
        s.clientId === t.clientId &&
        s.contractType === t.contractType &&
        s.startDate !== null &&
        s.startDate > t.startDate! &&
        s.startDate <= addDays(t.endDate!, RENEWAL_GRACE_DAYS),
    );
    out.push({
      contractId: String(t.contractId),
      startingMrr: starting,
      endingMrr: successor ? monthly(successor) : 0,
      churned: successor === undefined,
    });
  }
  return out;
}

/** The KPIs now, with the baseline and movement from the stored daily KPI snapshots. */
export interface RenewalKpiView {
  asOf: string;
  period: { from: string; to: string };
  kpis: RenewalKpis;
  grossRetention: GrossRetention;
  uplift: UpliftConversion;
  concessions: ReturnType<typeof averageConcessionDepth>;
  /** Outcomes of tracked terms decided in the period (written by the daily evaluation). */
  outcomes: { renewed: number; churned: number };
  report: ReturnType<typeof kpiReport>;
}

/** KPIs, governance review and timelines from stored data. */
export class RenewalInsights {
  constructor(
    private readonly store: Pick<
      RenewalStore,
      | 'snapshots'
      | 'contracts'
      | 'checkpoints'
      | 'uplift'
      | 'concessions'
      | 'events'
      | 'kpis'
      | 'outcomes'
    >,
    private readonly policy: RenewalPolicySource,
  ) {}

  /** KPIs as of `asOf` (GRR over the 12 months before it); `capture` stores them as the day's snapshot. */
  async kpis(asOf: string, options: { capture?: boolean } = {}): Promise<RenewalKpiView> {
    const from = addDays(asOf, -365);
    const [terms, opportunities, concessions, outcomes] = await Promise.all([
      this.store.contracts.contractTerms(),
      this.store.uplift.uplift(null),
      this.store.concessions.concessions(null),
      this.store.outcomes.outcomes(),
    ]);
    const retention = grossRetention(mrrMovements(terms, from, asOf, outcomes));
    const inPeriod = outcomes.filter((o) => o.decidedOn > from && o.decidedOn <= asOf);
    const decidedOutcomes = {
      renewed: inPeriod.filter((o) => o.outcome === 'renewed').length,
      churned: inPeriod.filter((o) => o.outcome === 'churned').length,
    };
    const uplift = upliftConversion(opportunities);
    const depth = averageConcessionDepth(decided(concessions));
    const kpis: RenewalKpis = {
      grr: retention.grr,
      upliftConversion: uplift.conversionRate,
      avgConcessionDepthPct: depth.approvedAvgPct,
    };
    if (options.capture) {
      await this.store.kpis.saveKpis(
        asOf,
        { ...kpis },
        { retention, uplift, depth, outcomes: decidedOutcomes },
      );
    }
    const snapshots = (await this.store.kpis.kpiSnapshots()).map((s) => ({
      capturedOn: s.capturedOn,
      kpis: s.kpis as unknown as RenewalKpis,
    }));
    return {
      asOf,
      period: { from, to: asOf },
      kpis,
      grossRetention: retention,
      uplift,
      concessions: depth,
      outcomes: decidedOutcomes,
      report: kpiReport(snapshots),
    };
  }

  /** The monthly governance review of `month` (YYYY-MM), from the latest snapshots in it. */
  async governance(month: string): Promise<GovernanceReview> {
    const end = addDays(`${addMonths(month, 1)}-01`, -1);
    const previousEnd = addDays(`${month}-01`, -1);
    const [current, previous, labels, opportunities, concessions, checkpoints, money, outcomes] =
      await Promise.all([
        this.store.snapshots.latestSnapshots(end),
        this.store.snapshots.latestSnapshots(previousEnd),
        this.store.contracts.contractLabels(null),
        this.store.uplift.uplift(null),
        this.store.concessions.concessions(null),
        this.store.checkpoints.checkpoints(null),
        this.store.contracts.contractMoney(null),
        this.store.outcomes.outcomes(),
      ]);
    const before = new Map(previous.map((s) => [s.contractId, s.band as ReadinessBand]));
    const standings: ContractStanding[] = current
      .filter((s) => s.endDate === null || s.endDate >= `${month}-01`)
      .map((s) => {
        const m = money.get(s.contractId);
        return {
          contractId: String(s.contractId),
          clientName: labels.get(s.contractId)?.clientName ?? 'Unknown client',
          monthlyValue:
            (m?.periodCharge ?? 0) / (billingPeriodMonths(m?.billingPeriod ?? null) ?? 1),
          band: s.band as ReadinessBand,
          previousBand: before.get(s.contractId) ?? null,
          stage: s.stage as RenewalStage,
          topDrivers: s.assessment.drivers
            .filter((d) => d.contribution > 0)
            .slice(0, 3)
            .map((d) => d.label),
          flagged: s.flagged,
        };
      });
    const overrides: OverrideLog[] = checkpoints
      .filter((c) => c.disagrees && c.loggedAt.slice(0, 7) <= month)
      .map((c) => ({
        contractId: String(c.contractId),
        loggedOn: c.loggedAt.slice(0, 10),
        computedBand: (c.band ?? 'unknown') as ReadinessBand,
        computedScore: c.score ?? 0,
        ownerCall: c.ownerCall as OverrideLog['ownerCall'],
        direction: ['at-risk', 'churn'].includes(c.ownerCall)
          ? 'owner-more-pessimistic'
          : 'owner-more-optimistic',
        outcome: overrideOutcome(outcomes, c.contractId, c.loggedAt.slice(0, 10), end),
      }));
    return governanceReview({
      month,
      policy: await policyNow(this.policy),
      standings,
      opportunities: opportunities.filter((o) => monthOf(o.detectedOn) <= month),
      concessions: decided(concessions).filter((c) => c.decidedAt.slice(0, 7) <= month),
      overrides,
    });
  }

  /** Every intervention and outcome on one contract, in order. */
  async timeline(contractId: number): Promise<RenewalTimelineEntry[]> {
    const events = await this.store.events.events(contractId);
    return renewalTimeline(
      String(contractId),
      events.map((e) => ({
        id: `event:${e.id}`,
        contractId: String(e.contractId),
        at: e.at,
        kind: timelineKind(e.kind),
        actor: e.actor,
        summary: e.summary,
        ref:
          typeof e.detail.concessionId === 'number'
            ? `concession:${e.detail.concessionId}`
            : typeof e.detail.opportunityId === 'string'
              ? e.detail.opportunityId
              : null,
      })),
    );
  }
}

const KINDS: readonly RenewalTimelineKind[] = [
  'stage.opened',
  'task.completed',
  'stakeholders.updated',
  'owner.reassigned',
  'checkpoint.logged',
  'checkpoint.disagreement',
  'readiness.changed',
  'renewal.flagged',
  'renewal.unflagged',
  'escalation.opened',
  'uplift.proposed',
  'uplift.decided',
  'concession.requested',
  'concession.decided',
  'concession.refused',
  'concession.expired',
  'note.written-back',
  'outcome',
];

/** Stored event kinds map onto the domain's timeline kinds. */
function timelineKind(kind: string): RenewalTimelineKind {
  if ((KINDS as readonly string[]).includes(kind)) return kind as RenewalTimelineKind;
  return 'outcome';
}

/**
 * What became of the term an override was logged on: the first outcome of that contract decided on
 * or after the call and by the end of the reviewed month; a renewal at a lower value is a contraction.
 */
function overrideOutcome(
  outcomes: readonly RenewalOutcomeRow[],
  contractId: number,
  loggedOn: string,
  monthEnd: string,
): OverrideLog['outcome'] {
  const o = outcomes.find(
    (x) => x.contractId === contractId && x.endDate >= loggedOn && x.decidedOn <= monthEnd,
  );
  if (o === undefined) return 'pending';
  if (o.outcome === 'churned') return 'churned';
  return o.endingMrr < o.startingMrr ? 'contracted' : 'renewed';
}

function decided(
  rows: ReadonlyArray<{
    contractId: number;
    discountPct: number;
    status: string;
    decidedAt: string | null;
  }>,
): Array<DecidedConcession & { decidedAt: string }> {
  return rows
    .filter((c) => c.status === 'approved' || c.status === 'rejected')
    .map((c) => ({
      contractId: String(c.contractId),
      discountPct: c.discountPct,
      status: c.status as 'approved' | 'rejected',
      decidedAt: c.decidedAt ?? '',
    }));
}
