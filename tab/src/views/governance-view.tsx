/**
 * The monthly renewal governance review, laid out for the meeting it serves: where the month stands
 * (retention risk, uplift conversion, discount pressure, owner overrides) in sentences and tables,
 * then the tuning suggestions the cs lead accepts or rejects (an accepted one becomes the next
 * renewal policy version), the sign-off, and the policy versions so far.
 */
import { Button, Select } from '@fluentui/react-components';
import { useState } from 'react';
import type {
  GovernanceFiguresDto,
  GovernanceReviewDto,
  GovernanceReviewMonthsDto,
  RenewalPolicyVersionsDto,
} from '../../../src/api/dto';
import { ApiFailure } from '../api-client';
import { Failed, LoadableView } from '../components/states';
import { instant, percent } from '../format';
import { useMe } from '../me';
import { RouteLink } from '../navigation';
import { useApiClient, useResource } from '../use-api';
import { DeliveryJudgementPanel } from './delivery-judgement-panel';

/** Roles that oversee every project and may read the delivery judgement record. */
const DELIVERY_OVERSIGHT = new Set(['pmo_lead', 'delivery_director', 'msp_owner', 'admin']);

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "November 2026" from "2026-11". */
function monthName(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? month
    : date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const AREA_LABEL: Record<GovernanceFiguresDto['tuningSuggestions'][number]['area'], string> = {
  'readiness-bands': 'Readiness bands',
  'readiness-weights': 'Readiness thresholds',
  'owner-calibration': 'Owner calibration',
  'concession-tiers': 'Concession tiers',
  uplift: 'Uplift detection',
};

/** The month asked for by a deep link (`/governance?month=2026-11`), if any. */
function linkedMonth(): string | null {
  const month = new URLSearchParams(window.location.search).get('month');
  return month && /^\d{4}-\d{2}$/.test(month) ? month : null;
}

/** `GET /governance/reviews`: the stored reviews; the month so far when there is none yet. */
export function GovernanceView() {
  const me = useMe();
  const [months] = useResource('governance-months', (api) =>
    api.get<GovernanceReviewMonthsDto>('/governance/reviews'),
  );
  const [chosen, setChosen] = useState<string | null>(linkedMonth);
  return (
    <section className="ct-view" aria-labelledby="governance-title">
      <h1 id="governance-title" className="ct-title">
        Renewal governance review
      </h1>
      <LoadableView
        value={months}
        what="the governance reviews"
        missingRouteMeans="The monthly governance review"
      >
        {({ items }) => {
          const month = chosen ?? items[0]?.month ?? null;
          return (
            <>
              {items.length > 0 ? (
                <div className="ct-row">
                  <label htmlFor="governance-month">Month reviewed</label>
                  <Select
                    id="governance-month"
                    value={month ?? ''}
                    onChange={(_, d) => setChosen(d.value)}
                  >
                    {items.map((i) => (
                      <option key={i.month} value={i.month}>
                        {monthName(i.month)}
                      </option>
                    ))}
                  </Select>
                </div>
              ) : null}
              {month === null ? <MonthSoFar /> : <StoredReview month={month} />}
            </>
          );
        }}
      </LoadableView>
      <RenewalPolicyVersions />
      {me?.roles.some((r) => DELIVERY_OVERSIGHT.has(r)) === true && <DeliveryJudgementPanel />}
    </section>
  );
}

/** No review stored yet: the month's figures so far, without decisions. */
function MonthSoFar() {
  const [figures, reload] = useResource('governance-live', (api) =>
    api.get<GovernanceFiguresDto>('/renewals/governance'),
  );
  return (
    <>
      <p className="ct-note" data-testid="governance-no-review">
        No review has been created yet: the review of each month is created on the first working day
        of the next, and sent to the cs lead. Below: this month so far.
      </p>
      <LoadableView value={figures} what="the governance figures" retry={reload}>
        {(review) => <ReviewFigures review={review} />}
      </LoadableView>
    </>
  );
}

/** One stored review with its suggestions and sign-off. */
function StoredReview({ month }: { month: string }) {
  const [loaded, reload] = useResource(`governance:${month}`, (api) =>
    api.get<GovernanceReviewDto>(`/governance/reviews/${month}`),
  );
  return (
    <LoadableView value={loaded} what="the governance review" retry={reload}>
      {(view) => (
        <div data-testid="governance-review" data-month={view.month}>
          <div className="ct-card">
            <h2 className="ct-subtitle">{monthName(view.month)}</h2>
            <p>
              Judged under renewal policy version {view.review.policyVersion}; created{' '}
              {instant(view.createdAt)}.{' '}
              {view.signedOff
                ? `Signed off by ${view.signedOff.by} on ${instant(view.signedOff.at)}.`
                : view.openSuggestions > 0
                  ? `${plural(view.openSuggestions, 'suggestion')} still to answer.`
                  : 'Every suggestion is answered: ready to sign off.'}
            </p>
          </div>
          <ReviewFigures review={view.review} />
          <Suggestions view={view} onChange={reload} />
        </div>
      )}
    </LoadableView>
  );
}

/** The four sections of figures, as sentences and tables. */
function ReviewFigures({ review }: { review: GovernanceFiguresDto }) {
  const risk = review.retentionRisk;
  const up = review.upliftConversion;
  const disc = review.discountPressure;
  const ov = review.overrides;
  return (
    <>
      <h2 className="ct-subtitle">Retention risk</h2>
      <p data-testid="governance-retention">
        {plural(risk.atRiskCount, 'contract')} at risk, worth {money(risk.atRiskMrr)} a month;{' '}
        {risk.watchCount} on watch; {risk.newlyAtRisk.length} newly at risk since the last review;{' '}
        {risk.flaggedCount} flagged for churn; {risk.unknownCount} without enough data to judge.
      </p>
      {risk.atRiskInWindow.length === 0 ? (
        <p className="ct-note">No at-risk contract is inside a renewal window.</p>
      ) : (
        <div className="ct-scroll" role="region" aria-label="At risk and renewing" tabIndex={0}>
          <table className="ct-table" data-testid="governance-at-risk">
            <caption>At risk and already inside a 90/60/30-day renewal window: act now</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Contract</th>
                <th scope="col">Renewal stage</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {risk.atRiskInWindow.map((c) => (
                <tr key={c.contractId}>
                  <th scope="row">{c.clientName}</th>
                  <td>
                    <RouteLink route={{ view: 'contract', contractId: Number(c.contractId) }}>
                      Contract {c.contractId}
                    </RouteLink>
                  </td>
                  <td>{c.stage}-day</td>
                  <td>{c.why.length > 0 ? c.why.join('; ') : 'no single driver stands out'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 className="ct-subtitle">Uplift conversion</h2>
      <p data-testid="governance-uplift">
        {up.accepted} of {up.accepted + up.declined} answered uplift proposals were accepted (
        {percent(up.conversionRate)}); {up.open} still await the customer's answer. Accepted uplift
        adds {money(up.acceptedMonthlyUplift)} a month.
      </p>

      <h2 className="ct-subtitle">Discount pressure</h2>
      <p data-testid="governance-discounts">
        {disc.requests === 0
          ? 'No concession was decided yet.'
          : `${plural(disc.requests, 'concession request')} decided: ${disc.requestedAvgPct ?? '—'} % requested and ${disc.approvedAvgPct ?? '—'} % approved on average; ${percent(disc.deepShare)} went beyond the cs-lead limit.`}
      </p>

      <h2 className="ct-subtitle">Owner overrides</h2>
      <p data-testid="governance-overrides">
        {ov.total === 0
          ? 'No checkpoint call disagreed with the score.'
          : `${plural(ov.total, 'checkpoint call')} disagreed with the score; ${ov.resolved} have an outcome, and the owner was right in ${percent(ov.ownerRightRate)} of those.`}
      </p>
    </>
  );
}

/** The tuning suggestions, answered by the cs lead; then the sign-off. */
function Suggestions({ view, onChange }: { view: GovernanceReviewDto; onChange: () => void }) {
  const api = useApiClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const act = async (path: string, body: unknown) => {
    setBusy(true);
    setFailure(null);
    try {
      await api.post(path, body);
      onChange();
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    } finally {
      setBusy(false);
    }
  };
  const base = `/governance/reviews/${view.month}`;
  return (
    <>
      <h2 className="ct-subtitle">Tuning suggestions</h2>
      {view.suggestions.length === 0 ? (
        <p className="ct-note">
          No tuning suggestions this month: too few resolved overrides or decided requests point the
          same way.
        </p>
      ) : (
        <div className="ct-scroll" role="region" aria-label="Tuning suggestions" tabIndex={0}>
          <table className="ct-table" data-testid="governance-suggestions">
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Suggestion</th>
                <th scope="col">Evidence</th>
                <th scope="col">Policy change</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {view.suggestions.map((s) => (
                <tr key={s.id} data-suggestion-id={s.id} data-status={s.status}>
                  <th scope="row">{AREA_LABEL[s.area]}</th>
                  <td>{s.suggestion}</td>
                  <td>{s.evidence}</td>
                  <td>
                    {s.changeLines.length === 0
                      ? 'None: advice for people'
                      : s.changeLines.map((c) => <div key={c}>{c}</div>)}
                  </td>
                  <td>
                    {s.status !== 'open' ? (
                      `${s.status === 'accepted' ? 'Accepted' : 'Rejected'} by ${s.decidedBy ?? 'someone'}${
                        s.policyVersion !== null ? `: policy version ${s.policyVersion}` : ''
                      }`
                    ) : view.actions.decide ? (
                      <div className="ct-row">
                        <Button
                          appearance="primary"
                          size="small"
                          disabled={busy}
                          onClick={() =>
                            void act(`${base}/suggestions/${s.id}/decision`, {
                              decision: 'accept',
                            })
                          }
                        >
                          Accept
                        </Button>
                        <Button
                          size="small"
                          disabled={busy}
                          onClick={() =>
                            void act(`${base}/suggestions/${s.id}/decision`, {
                              decision: 'reject',
                            })
                          }
                        >
                          Reject
                        </Button>
                      </div>
                    ) : (
                      'Waiting for the cs lead'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.actions.signOff ? (
        <Button
          appearance="primary"
          disabled={busy}
          onClick={() => void act(`${base}/sign-off`, {})}
        >
          Sign off the review
        </Button>
      ) : null}
      {failure ? <Failed error={failure} /> : null}
    </>
  );
}

/**
 * The renewal policy versions, newest (in force) first: each accepted governance suggestion made
 * one. Read-only; also shown on the settings page.
 */
export function RenewalPolicyVersions() {
  const [versions, reload] = useResource('renewal-policy-versions', (api) =>
    api.get<RenewalPolicyVersionsDto>('/renewals/policy/versions'),
  );
  return (
    <>
      <h2 className="ct-subtitle">Renewal policy versions</h2>
      <LoadableView value={versions} what="the renewal policy versions" retry={reload}>
        {({ items }) => (
          <div
            className="ct-scroll"
            role="region"
            aria-label="Renewal policy versions"
            tabIndex={0}
          >
            <table className="ct-table" data-testid="renewal-policy-versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Since</th>
                  <th scope="col">By</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {items.map((v) => (
                  <tr key={v.version} data-current={v.current}>
                    <th scope="row">
                      {v.version}
                      {v.current ? ' (in force)' : ''}
                    </th>
                    <td>{v.createdAt === null ? 'built in' : instant(v.createdAt)}</td>
                    <td>{v.createdBy}</td>
                    <td>{v.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadableView>
    </>
  );
}
