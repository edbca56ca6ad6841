/**
 * "Request re-baseline" on a project page, for PMs: a reason goes to the PMO lead, who approves or
 * rejects it on the Teams card (the server enforces that only the project's PM may ask).
 */
import { Button, Field, MessageBar, MessageBarBody, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiFailure } from '../api-client';
import { Failed } from '../components/states';
import { useMe } from '../me';
import { useApiClient } from '../use-api';

export function RebaselineRequest({ projectId }: { projectId: number }) {
  const me = useMe();
  const api = useApiClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  if (!(me?.roles.includes('pm') ?? false)) return null;

  const send = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const answer = await api.post<{ notice: string }>(
        `/projects/${projectId}/rebaseline-requests`,
        { reason },
      );
      setNotice(answer.notice);
      setOpen(false);
      setReason('');
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="ct-form" role="group" aria-label="Re-baseline">
      {notice ? (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {open ? (
        <>
          <Field label="Why does the project need a new baseline?" required>
            <Textarea
              value={reason}
              onChange={(_e, d) => setReason(d.value)}
              resize="vertical"
              maxLength={2000}
            />
          </Field>
          <div className="ct-row">
            <Button
              appearance="primary"
              disabled={busy || reason.trim() === ''}
              onClick={() => void send()}
            >
              Send to the PMO lead
            </Button>
            <Button disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </Button>
          </div>
        </>
      ) : (
        <Button onClick={() => setOpen(true)}>Request re-baseline</Button>
      )}
      {failure ? <Failed error={failure} /> : null}
    </div>
  );
}
