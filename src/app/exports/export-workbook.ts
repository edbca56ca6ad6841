import type { KpiName } from '../../domain/delivery/kpis';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../delivery-views';
import type { TabQueries } from '../delivery/tab-queries.port';
import type { KpisView } from '../delivery/tab-views';
import type { ReadAccess, ReadRefusal } from '../identity/read-access';
import type { RenewalKpiView } from '../renewals/renewal-insights';
import type { RenewalPipelineItem } from '../renewals/renewal-views';
import {
  XLSX_CONTENT_TYPE,
  type ExportedFile,
  type SheetSpec,
  type WorkbookRenderer,
} from './document-renderer.port';
import type { ExportRecords } from './export-records.port';
import { exportScope, seesContractsOf, seesProject, type ExportScope } from './export-scope';

/** The workbook (`register`: every sheet the role reads) or one list of it. */
export const WORKBOOK_LISTS = [
  'register',
  'kpis',
  'risks',
  'projects',
  'renewals',
  'concessions',
  'gates',
] as const;
export type WorkbookList = (typeof WORKBOOK_LISTS)[number];

/** Weeks of delivery KPIs read: week 1 (the baseline) to week 9, so week 4 and week 8 exist. */
const KPI_WEEKS = 9;
/** How far ahead the renewal pipeline and renewal risks look. */
const PIPELINE_DAYS = 365;
const MAX_PROJECTS = 100_000;

export interface ExportWorkbookDeps {
  access: ReadAccess;
  tab: Pick<TabQueries, 'projectsPage'>;
  deliveryKpis: (tenantId: string, weeks: number) => Promise<KpisView>;
  renewalKpis: (asOf: string) => Promise<RenewalKpiView>;
  pipeline: (asOf: string, days: number) => Promise<RenewalPipelineItem[]>;
  records: ExportRecords;
  renderer: WorkbookRenderer;
  clock: Clock;
  tenantName: string;
}

export type ExportResult = { ok: true; file: ExportedFile } | ReadRefusal;

const DELIVERY_KPI_LABELS: Record<KpiName, string> = {
  onTimeMilestoneRate: 'On-time milestone rate',
  budgetVariance: 'Budget variance',
  grossMarginAccuracy: 'Gross-margin accuracy',
};
const RENEWAL_KPI_LABELS = {
  grr: 'Gross retention rate',
  upliftConversion: 'Uplift conversion rate',
  avgConcessionDepthPct: 'Average concession depth',
} as const;

/**
 * The KPI and risk register workbook (SPEC §6 reports): KPIs, risk register, project portfolio,
 * renewal pipeline, concessions and gate decisions, each sheet holding only what the actor reads
 * (a PM: their projects; commercial sheets for account roles only).
 */
export class ExportWorkbook {
  constructor(private readonly deps: ExportWorkbookDeps) {}

  async run(actor: Actor & { tenantId: string }, list: WorkbookList): Promise<ExportResult> {
    const grant = await exportScope(this.deps.access, actor);
    if (!grant.ok) return grant;
    const scope = grant.value;
    const allowed = sheetsFor(scope);
    const wanted = list === 'register' ? allowed : allowed.filter((s) => s === list);
    if (wanted.length === 0) {
      return {
        ok: false,
        reason: 'forbidden',
        message: `Your Control Tower role does not show the ${list} list. Ask your Control Tower admin if you need it.`,
      };
    }
    const now = this.deps.clock.now();
    const today = now.toISOString().slice(0, 10);
    const sheets: SheetSpec[] = [];
    for (const name of wanted) sheets.push(await this.sheet(name, actor.tenantId, scope, today));
    const bytes = await this.deps.renderer.render({
      title: list === 'register' ? 'KPI and risk register' : sheets[0]!.name,
      tenantName: this.deps.tenantName,
      createdAt: now.toISOString(),
      sheets,
    });
    return {
      ok: true,
      file: {
        fileName: `${list === 'register' ? 'kpi-risk-register' : list}-${today}.xlsx`,
        contentType: XLSX_CONTENT_TYPE,
        bytes,
      },
    };
  }

  private async sheet(
    name: Exclude<WorkbookList, 'register'>,
    tenantId: string,
    scope: ExportScope,
    today: string,
  ): Promise<SheetSpec> {
    switch (name) {
      case 'kpis':
        return this.kpis(tenantId, scope, today);
      case 'risks':
        return this.risks(scope, today);
      case 'projects':
        return this.projects(tenantId, scope);
      case 'renewals':
        return this.renewals(scope, today);
      case 'concessions':
        return this.concessions(scope);
      case 'gates':
        return this.gates(scope);
    }
  }

  private async kpis(tenantId: string, scope: ExportScope, today: string): Promise<SheetSpec> {
    const rows: SheetSpec['rows'] = [];
    if (scope.deliveryKpis) {
      const view = await this.deps.deliveryKpis(tenantId, KPI_WEEKS);
      const last = view.weeks[view.weeks.length - 1];
      for (const m of view.movement) {
        rows.push([
          'Delivery',
          DELIVERY_KPI_LABELS[m.kpi],
          m.lowerIsBetter ? 'lower' : 'higher',
          m.baseline,
          m.week4,
          m.week8,
          last?.[m.kpi] ?? null,
          m.improvementAtWeek8 ?? m.improvementAtWeek4,
          view.weeks[0]?.week ?? null,
        ]);
      }
    }
    if (scope.renewalKpis) {
      const view = await this.deps.renewalKpis(today);
      const { report } = view;
      const moved = (list: typeof report.week4, kpi: keyof typeof RENEWAL_KPI_LABELS) =>
        list?.find((k) => k.kpi === kpi)?.current ?? null;
      for (const kpi of Object.keys(RENEWAL_KPI_LABELS) as (keyof typeof RENEWAL_KPI_LABELS)[]) {
        // Concession depth is a percentage in the domain; the sheet's format wants a fraction.
        const scale = (v: number | null) =>
          v === null ? null : kpi === 'avgConcessionDepthPct' ? v / 100 : v;
        const latest = report.latest?.find((k) => k.kpi === kpi) ?? null;
        rows.push([
          'Renewals',
          RENEWAL_KPI_LABELS[kpi],
          kpi === 'avgConcessionDepthPct' ? 'lower' : 'higher',
          scale(report.baseline?.kpis[kpi] ?? null),
          scale(moved(report.week4, kpi)),
          scale(moved(report.week8, kpi)),
          scale(view.kpis[kpi]),
          latest?.relativeChange ?? null,
          report.baseline?.capturedOn ?? null,
        ]);
      }
    }
    return {
      name: 'KPIs',
      table: 'Kpis',
      columns: [
        { header: 'Loop', format: 'text' },
        { header: 'KPI', format: 'text' },
        { header: 'Better when', format: 'text' },
        { header: 'Baseline', format: 'percent' },
        { header: 'Week 4', format: 'percent' },
        { header: 'Week 8', format: 'percent' },
        { header: 'Now', format: 'percent' },
        { header: 'Improvement', format: 'percent' },
        { header: 'Baseline of', format: 'text' },
      ],
      rows,
    };
  }

  private async risks(scope: ExportScope, today: string): Promise<SheetSpec> {
    const rows: SheetSpec['rows'] = [];
    for (const e of await this.deps.records.openEscalations()) {
      if (!seesProject(scope, e.projectId)) continue;
      rows.push([
        'Delivery escalation',
        e.clientName,
        e.projectName,
        e.cause,
        e.severity,
        e.status,
        e.ownerName,
        e.mitigationOwnerName,
        e.mitigation,
        e.openedAt.slice(0, 10),
        e.dueAt === null ? null : e.dueAt.slice(0, 10),
      ]);
    }
    if (scope.contractClients !== null) {
      for (const c of await this.deps.pipeline(today, PIPELINE_DAYS)) {
        if (!seesContractsOf(scope, c.clientId)) continue;
        if (!c.flagged && c.band !== 'at-risk') continue;
        rows.push([
          'Renewal risk',
          c.clientName,
          c.ref,
          c.topDriver ?? c.flagCause,
          c.band,
          c.flagged ? 'flagged' : 'watch',
          c.ownerName,
          c.ownerName,
          c.flagCause ??
            `Readiness ${c.score ?? 'unknown'}: customer checkpoint before the renewal`,
          null,
          c.endDate,
        ]);
      }
    }
    return {
      name: 'Risk register',
      table: 'RiskRegister',
      columns: [
        { header: 'Kind', format: 'text' },
        { header: 'Client', format: 'text' },
        { header: 'Project or contract', format: 'text' },
        { header: 'Driver', format: 'text' },
        { header: 'Severity', format: 'text' },
        { header: 'Status', format: 'text' },
        { header: 'Owner', format: 'text' },
        { header: 'Mitigation owner', format: 'text' },
        { header: 'Mitigation', format: 'text' },
        { header: 'Opened', format: 'date' },
        { header: 'Due', format: 'date' },
      ],
      rows,
    };
  }

  private async projects(tenantId: string, scope: ExportScope): Promise<SheetSpec> {
    const page = await this.deps.tab.projectsPage(
      tenantId,
      { rags: null, clientId: null, text: null, includeClosed: false, owners: scope.owners },
      { offset: 0, limit: MAX_PROJECTS },
    );
    return {
      name: 'Project portfolio',
      table: 'ProjectPortfolio',
      columns: [
        { header: 'Project id', format: 'integer' },
        { header: 'Project', format: 'text' },
        { header: 'Client', format: 'text' },
        { header: 'Project manager', format: 'text' },
        { header: 'RAG', format: 'text' },
        { header: 'Score', format: 'integer' },
        { header: 'Confidence', format: 'percent' },
        { header: 'Top driver', format: 'text' },
        { header: 'Open escalations', format: 'integer' },
        { header: 'As of', format: 'date' },
      ],
      rows: page.items
        .filter((p) => seesProject(scope, p.id))
        .map((p) => [
          p.id,
          p.name,
          p.client.name,
          p.pm?.name ?? null,
          p.health.rag,
          p.health.score,
          p.health.confidence,
          p.health.drivers.find((d) => d.level !== null)?.label ?? null,
          p.openEscalations,
          p.asOf,
        ]),
    };
  }

  private async renewals(scope: ExportScope, today: string): Promise<SheetSpec> {
    const items = await this.deps.pipeline(today, PIPELINE_DAYS);
    return {
      name: 'Renewal pipeline',
      table: 'RenewalPipeline',
      columns: [
        { header: 'Contract', format: 'text' },
        { header: 'Client', format: 'text' },
        { header: 'Type', format: 'text' },
        { header: 'End date', format: 'date' },
        { header: 'Days to end', format: 'integer' },
        { header: 'Stage', format: 'text' },
        { header: 'Readiness', format: 'integer' },
        { header: 'Band', format: 'text' },
        { header: 'Owner', format: 'text' },
        { header: 'Flagged', format: 'text' },
        { header: 'Top driver', format: 'text' },
      ],
      rows: items
        .filter((c) => seesContractsOf(scope, c.clientId))
        .map((c) => [
          c.ref,
          c.clientName,
          c.contractType,
          c.endDate,
          c.daysToEnd,
          c.stage === null ? null : String(c.stage),
          c.score,
          c.band,
          c.ownerName,
          c.flagged ? (c.flagCause ?? 'yes') : 'no',
          c.topDriver,
        ]),
    };
  }

  private async concessions(scope: ExportScope): Promise<SheetSpec> {
    const items = await this.deps.records.concessions();
    return {
      name: 'Concessions',
      table: 'Concessions',
      columns: [
        { header: 'Request', format: 'integer' },
        { header: 'Contract', format: 'text' },
        { header: 'Client', format: 'text' },
        { header: 'Discount', format: 'percent' },
        { header: 'Status', format: 'text' },
        { header: 'Approver tier', format: 'text' },
        { header: 'Reason', format: 'text' },
        { header: 'Requested by', format: 'text' },
        { header: 'Requested', format: 'datetime' },
        { header: 'Decided by', format: 'text' },
        { header: 'Decided', format: 'datetime' },
      ],
      rows: items
        .filter((c) => seesContractsOf(scope, c.clientId))
        .map((c) => [
          c.id,
          c.contractRef,
          c.clientName,
          c.discountPct / 100,
          c.status,
          c.approverTier,
          c.reason,
          c.requestedByName,
          c.requestedAt,
          c.decidedByName,
          c.decidedAt,
        ]),
    };
  }

  private async gates(scope: ExportScope): Promise<SheetSpec> {
    const items = await this.deps.records.gateDecisions();
    return {
      name: 'Gate decisions',
      table: 'GateDecisions',
      columns: [
        { header: 'Gate', format: 'text' },
        { header: 'Client', format: 'text' },
        { header: 'Project', format: 'text' },
        { header: 'Milestone', format: 'text' },
        { header: 'Gate status', format: 'text' },
        { header: 'Pack version', format: 'integer' },
        { header: 'Pack SHA-256', format: 'text' },
        { header: 'Requested', format: 'datetime' },
        { header: 'Decision', format: 'text' },
        { header: 'Approver', format: 'text' },
        { header: 'Comment', format: 'text' },
        { header: 'Decided', format: 'datetime' },
      ],
      rows: items
        .filter((g) => seesProject(scope, g.projectId))
        .map((g) => [
          g.gateId,
          g.clientName,
          g.projectName,
          g.milestoneName,
          g.status,
          g.packVersion,
          g.packHash,
          g.requestedAt,
          g.outcome,
          g.approverName,
          g.comment,
          g.decidedAt,
        ]),
    };
  }
}

/** The sheets this scope reads, in workbook order. */
function sheetsFor(scope: ExportScope): Exclude<WorkbookList, 'register'>[] {
  const sheets: Exclude<WorkbookList, 'register'>[] = [];
  if (scope.deliveryKpis || scope.renewalKpis) sheets.push('kpis');
  if (scope.projects !== null || scope.contractClients !== null) sheets.push('risks');
  if (scope.projects !== null) sheets.push('projects');
  if (scope.contractClients !== null) sheets.push('renewals', 'concessions');
  if (scope.projects !== null) sheets.push('gates');
  return sheets;
}
