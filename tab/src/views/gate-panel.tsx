/**
 * One stage gate on its project's page (`/projects/<id>?gate=<gateId>`): evidence pack, files,
 * decisions and audit timeline; PMO leads decide here (the server enforces who may).
 */
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiFailure } from '../api-client';
import { Failed, LoadableView } from '../components/states';
import { instant } from '../format';
import type { GateDetailDto, GateSummaryDto } from '../../../src/api/dto';
import { useMe } from '../me';
import { integrityNotice } from './gate-integrity';
import { useApiClient, useResource } from '../use-api';

const OUTCOMES: { outcome: 'approve' | 'reject' | 'request-changes'; label: string }[] = [
  { outcome: 'approve', label: 'Approve' },
  { outcome: 'reject', label: 'Reject' },
  { outcome: 'request-changes', label: 'Request changes' },
];

/** The gate's pack page inside the project page. */
export function GatePanel({ gateId, onDecided }: { gateId: string; onDecided?: () => void }) {
  const [detail, reload] = useResource(`gate:${gateId}`, (api) =>
    api.get<GateDetailDto>(`/gates/${encodeURIComponent(gateId)}`),
  );
  return (
    <section
      id={`gate-${gateId}`}
      tabIndex={-1}
      className="ct-card ct-highlight"
      aria-labelledby="gate-title"
      data-testid="gate-panel"
    >
      <LoadableView value={detail} what="the gate" retry={reload} missingRouteMeans="Stage gates">
        {(d) => (
          <GateDetail
            detail={d}
            onDecided={() => {
              reload();
              onDecided?.();
            }}
          />
        )}
      </LoadableView>
    </section>
  );
}

function GateDetail({ detail, onDecided }: { detail: GateDetailDto; onDecided: () => void }) {
  const g = detail.gate;
  const me = useMe();
  const mayDecide = g.status === 'pending' && (me?.roles.includes('pmo_lead') ?? false);
  const integrity = integrityNotice(detail.integrity);
  return (
    <>
      <h2 id="gate-title" className="ct-subtitle">
        {/^gate\b/i.test(g.milestone.name) ? '' : 'Gate: '}
        {g.milestone.name} — {g.status}
      </h2>
      <div className="ct-card-meta">
        <span>
          Pack v{g.packVersion} ({g.shortHash})
        </span>
        <span>
          Requested by {g.requestedBy.name}, {instant(g.requestedAt)}
        </span>
        {g.decidedAt ? <span>Decided {instant(g.decidedAt)}</span> : null}
      </div>
      {integrity ? (
        <MessageBar
          intent={integrity.intent}
          data-testid="gate-integrity"
          data-integrity={detail.integrity?.status}
        >
          <MessageBarBody>
            <strong>{integrity.title}</strong>
            {integrity.lines.length > 0 ? (
              <ul className="ct-list">
                {integrity.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : null}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <h3 className="ct-subtitle">Deliverables</h3>
      {detail.pack.deliverables.length === 0 ? (
        <Text>None.</Text>
      ) : (
        <ul className="ct-list">
          {detail.pack.deliverables.map((d, i) =>
            d.kind === 'link' ? (
              <li key={i}>
                <a href={d.url} target="_blank" rel="noreferrer">
                  {d.title || d.url}
                </a>
              </li>
            ) : (
              <li key={i}>
                {fileLink(detail, d.fileId, d.name)} ({Math.ceil(d.size / 1024)} KB, sha256{' '}
                {d.sha256.slice(0, 12)})
              </li>
            ),
          )}
        </ul>
      )}
      <h3 className="ct-subtitle">QA outcomes</h3>
      {detail.pack.qaOutcomes.length === 0 ? (
        <Text>None recorded.</Text>
      ) : (
        <ul className="ct-list">
          {detail.pack.qaOutcomes.map((q, i) => (
            <li key={i}>
              {q.name}: <strong>{q.outcome}</strong>
              {q.notes ? ` — ${q.notes}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h3 className="ct-subtitle">Customer acceptance</h3>
      <Text>{detail.pack.customerAcceptanceNotes || 'Not recorded.'}</Text>
      <h3 className="ct-subtitle">Open risks</h3>
      {detail.pack.openRisks.length === 0 ? (
        <Text>{detail.pack.noOpenRisks ? 'The PM states there are none.' : 'None listed.'}</Text>
      ) : (
        <ul className="ct-list">
          {detail.pack.openRisks.map((r, i) => (
            <li key={i}>
              {r.description} — owner {r.owner}; mitigation: {r.mitigation}
            </li>
          ))}
        </ul>
      )}
      <h3 className="ct-subtitle">Decisions</h3>
      {detail.decisions.length === 0 ? (
        <Text>
          None yet ({g.requiredApprovals} approval{g.requiredApprovals === 1 ? '' : 's'} needed).
        </Text>
      ) : (
        <ul className="ct-list">
          {detail.decisions.map((d, i) => (
            <li key={i}>
              v{d.packVersion}: {d.outcome} by {d.by.name}, {instant(d.at)}
              {d.comment ? ` — “${d.comment}”` : ''}
            </li>
          ))}
        </ul>
      )}
      {mayDecide ? <GateDecisionForm gate={g} onDecided={onDecided} /> : null}
      <h3 className="ct-subtitle">Audit timeline</h3>
      <ol className="ct-timeline">
        {detail.timeline.map((t) => (
          <li key={t.seq}>
            <time dateTime={t.at}>{instant(t.at)}</time> {t.action} — {t.actorName}{' '}
            <code title="entry hash">{t.hash.slice(0, 10)}</code>
          </li>
        ))}
      </ol>
    </>
  );
}

function fileLink(detail: GateDetailDto, fileId: string, name: string) {
  const file = detail.files.find((f) => f.id === fileId);
  return file?.webUrl ? (
    <a href={file.webUrl} target="_blank" rel="noreferrer">
      {name}
    </a>
  ) : (
    name
  );
}

/** Approve / reject / request changes on a pending gate (also used by the Approvals view). */
export function GateDecisionForm({
  gate,
  onDecided,
}: {
  gate: GateSummaryDto;
  onDecided: () => void;
}) {
  const api = useApiClient();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ApiFailure | null>(null);
  const decide = async (outcome: (typeof OUTCOMES)[number]['outcome']) => {
    setBusy(true);
    setResult(null);
    try {
      await api.post(`/gates/${encodeURIComponent(gate.id)}/decisions`, {
        packVersion: gate.packVersion,
        outcome,
        comment,
      });
      onDecided();
    } catch (error) {
      setResult(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ct-form" role="group" aria-label="Your decision">
      <MessageBar intent="info">
        <MessageBarBody>
          You decide on pack v{gate.packVersion} ({gate.shortHash}); the pack is frozen as shown.
        </MessageBarBody>
      </MessageBar>
      <Field label="Comment (needed to reject or request changes)">
        <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} resize="vertical" />
      </Field>
      <div className="ct-row">
        {OUTCOMES.map((o) => (
          <Button
            key={o.outcome}
            appearance={o.outcome === 'approve' ? 'primary' : 'secondary'}
            disabled={busy}
            onClick={() => void decide(o.outcome)}
          >
            {o.label}
          </Button>
        ))}
      </div>
      {result ? <Failed error={result} /> : null}
    </div>
  );
}
