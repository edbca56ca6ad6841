/**
 * Exceptions: notifications that could not be delivered, grouped by stream and cause with what to do
 * about each group, and the HaloPSA records that failed validation.
 */
import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import type {
  DataQualityExceptionDto,
  DeliveryFailureGroupDto,
  ExceptionsPageDto,
} from '../../../src/api/dto';
import { LoadableView } from '../components/states';
import { instant } from '../format';
import { useResource } from '../use-api';
import { Pager } from './portfolio-view';

/** `GET /exceptions?type=data-quality`: its delivery groups and a page of data-quality exceptions. */
export function ExceptionsView() {
  const [page, setPage] = useState(1);
  const query = { type: 'data-quality', page, pageSize: 50 };
  const [list, reload] = useResource(JSON.stringify(query), (api) =>
    api.get<ExceptionsPageDto>('/exceptions', query),
  );
  return (
    <section className="ct-view" aria-labelledby="exceptions-title">
      <h1 id="exceptions-title" className="ct-title">
        Exceptions
      </h1>
      <LoadableView value={list} what="exceptions" retry={reload}>
        {(data) => (
          <>
            <h2 className="ct-subtitle">Undelivered notifications</h2>
            {data.deliveryFailures.length === 0 ? (
              <Text>Every notification was delivered.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Undelivered notifications">
                {data.deliveryFailures.map((g) => (
                  <li className="ct-card" key={`${g.stream ?? ''}-${g.cause}`}>
                    <DeliveryFailureCard group={g} />
                  </li>
                ))}
              </ul>
            )}
            <h2 className="ct-subtitle">Data quality</h2>
            <Text>
              {data.counts.dataQuality} HaloPSA record problem
              {data.counts.dataQuality === 1 ? '' : 's'}: such records never drive an automated
              action.
            </Text>
            {data.items.length === 0 ? (
              <Text>No data-quality exception.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Data-quality exceptions">
                {data.items.map((e) =>
                  e.type === 'data-quality' ? (
                    <li className="ct-card" key={`dq-${e.resource}-${e.recordId}-${e.field}`}>
                      <DataQualityCard exception={e} />
                    </li>
                  ) : null,
                )}
              </ul>
            )}
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </LoadableView>
    </section>
  );
}

function DeliveryFailureCard({ group: g }: { group: DeliveryFailureGroupDto }) {
  return (
    <>
      <div className="ct-card-head">
        <Text weight="semibold">{g.problem.charAt(0).toUpperCase() + g.problem.slice(1)}</Text>
      </div>
      <dl className="ct-kv">
        <dt>Fix</dt>
        <dd>{g.fix}</dd>
        <dt>Notifications</dt>
        <dd>
          {g.count}, {instant(g.firstAt)} – {instant(g.lastAt)}
        </dd>
        {g.example !== null && g.cause !== 'no-channel' ? (
          <>
            <dt>Error</dt>
            <dd>{g.example}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

function DataQualityCard({ exception: e }: { exception: DataQualityExceptionDto }) {
  return (
    <dl className="ct-kv">
      <dt>Record</dt>
      <dd>
        {e.resource} {e.recordId}
      </dd>
      <dt>Field</dt>
      <dd>{e.field}</dd>
      <dt>Problem</dt>
      <dd>{e.problem}</dd>
      <dt>Seen</dt>
      <dd>
        {instant(e.firstSeen)} – {instant(e.lastSeen)}
      </dd>
    </dl>
  );
}
