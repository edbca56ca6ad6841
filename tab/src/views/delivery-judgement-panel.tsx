/**
 * How the delivery judgement has done on this tenant's own history (issue 14): escalations later
 * confirmed by a slip or overrun, those people marked "not a real issue", troubles escalated late or
 * never. The override log and HaloPSA's record are the truth; this is the figure to tune by.
 */
import type { DeliveryGovernanceDto } from '../../../src/api/dto';
import { LoadableView } from '../components/states';
import { day, percent } from '../format';
import { useResource } from '../use-api';

/** `GET /delivery/governance` (pmo lead, delivery director, msp owner, admin). */
export function DeliveryJudgementPanel() {
  const [record, reload] = useResource('delivery-governance', (api) =>
    api.get<DeliveryGovernanceDto>('/delivery/governance'),
  );
  return (
    <section aria-labelledby="delivery-judgement-title">
      <h2 id="delivery-judgement-title" className="ct-subtitle">
        Delivery judgement on our own history
      </h2>
      <LoadableView value={record} what="the delivery judgement record" retry={reload}>
        {(r) => (
          <>
            <table className="ct-table" data-testid="delivery-judgement">
              <tbody>
                <tr>
                  <th scope="row">Projects escalated</th>
                  <td>{r.escalatedProjects}</td>
                </tr>
                <tr>
                  <th scope="row">Confirmed by a slip or overrun</th>
                  <td>{r.confirmed}</td>
                </tr>
                <tr>
                  <th scope="row">Marked “not a real issue”</th>
                  <td>{r.notARealIssue}</td>
                </tr>
                <tr>
                  <th scope="row">Not settled yet</th>
                  <td>{r.unconfirmed}</td>
                </tr>
                <tr>
                  <th scope="row">Troubles escalated only once visible</th>
                  <td>{r.escalatedLate}</td>
                </tr>
                <tr>
                  <th scope="row">Troubles never escalated</th>
                  <td>{r.neverEscalated}</td>
                </tr>
                <tr>
                  <th scope="row">Precision (settled escalations)</th>
                  <td>{percent(r.precision)}</td>
                </tr>
                <tr>
                  <th scope="row">Recall before the trouble showed</th>
                  <td>{percent(r.recallBeforeVisible)}</td>
                </tr>
                <tr>
                  <th scope="row">Median lead</th>
                  <td>
                    {r.medianLeadWorkingDays === null
                      ? 'no data'
                      : `${r.medianLeadWorkingDays} working days`}
                  </td>
                </tr>
              </tbody>
            </table>
            <p className="ct-note">As of {day(r.asOf)}.</p>
          </>
        )}
      </LoadableView>
    </section>
  );
}
