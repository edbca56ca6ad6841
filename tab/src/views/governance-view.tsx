/** Monthly governance review: retention risk, uplift conversion, discount pressure, tuning suggestions. */
import { recordsOf, RecordList } from '../components/record-list';
import { LoadableView } from '../components/states';
import { useMe } from '../me';
import { useResource } from '../use-api';
import { DeliveryJudgementPanel } from './delivery-judgement-panel';

/** Roles that oversee every project and may read the delivery judgement record. */
const DELIVERY_OVERSIGHT = new Set(['pmo_lead', 'delivery_director', 'msp_owner', 'admin']);

/** `GET /renewals/governance`: the renewal module's monthly review (msp owner, cs lead, admin). */
export function GovernanceView() {
  const me = useMe();
  const [review, reload] = useResource('governance', (api) =>
    api.get<unknown>('/renewals/governance'),
  );
  return (
    <section className="ct-view" aria-labelledby="governance-title">
      <h1 id="governance-title" className="ct-title">
        Governance review
      </h1>
      <LoadableView
        value={review}
        what="the governance review"
        retry={reload}
        missingRouteMeans="The monthly governance review"
      >
        {(body) => (
          <RecordList
            records={recordsOf(body)}
            label="Governance"
            empty="No governance figures yet."
          />
        )}
      </LoadableView>
      {me?.roles.some((r) => DELIVERY_OVERSIGHT.has(r)) === true && <DeliveryJudgementPanel />}
    </section>
  );
}
