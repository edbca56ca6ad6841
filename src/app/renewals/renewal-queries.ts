/**
 * Read side of the renewal loop for `/renewals` and the tab: the pipeline (contracts renewing
 * within a window, with readiness, stage and owner) and one contract's full picture.
 */
import { daysBetween } from '../../domain/shared/dates';
import {
  renewalStage,
  type RenewalTimelineEntry,
  type UpliftOpportunity,
} from '../../domain/renewals';
import type { ConcessionRow } from './concession-requests.port';
import type { RenewalSnapshotRow } from './readiness-snapshots.port';
import type { CheckpointRow } from './renewal-checkpoints.port';
import type { RenewalInsights } from './renewal-insights';
import type { StageTaskRow } from './renewal-stages.port';
import type { RenewalStore } from './renewal-store.port';
import type { RenewalPipelineItem } from './renewal-views';

/** Pipeline order: soonest end first (default), or newest (latest) end date first. */
export type PipelineOrder = 'soonest' | 'latest';

/** One contract's full renewal picture. */
export interface ContractRenewalDetail {
  contract: RenewalPipelineItem;
  readiness: RenewalSnapshotRow | null;
  trend: Array<{ date: string; score: number; band: string }>;
  stages: StageTaskRow[];
  checkpoints: CheckpointRow[];
  uplift: UpliftOpportunity[];
  concessions: ConcessionRow[];
  timeline: RenewalTimelineEntry[];
}

/** Pipeline and contract reads. */
export class RenewalQueries {
  constructor(
    private readonly store: Pick<
      RenewalStore,
      'snapshots' | 'contracts' | 'stages' | 'checkpoints' | 'uplift' | 'concessions'
    >,
    private readonly insights: RenewalInsights,
  ) {}

  /** Contracts ending within `days` of `asOf` (not yet ended), with their latest readiness. */
  async pipeline(
    asOf: string,
    days: number,
    order: PipelineOrder = 'soonest',
  ): Promise<RenewalPipelineItem[]> {
    const [snapshots, labels] = await Promise.all([
      this.store.snapshots.latestSnapshots(),
      this.store.contracts.contractLabels(null),
    ]);
    const snap = new Map(snapshots.map((s) => [s.contractId, s]));
    const items: RenewalPipelineItem[] = [];
    for (const label of labels.values()) {
      if (label.endDate === null) continue;
      const left = daysBetween(asOf, label.endDate);
      if (left < 0 || left > days) continue;
      items.push(item(label.contractId, label, snap.get(label.contractId) ?? null, asOf));
    }
    return items.sort((a, b) =>
      order === 'soonest'
        ? (a.endDate ?? '').localeCompare(b.endDate ?? '') || a.contractId - b.contractId
        : (b.endDate ?? '').localeCompare(a.endDate ?? '') || a.contractId - b.contractId,
    );
  }

  /** One contract's readiness with drivers, trend, stages, checkpoints, uplift, concessions, timeline. */
  async contract(contractId: number, asOf: string): Promise<ContractRenewalDetail | null> {
    const labels = await this.store.contracts.contractLabels([contractId]);
    const label = labels.get(contractId);
    if (!label) return null;
    const [snapshots, stages, checkpoints, uplift, concessions, timeline] = await Promise.all([
      this.store.snapshots.snapshots(contractId),
      this.store.stages.stageTasks({ contractId }),
      this.store.checkpoints.checkpoints(contractId),
      this.store.uplift.uplift(contractId),
      this.store.concessions.concessions(contractId),
      this.insights.timeline(contractId),
    ]);
    const latest = snapshots[snapshots.length - 1] ?? null;
    return {
      contract: item(contractId, label, latest, asOf),
      readiness: latest,
      trend: snapshots.map((s) => ({ date: s.date, score: s.score, band: s.band })),
      stages,
      checkpoints,
      uplift,
      concessions,
      timeline,
    };
  }
}

function item(
  contractId: number,
  label: {
    ref: string;
    clientId: number | null;
    clientName: string;
    contractType: string | null;
    endDate: string | null;
    ownerName: string | null;
  },
  snap: RenewalSnapshotRow | null,
  asOf: string,
): RenewalPipelineItem {
  const top = snap?.assessment.drivers.find((d) => d.contribution > 0) ?? null;
  return {
    contractId,
    ref: label.ref,
    clientId: label.clientId,
    clientName: label.clientName,
    contractType: label.contractType,
    endDate: label.endDate,
    daysToEnd: label.endDate === null ? null : daysBetween(asOf, label.endDate),
    stage: renewalStage(label.endDate, asOf),
    score: snap?.score ?? null,
    band: snap?.band ?? 'unknown',
    confidence: snap?.confidence ?? null,
    ownerName: label.ownerName,
    flagged: snap?.flagged ?? false,
    flagCause: snap?.flagCause ?? null,
    topDriver: top?.label ?? null,
    dataQuality: snap?.dataQuality ?? [],
  };
}
