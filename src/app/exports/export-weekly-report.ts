import type { Clock } from '../../shared/clock';
import type { Actor, WeeklyReportView } from '../delivery-views';
import { reportForOwned, type ReadAccess, type ReadRefusal } from '../identity/read-access';
import {
  PDF_CONTENT_TYPE,
  type DocumentRenderer,
  type ExportedFile,
} from './document-renderer.port';

export interface ExportWeeklyReportDeps {
  access: ReadAccess;
  weeklyReport: (tenantId: string) => Promise<WeeklyReportView>;
  renderer: DocumentRenderer;
  clock: Clock;
  tenantName: string;
}

/** The weekly control report as a PDF, holding the lines of the projects the actor reads. */
export class ExportWeeklyReport {
  constructor(private readonly deps: ExportWeeklyReportDeps) {}

  async run(
    actor: Actor & { tenantId: string },
  ): Promise<{ ok: true; file: ExportedFile } | ReadRefusal> {
    const scope = await this.deps.access.reportScope(actor);
    if (!scope.ok) return scope;
    const whole = await this.deps.weeklyReport(actor.tenantId);
    const report = scope.value === 'all' ? whole : reportForOwned(whole, scope.value);
    const bytes = await this.deps.renderer.render({
      title: `Weekly control report, week of ${report.weekOf}`,
      tenantName: this.deps.tenantName,
      date: this.deps.clock.now().toISOString().slice(0, 10),
      blocks: [
        {
          kind: 'facts',
          items: [
            { label: 'Red', value: String(report.counts.red) },
            { label: 'Amber', value: String(report.counts.amber) },
            { label: 'Green', value: String(report.counts.green) },
            { label: 'Not scored', value: String(report.counts.unknown) },
          ],
        },
        { kind: 'heading', level: 1, text: 'Red and amber projects' },
        report.lines.length === 0
          ? { kind: 'paragraph', text: 'No project is red or amber.' }
          : {
              kind: 'table',
              columns: ['Project', 'Client', 'RAG', 'Causes', 'Mitigation owner', 'Recovery'],
              rows: report.lines.map((l) => [
                l.projectName,
                l.clientName,
                `${l.rag}${l.score === null ? '' : ` (${l.score})`}`,
                l.causes.join('; '),
                l.mitigationOwner ?? 'unassigned',
                l.recoveryDate ?? 'unknown',
              ]),
            },
        { kind: 'heading', level: 1, text: 'What changed since last week' },
        report.changes.length === 0
          ? { kind: 'paragraph', text: 'No change since last week.' }
          : { kind: 'list', items: report.changes },
      ],
    });
    return {
      ok: true,
      file: {
        fileName: `weekly-report-${report.weekOf}.pdf`,
        contentType: PDF_CONTENT_TYPE,
        bytes,
      },
    };
  }
}
