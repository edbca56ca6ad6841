/** The "Export" button of a list view: downloads a file of `/api/v1/exports/...` as the user sees it. */
import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useApiClient } from '../use-api';

/** What each list exports: its sheet of the KPI and risk register, or a PDF. */
export const EXPORTS = {
  register: { path: '/exports/register.xlsx', label: 'Export KPI and risk register' },
  kpis: { path: '/exports/kpis.xlsx', label: 'Export' },
  projects: { path: '/exports/projects.xlsx', label: 'Export' },
  renewals: { path: '/exports/renewals.xlsx', label: 'Export' },
  concessions: { path: '/exports/concessions.xlsx', label: 'Export concessions' },
  gates: { path: '/exports/gates.xlsx', label: 'Export gate decisions' },
  weeklyReport: { path: '/exports/weekly-report.pdf', label: 'Export PDF' },
  pilotBrief: { path: '/exports/pilot-proof-brief.pdf', label: 'Export pilot proof brief' },
} as const;

/** Downloads `path` under the name the server gives it; a refusal is shown, not thrown. */
export function ExportButton({ path, label = 'Export' }: { path: string; label?: string }) {
  const api = useApiClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.download(path);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = path.slice(path.lastIndexOf('/') + 1);
      a.click();
      URL.revokeObjectURL(url);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="ct-export">
      <Button disabled={busy} onClick={() => void download()}>
        {busy ? 'Exporting…' : label}
      </Button>
      {error ? <Text role="alert">Export failed: {error}</Text> : null}
    </span>
  );
}
