/** Renewals pipeline and one contract, from the renewal module's routes when the server has them. */
import { recordsOf, RecordList, FieldList } from '../components/record-list';
import { LoadableView } from '../components/states';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';

/** `GET /renewals`: contracts approaching renewal, with readiness. */
export function RenewalsView() {
  const [renewals, reload] = useResource('renewals', (api) => api.get<unknown>('/renewals'));
  return (
    <section className="ct-view" aria-labelledby="renewals-title">
      <h1 id="renewals-title" className="ct-title">
        Renewals
      </h1>
      <LoadableView
        value={renewals}
        what="renewals"
        retry={reload}
        missingRouteMeans="The renewal pipeline"
      >
        {(body) => (
          <RecordList
            records={recordsOf(body)}
            label="Renewals"
            empty="No contract is in a renewal window."
          />
        )}
      </LoadableView>
    </section>
  );
}

/** `GET /contracts/:id`: one contract's readiness and renewal timeline. */
export function ContractView({ contractId }: { contractId: number }) {
  const [contract, reload] = useResource(`contract:${contractId}`, (api) =>
    api.get<unknown>(`/contracts/${contractId}`),
  );
  return (
    <section className="ct-view" aria-labelledby="contract-title">
      <p className="ct-back">
        <RouteLink route={{ view: 'renewals' }}>← Renewals</RouteLink>
      </p>
      <h1 id="contract-title" className="ct-title">
        Contract {contractId}
      </h1>
      <LoadableView
        value={contract}
        what="the contract"
        retry={reload}
        missingRouteMeans="Contract detail"
      >
        {(body) => {
          const [record] = recordsOf(body);
          return record ? <FieldList record={record} /> : null;
        }}
      </LoadableView>
    </section>
  );
}
