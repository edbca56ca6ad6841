/**
 * One concession request as the contract page and the Approvals view show it: depth, margin after,
 * retention effect, precedent and tier; the approver's Approve / Reject with a comment when the
 * server says this person may decide it.
 */
import { Badge, Button, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { ApiFailure } from '../api-client';
import { Failed } from '../components/states';
import { instant } from '../format';
import { RouteLink } from '../navigation';
import { useApiClient } from '../use-api';
import type { ConcessionDecisionInputDto, ConcessionDto } from '../../../src/api/dto';

/** Money per month, as the cards show it. */
export function perMonth(value: number): string {
  return `${value.toLocaleString('en-GB', { maximumFractionDigits: 0 })} / month`;
}

/** A margin in percent, or "unknown" without a cost. */
export function marginText(value: number | null): string {
  return value === null ? 'unknown (no cost on the contract)' : `${value.toFixed(1)} %`;
}

/** The tier as people say it. */
export function tierText(tier: ConcessionDto['approverTier']): string {
  return tier === 'cs_lead' ? 'cs lead' : 'msp owner';
}

/** A concession request, with the decision form when `mayDecide`. */
export function ConcessionCard({
  concession: c,
  mayDecide,
  showContract,
  onDecided,
}: {
  concession: ConcessionDto;
  mayDecide: boolean;
  showContract: boolean;
  onDecided: () => void;
}) {
  return (
    <li
      className="ct-card"
      data-concession-id={c.id}
      data-status={c.status}
      aria-label={`Concession ${c.discountPct} % on ${c.ref}`}
    >
      <div className="ct-card-head">
        {showContract ? (
          <RouteLink route={{ view: 'contract', contractId: c.contractId }}>
            {c.clientName} — {c.ref}: {c.discountPct} % off
          </RouteLink>
        ) : (
          <span>{c.discountPct} % off</span>
        )}
        <Badge
          appearance="filled"
          color={
            c.status === 'approved' ? 'success' : c.status === 'rejected' ? 'danger' : 'warning'
          }
        >
          {c.status}
        </Badge>
      </div>
      <dl className="ct-kv">
        <dt>Reason</dt>
        <dd>{c.reason}</dd>
        <dt>Revenue</dt>
        <dd>
          {perMonth(c.monthlyRevenueBefore)} → {perMonth(c.monthlyRevenueAfter)}
        </dd>
        <dt>Margin after</dt>
        <dd>{marginText(c.marginAfterPct)}</dd>
        <dt>Retention effect</dt>
        <dd>
          {c.expectedMonthlyRevenueDelta >= 0 ? '+' : ''}
          {perMonth(c.expectedMonthlyRevenueDelta)} expected
        </dd>
        <dt>Precedent</dt>
        <dd>
          {c.precedentAvgDepthPct === null
            ? 'no approved concession on similar contracts'
            : `${c.precedentAvgDepthPct} % average over ${c.precedentCount} similar contract(s)`}
        </dd>
        <dt>Approver</dt>
        <dd>
          {tierText(c.approverTier)} ({c.tierReasons.join('; ')})
        </dd>
        <dt>Requested</dt>
        <dd>
          {c.requestedBy}, {instant(c.requestedAt)}
        </dd>
        {c.decidedBy ? (
          <>
            <dt>Decided</dt>
            <dd>
              {c.status} by {c.decidedBy}, {instant(c.decidedAt)}
              {c.comment ? ` — “${c.comment}”` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <p className="ct-explain">{c.retention}</p>
      {mayDecide && c.status === 'pending' ? (
        <ConcessionDecision concession={c} onDecided={onDecided} />
      ) : null}
    </li>
  );
}

function ConcessionDecision({
  concession,
  onDecided,
}: {
  concession: ConcessionDto;
  onDecided: () => void;
}) {
  const api = useApiClient();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const decide = async (decision: ConcessionDecisionInputDto['decision']) => {
    setBusy(true);
    setFailure(null);
    try {
      const body: ConcessionDecisionInputDto = {
        decision,
        expectedVersion: concession.version,
        ...(comment.trim() ? { comment } : {}),
      };
      await api.post(`/concessions/${concession.id}/decision`, body);
      onDecided();
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ct-form" role="group" aria-label="Your decision on this concession">
      <Field label="Comment (needed to reject)">
        <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} resize="vertical" />
      </Field>
      <div className="ct-row">
        <Button appearance="primary" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </Button>
        <Button disabled={busy} onClick={() => void decide('reject')}>
          Reject
        </Button>
      </div>
      {failure ? <Failed error={failure} /> : null}
    </div>
  );
}
