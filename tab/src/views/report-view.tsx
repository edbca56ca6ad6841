/** The weekly control report, as the bot posts it, with a CSV export. */
import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { Rag, WeeklyReportDto } from '../../../src/api/dto';
import { RagBadge, ragWord } from '../components/rag-badge';
import { LoadableView } from '../components/states';
import { day, instant, score } from '../format';
import { RouteLink } from '../navigation';
import { useApiClient, useResource } from '../use-api';
import { ExportButton, EXPORTS } from '../components/export-button';

const RAGS: Rag[] = ['red', 'amber', 'green', 'unknown'];

/** `GET /report/weekly`; the export is `?format=csv`. */
export function ReportView() {
  const api = useApiClient();
  const [report, reload] = useResource('report', (client) =>
    client.get<WeeklyReportDto>('/report/weekly'),
  );
  const [exportError, setExportError] = useState<string | null>(null);
  const exportCsv = async () => {
    setExportError(null);
    try {
      const blob = await api.download('/report/weekly', { format: 'csv' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `control-report-${report.state === 'ok' ? report.data.weekOf : 'week'}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <section className="ct-view" aria-labelledby="report-title">
      <h1 id="report-title" className="ct-title">
        Weekly control report
      </h1>
      <LoadableView value={report} what="the report" retry={reload}>
        {(r) => (
          <>
            <div className="ct-row">
              <Text>
                Week of {day(r.weekOf)}:{' '}
                {RAGS.map((x) => `${r.counts[x]} ${ragWord(x).toLowerCase()}`).join(', ')}
              </Text>
              <Button onClick={() => void exportCsv()}>Export CSV</Button>
              <ExportButton {...EXPORTS.weeklyReport} />
            </div>
            {exportError ? <Text role="alert">Export failed: {exportError}</Text> : null}
            {r.changes.length > 0 ? (
              <>
                <h2 className="ct-subtitle">Since last week</h2>
                <ul className="ct-list">
                  {r.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </>
            ) : null}
            <h2 className="ct-subtitle">Red and amber projects</h2>
            {r.lines.length === 0 ? (
              <Text>No red or amber project this week.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Red and amber projects">
                {r.lines.map((l) => (
                  <li className="ct-card" key={l.projectId}>
                    <div className="ct-card-head">
                      <RouteLink
                        route={{
                          view: 'project',
                          projectId: l.projectId,
                          escalationId: null,
                          gateId: null,
                        }}
                      >
                        {l.projectName}
                      </RouteLink>
                      <RagBadge rag={l.rag} />
                    </div>
                    <div className="ct-card-meta">
                      <span>{l.clientName}</span>
                      <span>Score {score(l.score)}</span>
                    </div>
                    <dl className="ct-kv">
                      <dt>Causes</dt>
                      <dd>{l.causes.join('; ') || '—'}</dd>
                      <dt>Mitigation owner</dt>
                      <dd>{l.mitigationOwner ?? 'not assigned'}</dd>
                      <dt>Recovery</dt>
                      <dd>{day(l.recoveryDate)}</dd>
                      <dt>Change</dt>
                      <dd>{l.changeSinceLastWeek ?? 'none'}</dd>
                    </dl>
                  </li>
                ))}
              </ul>
            )}
            <p className="ct-note">Generated {instant(r.generatedAt)}.</p>
          </>
        )}
      </LoadableView>
    </section>
  );
}
