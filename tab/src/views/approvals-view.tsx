/** My approvals: stage gates and concessions waiting for me, from the gate/renewal modules' routes. */
import { recordsOf, RecordList } from '../components/record-list';
import { LoadableView } from '../components/states';
import { useResource } from '../use-api';

/** `GET /approvals`: what waits for the signed-in user's decision. */
export function ApprovalsView() {
  const [approvals, reload] = useResource('approvals', (api) => api.get<unknown>('/approvals'));
  return (
    <section className="ct-view" aria-labelledby="approvals-title">
      <h1 id="approvals-title" className="ct-title">
        My approvals
      </h1>
      <LoadableView
        value={approvals}
        what="approvals"
        retry={reload}
        missingRouteMeans="Gate and concession approvals"
      >
        {(body) => (
          <RecordList
            records={recordsOf(body)}
            label="Approvals"
            empty="Nothing waits for your approval."
          />
        )}
      </LoadableView>
    </section>
  );
}
