/** The renewals pipeline; each row opens its contract's page (contract-view.tsx). */
import { Badge, Field, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { LoadableView } from '../components/states';
import { day, percent, score } from '../format';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';
import { Pager } from './portfolio-view';
import type { RenewalPipelineDto } from '../../../src/api/dto';
import { ExportButton, EXPORTS } from '../components/export-button';

const WINDOWS = [30, 60, 90, 180, 365];

/** `GET /renewals?days=&page=`: contracts ending within the window, soonest first. */
export function RenewalsView() {
  const [days, setDays] = useState(90);
  const [page, setPage] = useState(1);
  const query = { days, page, pageSize: 50 };
  const [renewals, reload] = useResource(`renewals:${JSON.stringify(query)}`, (api) =>
    api.get<RenewalPipelineDto>('/renewals', query),
  );
  return (
    <section className="ct-view" aria-labelledby="renewals-title">
      <h1 id="renewals-title" className="ct-title">
        Renewals
      </h1>
      <ExportButton {...EXPORTS.renewals} />
      <div className="ct-filters">
        <Field label="Ending within">
          <Select
            value={String(days)}
            onChange={(_e, d) => {
              setDays(Number(d.value));
              setPage(1);
            }}
          >
            {WINDOWS.map((n) => (
              <option key={n} value={n}>
                {n} days
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <LoadableView
        value={renewals}
        what="renewals"
        retry={reload}
        missingRouteMeans="The renewal pipeline"
      >
        {(data) => (
          <>
            <Text>
              {data.total} contract{data.total === 1 ? '' : 's'} ending within {data.days} days of{' '}
              {day(data.asOf)}.
            </Text>
            {data.items.length === 0 ? (
              <Text>No contract ends in this window.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Renewals" data-testid="renewal-list">
                {data.items.map((r) => (
                  <li className="ct-card" key={r.contractId} data-contract-id={r.contractId}>
                    <div className="ct-card-head">
                      <RouteLink route={{ view: 'contract', contractId: r.contractId }}>
                        {r.clientName} — {r.ref}
                      </RouteLink>
                      {r.flagged ? (
                        <Badge appearance="filled" color="danger">
                          flagged
                        </Badge>
                      ) : null}
                    </div>
                    <div className="ct-card-meta">
                      {r.contractType ? <span>{r.contractType}</span> : null}
                      <span>
                        Ends {day(r.endDate)}
                        {r.daysToEnd !== null ? ` (${r.daysToEnd} days)` : ''}
                      </span>
                      <span>{r.stage === 'none' ? 'no stage yet' : `${r.stage}-day stage`}</span>
                    </div>
                    <dl className="ct-facts">
                      <div>
                        <dt>Readiness</dt>
                        <dd>
                          {score(r.score)} ({r.band})
                        </dd>
                      </div>
                      <div>
                        <dt>Confidence</dt>
                        <dd>{percent(r.confidence)}</dd>
                      </div>
                      <div>
                        <dt>Owner</dt>
                        <dd>{r.ownerName ?? 'not assigned'}</dd>
                      </div>
                      <div>
                        <dt>Top driver</dt>
                        <dd>{r.flagCause ?? r.topDriver ?? 'none'}</dd>
                      </div>
                    </dl>
                    {r.dataQuality.length > 0 ? (
                      <div className="ct-explain">Data quality: {r.dataQuality.join('; ')}</div>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </LoadableView>
    </section>
  );
}
