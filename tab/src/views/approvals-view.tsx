/**
 * My approvals in one place: stage gates and concessions waiting for my decision, each with its
 * decision buttons, and the gates I requested.
 */
import { Text } from '@fluentui/react-components';
import { LoadableView } from '../components/states';
import { instant } from '../format';
import type { ConcessionsDto, GatesWaitingDto, GateSummaryDto } from '../../../src/api/dto';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';
import { ExportButton, EXPORTS } from '../components/export-button';
import { ConcessionCard } from './concession-card';
import { GateDecisionForm } from './gate-panel';

/** `GET /gates` (stage gates) and `GET /concessions?status=pending&mine=true`. */
export function ApprovalsView() {
  const [gates, reloadGates] = useResource('approvals:gates', (api) =>
    api.get<GatesWaitingDto>('/gates'),
  );
  const [concessions, reloadConcessions] = useResource('approvals:concessions', (api) =>
    api.get<ConcessionsDto>('/concessions', { status: 'pending', mine: 'true' }),
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
              onDecided={reloadGates}
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
        {(data) =>
          data.items.length === 0 ? (
            <Text>No concession waits for your decision.</Text>
          ) : (
            <ul
              className="ct-cards ct-cards-wide"
              aria-label="Concessions waiting for your decision"
              data-testid="concession-approvals"
            >
              {data.items.map((c) => (
                <ConcessionCard
                  key={c.id}
                  concession={c}
                  mayDecide
                  showContract
                  onDecided={reloadConcessions}
                />
              ))}
            </ul>
          )
        }
      </LoadableView>
    </section>
  );
}

function GateList({
  gates,
  label,
  empty,
  onDecided,
}: {
  gates: GateSummaryDto[];
  label: string;
  empty: string;
  /** Set on the list of gates waiting for me: each gets the decision buttons. */
  onDecided?: () => void;
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
          {onDecided && g.status === 'pending' ? (
            <GateDecisionForm gate={g} onDecided={onDecided} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
