import type { KpiName } from '../../domain/delivery/kpis';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { KpisView } from '../delivery/tab-views';
import type { ReadAccess, ReadRefusal } from '../identity/read-access';
import type { RenewalKpiView } from '../renewals/renewal-insights';
import {
  PDF_CONTENT_TYPE,
  type DocumentBlock,
  type DocumentRenderer,
  type ExportedFile,
} from './document-renderer.port';
import type { ExportRecords } from './export-records.port';

export interface ExportPilotBriefDeps {
  access: ReadAccess;
  deliveryKpis: (tenantId: string, weeks: number) => Promise<KpisView>;
  renewalKpis: (asOf: string) => Promise<RenewalKpiView>;
  records: Pick<ExportRecords, 'escalationOutcomes' | 'gateDecisions' | 'concessions'>;
  /** Hours a gate may wait for its decision before it escalates (the gate policy's SLA). */
  gateSlaHours: number;
  renderer: DocumentRenderer;
  clock: Clock;
  tenantName: string;
}

const LABELS: Record<KpiName, string> = {
  onTimeMilestoneRate: 'On-time milestone rate',
  budgetVariance: 'Budget variance',
  grossMarginAccuracy: 'Gross-margin accuracy',
};

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

/**
 * The pilot proof brief for leadership: KPI movement from the frozen week-1 baseline, escalations
 * confirmed, gates decided within their SLA, and concessions with their depth. Delivery KPI readers
 * get it; the commercial part only for those who read renewal KPIs.
 */
export class ExportPilotBrief {
  constructor(private readonly deps: ExportPilotBriefDeps) {}

  async run(
    actor: Actor & { tenantId: string },
  ): Promise<{ ok: true; file: ExportedFile } | ReadRefusal> {
    const grant = this.deps.access.area(actor, 'delivery-kpis');
    if (!grant.ok) return grant;
    const commercial = this.deps.access.area(actor, 'renewal-kpis').ok;
    const now = this.deps.clock.now();
    const today = now.toISOString().slice(0, 10);
    const [kpis, outcomes, gates] = await Promise.all([
      this.deps.deliveryKpis(actor.tenantId, 9),
      this.deps.records.escalationOutcomes(),
      this.deps.records.gateDecisions(),
    ]);
    const decided = new Map<string, { requestedAt: string; decidedAt: string }>();
    for (const g of gates) {
      if (g.gateDecidedAt !== null) {
        decided.set(g.gateId, { requestedAt: g.requestedAt, decidedAt: g.gateDecidedAt });
      }
    }
    const slaMs = this.deps.gateSlaHours * 3_600_000;
    const onTime = [...decided.values()].filter(
      (g) => Date.parse(g.decidedAt) - Date.parse(g.requestedAt) <= slaMs,
    ).length;
    const blocks: DocumentBlock[] = [
      {
        kind: 'paragraph',
        text: `Movement is measured from the frozen week-1 baseline (${kpis.weeks[0]?.week ?? 'n/a'}).`,
      },
      { kind: 'heading', level: 1, text: 'Delivery KPIs' },
      {
        kind: 'table',
        columns: ['KPI', 'Baseline', 'Week 4', 'Week 8', 'Improvement at week 8'],
        rows: kpis.movement.map((m) => [
          LABELS[m.kpi],
          pct(m.baseline),
          pct(m.week4),
          pct(m.week8),
          pct(m.improvementAtWeek8),
        ]),
      },
      { kind: 'heading', level: 1, text: 'Escalations' },
      {
        kind: 'facts',
        items: [
          { label: 'Opened', value: String(outcomes.opened) },
          { label: 'Confirmed by a person', value: String(outcomes.confirmed) },
          { label: 'Marked false positive', value: String(outcomes.falsePositives) },
          { label: 'Still open', value: String(outcomes.stillOpen) },
        ],
      },
      { kind: 'heading', level: 1, text: 'Stage gates' },
      {
        kind: 'paragraph',
        text: `${onTime} of ${decided.size} decided gates were decided within ${this.deps.gateSlaHours} hours of the request.`,
      },
    ];
    if (commercial) {
      const [renewal, concessions] = await Promise.all([
        this.deps.renewalKpis(today),
        this.deps.records.concessions(),
      ]);
      const approved = concessions.filter((c) => c.status === 'approved');
      blocks.push(
        { kind: 'heading', level: 1, text: 'Renewals and concessions' },
        {
          kind: 'facts',
          items: [
            { label: 'Gross retention rate', value: pct(renewal.kpis.grr) },
            { label: 'Uplift conversion rate', value: pct(renewal.kpis.upliftConversion) },
            {
              label: 'Average concession depth',
              value:
                renewal.kpis.avgConcessionDepthPct === null
                  ? 'n/a'
                  : `${renewal.kpis.avgConcessionDepthPct.toFixed(1)} %`,
            },
            { label: 'Concessions requested', value: String(concessions.length) },
            { label: 'Concessions approved', value: String(approved.length) },
          ],
        },
      );
      if (concessions.length > 0) {
        blocks.push({
          kind: 'table',
          columns: ['Client', 'Contract', 'Depth', 'Status'],
          rows: concessions.map((c) => [
            c.clientName,
            c.contractRef,
            `${c.discountPct} %`,
            c.status,
          ]),
        });
      }
    }
    const bytes = await this.deps.renderer.render({
      title: 'Pilot proof brief',
      tenantName: this.deps.tenantName,
      date: today,
      blocks,
    });
    return {
      ok: true,
      file: { fileName: `pilot-proof-brief-${today}.pdf`, contentType: PDF_CONTENT_TYPE, bytes },
    };
  }
}
