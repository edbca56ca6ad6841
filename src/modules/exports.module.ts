/**
 * The exports' composition (issue 19): the KPI and risk register workbook and its lists, the weekly
 * report, pilot proof brief and post-project review PDFs, and the gates' evidence pack PDF, behind our rendering ports
 * (exceljs and pdfkit adapters in src/documents).
 */
import { exportRoutes } from '../api/export-routes';
import type { DeliveryQueries } from '../app/delivery-views';
import { DeliveryKpis } from '../app/delivery/delivery-kpis';
import type { DocumentRenderer, WorkbookRenderer } from '../app/exports/document-renderer.port';
import type { ExportEvidencePack } from '../app/exports/export-evidence-pack';
import { ExportPilotBrief } from '../app/exports/export-pilot-brief';
import { ExportPostProjectReview } from '../app/exports/export-post-project-review';
import { ExportWeeklyReport } from '../app/exports/export-weekly-report';
import { ExportWorkbook } from '../app/exports/export-workbook';
import { ReadAccess } from '../app/identity/read-access';
import type { RenewalUseCases } from '../api/renewal-routes';
import { ExcelWorkbookRenderer } from '../documents/excel-workbook-renderer';
import { PdfRenderWorker } from '../documents/pdf-render-worker-pool';
import type { Clock } from '../shared/clock';
import type { Db } from '../store/db';
import { SqlEscalationHistory } from '../store/delivery-escalation-history.repository';
import { SqlDeliveryHistoryReader } from '../store/delivery-history.repository';
import { SqlDeliveryStore } from '../store/delivery.repository';
import { SqlExportRecords } from '../store/export-records.repository';
import { SqlOwnership } from '../store/ownership.repository';
import { SqlTabQueries } from '../store/tab-queries.repository';
import type { FeatureModule } from './feature-module';

export interface ExportsModuleDeps {
  db: Db;
  tenantId: string;
  /** The MSP's name printed on every page. */
  tenantName: string;
  clock: Clock;
  /** The weekly report's read side (the bot's `/report`). */
  reports: Pick<DeliveryQueries, 'weeklyReport'>;
  renewals: Pick<RenewalUseCases, 'queries' | 'insights'>;
  /** The gates module's evidence pack export (built with {@link exportRenderers}'s PDF renderer). */
  evidencePack: ExportEvidencePack | undefined;
  /** Hours a gate may wait for its decision (the gate policy's escalation threshold). */
  gateSlaHours: number;
  renderers: ExportRenderers;
}

/** The rendering adapters, built once and shared with the gates module. */
export interface ExportRenderers {
  workbook: WorkbookRenderer;
  document: DocumentRenderer;
  /** Stops what the renderers started (the PDF worker thread). */
  close(): Promise<void>;
}

/** PDFs are rendered on a worker thread, off the event loop that answers clicks. */
export function exportRenderers(): ExportRenderers {
  const document = new PdfRenderWorker();
  return { workbook: new ExcelWorkbookRenderer(), document, close: () => document.close() };
}

/** Builds the exports once: routes only (no bot commands, no jobs). */
export function createExportsModule(deps: ExportsModuleDeps): FeatureModule {
  const { db, tenantId, clock, tenantName, renderers } = deps;
  const access = new ReadAccess(new SqlOwnership(db, tenantId));
  const records = new SqlExportRecords(db, tenantId);
  const history = new SqlDeliveryHistoryReader(db);
  const kpis = new DeliveryKpis(history, clock);
  const deliveryKpis = (tenant: string, weeks: number) => kpis.run(tenant, weeks);
  const renewalKpis = (asOf: string) => deps.renewals.insights.kpis(asOf);
  return {
    routes: exportRoutes({
      tenantId,
      useCases: {
        workbook: new ExportWorkbook({
          access,
          tab: new SqlTabQueries(db),
          deliveryKpis,
          renewalKpis,
          pipeline: (asOf, days) => deps.renewals.queries.pipeline(asOf, days),
          records,
          renderer: renderers.workbook,
          clock,
          tenantName,
        }),
        weeklyReport: new ExportWeeklyReport({
          access,
          weeklyReport: (tenant) => deps.reports.weeklyReport(tenant),
          renderer: renderers.document,
          clock,
          tenantName,
        }),
        pilotBrief: new ExportPilotBrief({
          access,
          deliveryKpis,
          renewalKpis,
          records,
          gateSlaHours: deps.gateSlaHours,
          renderer: renderers.document,
          clock,
          tenantName,
        }),
        ...(deps.evidencePack ? { evidencePack: deps.evidencePack } : {}),
        postProjectReview: new ExportPostProjectReview({
          access,
          history,
          escalations: new SqlEscalationHistory(db),
          delivery: new SqlDeliveryStore(db, tenantId, clock),
          records,
          renderer: renderers.document,
          clock,
          tenantName,
        }),
      },
    }),
    bot: { commands: [], cardActions: {}, renderers: {} },
    jobs: [],
  };
}
