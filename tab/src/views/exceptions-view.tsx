/** Exceptions: HaloPSA records that failed validation and notifications that could not be delivered. */
import { Field, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ExceptionDto, ExceptionsPageDto } from '../../../src/api/dto';
import { LoadableView } from '../components/states';
import { instant } from '../format';
import { useResource } from '../use-api';
import { Pager } from './portfolio-view';

/** `GET /exceptions`. */
export function ExceptionsView() {
  const [type, setType] = useState<'' | 'data-quality' | 'failed-delivery'>('');
  const [page, setPage] = useState(1);
  const query = { type: type || null, page, pageSize: 50 };
  const [list, reload] = useResource(JSON.stringify(query), (api) =>
    api.get<ExceptionsPageDto>('/exceptions', query),
  );
  return (
    <section className="ct-view" aria-labelledby="exceptions-title">
      <h1 id="exceptions-title" className="ct-title">
        Exceptions
      </h1>
      <div className="ct-filters">
        <Field label="Type">
          <Select
            value={type}
            onChange={(_e, d) => {
              setType(d.value as typeof type);
              setPage(1);
            }}
          >
            <option value="">All</option>
            <option value="data-quality">Data quality</option>
            <option value="failed-delivery">Failed deliveries</option>
          </Select>
        </Field>
      </div>
      <LoadableView value={list} what="exceptions" retry={reload}>
        {(data) => (
          <>
            <Text>
              {data.counts.dataQuality} data-quality exception
              {data.counts.dataQuality === 1 ? '' : 's'}, {data.counts.failedDeliveries} failed
              deliver{data.counts.failedDeliveries === 1 ? 'y' : 'ies'}.
            </Text>
            {data.items.length === 0 ? (
              <Text>No exception.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Exceptions">
                {data.items.map((e) => (
                  <li className="ct-card" key={keyOf(e)}>
                    <ExceptionCard exception={e} />
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

function keyOf(e: ExceptionDto): string {
  return e.type === 'data-quality' ? `dq-${e.resource}-${e.recordId}-${e.field}` : `fd-${e.id}`;
}

function ExceptionCard({ exception: e }: { exception: ExceptionDto }) {
  if (e.type === 'data-quality')
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
  return (
    <dl className="ct-kv">
      <dt>Notification</dt>
      <dd>
        {e.kind} ({e.stream ?? 'no stream'})
      </dd>
      <dt>Status</dt>
      <dd>
        {e.status} after {e.attempts} attempt{e.attempts === 1 ? '' : 's'}
      </dd>
      <dt>Last error</dt>
      <dd>{e.lastError ?? '—'}</dd>
      <dt>Created</dt>
      <dd>{instant(e.createdAt)}</dd>
    </dl>
  );
}
