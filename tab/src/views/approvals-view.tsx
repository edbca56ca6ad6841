/** My approvals: stage gates waiting for my decision (and those I requested); concessions when served. */
import { Text } from '@fluentui/react-components';
import { recordsOf, RecordList } from '../components/record-list';
import { LoadableView } from '../components/states';
import { instant } from '../format';
import type { GatesWaitingDto, GateSummaryDto } from '../../../src/api/dto';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';
import { ExportButton, EXPORTS } from '../components/export-button';

/** `GET /gates` (stage gates) and `GET /concessions` (renewal concessions, when the server has it). */
export function ApprovalsView() {
  const [gates, reloadGates] = useResource('approvals:gates', (api) =>
    api.get<GatesWaitingDto>('/gates'),
  );
  const [concessions, reloadConcessions] = useResource('approvals:concessions', (api) =>
    api.get<unknown>('/concessions'),
  );
  return (
    <section className="ct-view" aria-labelledby="approvals-title">
      <h1 id="approvals-title" className="ct-title">
        My approvals
      </h1>
      <ExportButton {...EXPORTS.gates} /> <ExportButton {...EXPORTS.concessions} />
      <h2 className="ct-subtitle">Stage gates</h2>
      <LoadableView
        value={gates}
        what="stage gates"
        retry={reloadGates}
        missingRouteMeans="Stage-gate approvals"
      >
        {(data) => (
          <>
            <GateList
              gates={data.toDecide}
              label="Gates waiting for your decision"
              empty="No gate waits for your decision."
            />
            <h3 className="ct-subtitle">Gates you requested</h3>
            <GateList
              gates={data.requested}
              label="Gates you requested"
              empty="You have no gate in progress."
            />
          </>
        )}
      </LoadableView>
      <h2 className="ct-subtitle">Concessions</h2>
      <LoadableView
        value={concessions}
        what="concessions"
        retry={reloadConcessions}
        missingRouteMeans="Concession approvals"
      >
        {(body) => (
          <RecordList
            records={recordsOf(body)}
            label="Concessions"
            empty="No concession waits for your decision."
          />
        )}
      </LoadableView>
    </section>
  );
}

function GateList({
  gates,
  label,
  empty,
}: {
  gates: GateSummaryDto[];
  label: string;
  empty: string;
}) {
  if (gates.length === 0) return <Text>{empty}</Text>;
  return (
    <ul className="ct-cards" aria-label={label} data-testid="gate-list">
      {gates.map((g) => (
        <li className="ct-card" key={g.id} data-gate-id={g.id}>
          <div className="ct-card-head">
            <RouteLink
              route={{ view: 'project', projectId: g.project.id, escalationId: null, gateId: g.id }}
            >
              {g.milestone.name} — {g.project.name}
            </RouteLink>
          </div>
          <div className="ct-card-meta">
            <span>{g.client.name}</span>
            <span>
              {g.status}, pack v{g.packVersion} ({g.shortHash})
            </span>
          </div>
          <dl className="ct-kv">
            <dt>Requested</dt>
            <dd>
              {g.requestedBy.name}, {instant(g.requestedAt)}
            </dd>
            <dt>Evidence</dt>
            <dd>
              {g.summary.deliverables} deliverable{g.summary.deliverables === 1 ? '' : 's'}, QA{' '}
              {g.summary.qaPassed} passed / {g.summary.qaFailed} failed, {g.summary.openRisks} open
              risk{g.summary.openRisks === 1 ? '' : 's'}, customer acceptance{' '}
              {g.summary.hasCustomerAcceptance ? 'recorded' : 'missing'}
            </dd>
            <dt>Approvals</dt>
            <dd>
              {g.decisions.filter((d) => d.outcome === 'approve').length} of {g.requiredApprovals}
            </dd>
            <dt>Reminder</dt>
            <dd>{instant(g.reminderDueAt)}</dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
