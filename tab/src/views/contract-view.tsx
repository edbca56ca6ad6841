/**
 * One contract's renewal page (`/contracts/<id>`, the page renewal cards deep-link to): readiness
 * with its drivers and trend, stage and tasks, stakeholder map, uplift, concessions and the
 * timeline. The actions shown are those the server says this person may take (`actions`); the
 * server authorises each one again.
 */
import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { ApiFailure } from '../api-client';
import { LineChart } from '../charts/line-chart';
import { Failed, LoadableView } from '../components/states';
import { day, instant, percent, score } from '../format';
import { RouteLink } from '../navigation';
import { useApiClient, useResource } from '../use-api';
import { ConcessionCard, marginText, perMonth, tierText } from './concession-card';
import type {
  CheckpointInputDto,
  ConcessionDto,
  ConcessionPreviewDto,
  ContractDetailDto,
  RenewalAgentsDto,
  StakeholdersInputDto,
  ClientContactDto,
} from '../../../src/api/dto';

const CALLS: { value: CheckpointInputDto['ownerCall']; label: string }[] = [
  { value: 'renew', label: 'Renew' },
  { value: 'at-risk', label: 'At risk' },
  { value: 'churn', label: 'Churn' },
  { value: 'monitor', label: 'Monitor (not inside 30 days)' },
];

const STAKEHOLDERS: { role: keyof StakeholdersInputDto; label: string }[] = [
  { role: 'decision-maker', label: 'Decision maker' },
  { role: 'champion', label: 'Champion' },
  { role: 'billing-contact', label: 'Billing contact' },
];

/** Runs one action against the API: busy while it runs, the refusal shown when it fails. */
function useAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      onDone();
      return true;
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const shown: ReactNode = failure ? <Failed error={failure} /> : null;
  return { busy, run, failure: shown };
}

/** `GET /contracts/:id`: one contract's renewal page. */
export function ContractView({ contractId }: { contractId: number }) {
  const [contract, reload] = useResource(`contract:${contractId}`, (api) =>
    api.get<ContractDetailDto>(`/contracts/${contractId}`),
  );
  return (
    <section className="ct-view" aria-labelledby="contract-title" data-testid="contract-page">
      <p className="ct-back">
        <RouteLink route={{ view: 'renewals' }}>← Renewals</RouteLink>
      </p>
      <LoadableView
        value={contract}
        what="the contract"
        retry={reload}
        missingRouteMeans="Contract detail"
      >
        {(d) => <ContractPage detail={d} reload={reload} />}
      </LoadableView>
    </section>
  );
}

function ContractPage({ detail: d, reload }: { detail: ContractDetailDto; reload: () => void }) {
  const c = d.contract;
  const may = d.actions;
  const current = d.stages.find((s) => s.stage === c.stage) ?? d.stages[d.stages.length - 1];
  return (
    <>
      <header className="ct-card">
        <h1 id="contract-title" className="ct-title">
          {c.clientName} — {c.ref}
        </h1>
        <div className="ct-card-meta">
          {c.contractType ? <span>{c.contractType}</span> : null}
          <span>
            Ends {day(c.endDate)}
            {c.daysToEnd !== null ? ` (${c.daysToEnd} days)` : ''}
          </span>
          <span>{c.stage === 'none' ? 'no stage yet' : `${c.stage}-day stage`}</span>
          {c.flagged ? (
            <Badge appearance="filled" color="danger">
              flagged
            </Badge>
          ) : null}
        </div>
        <dl className="ct-facts ct-facts-big">
          <div>
            <dt>Readiness</dt>
            <dd data-testid="readiness">
              {score(c.score)} ({c.band})
            </dd>
          </div>
          <div>
            <dt>Confidence</dt>
            <dd>{percent(c.confidence)}</dd>
          </div>
          <div>
            <dt>Renewal owner</dt>
            <dd data-testid="renewal-owner">
              {d.renewalOwner?.name ?? c.ownerName ?? 'not assigned'}
            </dd>
          </div>
        </dl>
        {c.flagCause ? <p className="ct-note">Flagged: {c.flagCause}</p> : null}
        {may.reassignOwner && d.stages.length > 0 ? (
          <ReassignOwner contractId={c.contractId} reload={reload} />
        ) : null}
      </header>

      {d.view === 'redacted' ? (
        <MessageBar intent="info" data-testid="read-only-note">
          <MessageBarBody>
            Read-only: you see this renewal as the PM of one of the client's projects. Commercial
            terms (concessions, uplift, utilisation, prepay and invoices) and meeting notes are for
            the account team.
          </MessageBarBody>
        </MessageBar>
      ) : null}

      {c.dataQuality.length > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>Data quality: {c.dataQuality.join('; ')}.</MessageBarBody>
        </MessageBar>
      ) : null}

      <h2 className="ct-subtitle">Readiness drivers</h2>
      {d.readiness === null ? (
        <Text>No readiness snapshot yet: the daily evaluation has not scored this contract.</Text>
      ) : (
        <>
          {d.readiness.assessment.bandReasons.length > 0 ? (
            <p className="ct-note">{d.readiness.assessment.bandReasons.join('; ')}</p>
          ) : null}
          <div className="ct-scroll" role="region" aria-label="Readiness drivers" tabIndex={0}>
            <table className="ct-table" data-testid="readiness-drivers">
              <thead>
                <tr>
                  <th scope="col">Driver</th>
                  <th scope="col">Level</th>
                  <th scope="col">Points off</th>
                </tr>
              </thead>
              <tbody>
                {d.readiness.assessment.drivers.map((r) => (
                  <tr key={r.key} data-level={r.level ?? 'ok'}>
                    <th scope="row">
                      {r.label}
                      <div className="ct-explain">{r.explanation}</div>
                    </th>
                    <td>{r.level ?? 'within policy'}</td>
                    <td>{r.contribution}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <ReadinessTrend trend={d.trend} />

      <h2 className="ct-subtitle">Stage and tasks</h2>
      {d.stages.length === 0 ? (
        <Text>No renewal stage is open yet (stages open 90, 60 and 30 days before the end).</Text>
      ) : (
        d.stages.map((s) => (
          <StageTasks
            key={s.stage}
            stage={s}
            ownerName={d.renewalOwner?.name ?? null}
            mayComplete={may.completeTasks}
            reload={reload}
          />
        ))
      )}

      <h2 className="ct-subtitle">Stakeholder map</h2>
      {current ? (
        <StakeholderMap
          contractId={c.contractId}
          named={current.stakeholders}
          contacts={d.clientContacts}
          mayEdit={may.editStakeholders}
          reload={reload}
        />
      ) : (
        <Text>Opens with the 90-day stage.</Text>
      )}

      <h2 className="ct-subtitle">Customer checkpoints</h2>
      {d.checkpoints.length === 0 ? (
        <Text>None logged yet.</Text>
      ) : (
        <ul className="ct-list" data-testid="checkpoints">
          {d.checkpoints.map((k) => (
            <li key={k.id}>
              {k.stage}-day, {day(k.meetingOn)}: {k.loggedBy.name} called{' '}
              <strong>{k.ownerCall}</strong>
              {k.disagrees
                ? ` (disagrees with ${k.band}: sent to the ${k.routedTo?.replace('_', ' ')})`
                : ''}
              <div className="ct-explain">{k.notes}</div>
            </li>
          ))}
        </ul>
      )}
      {may.logCheckpoint && current ? (
        <CheckpointForm contractId={c.contractId} reload={reload} />
      ) : null}

      <h2 className="ct-subtitle">Uplift opportunities</h2>
      {d.view === 'redacted' ? (
        <Text>Withheld: commercial.</Text>
      ) : d.uplift.length === 0 ? (
        <Text>None detected.</Text>
      ) : (
        <ul
          className="ct-cards ct-cards-wide"
          aria-label="Uplift opportunities"
          data-testid="uplift-list"
        >
          {d.uplift.map((u) => (
            <UpliftCard key={u.id} uplift={u} mayAnswer={may.answerUplift} reload={reload} />
          ))}
        </ul>
      )}

      <h2 className="ct-subtitle">Concessions</h2>
      {d.view === 'redacted' ? (
        <Text>Withheld: commercial.</Text>
      ) : d.concessions.length === 0 ? (
        <Text>No concession requested.</Text>
      ) : (
        <ConcessionList detail={d} reload={reload} />
      )}
      {may.requestConcession && !d.concessions.some((k) => k.status === 'pending') ? (
        <ConcessionRequestForm contractId={c.contractId} reload={reload} />
      ) : null}

      <h2 className="ct-subtitle">Timeline</h2>
      {d.timeline.length === 0 ? (
        <Text>Nothing has happened on this renewal yet.</Text>
      ) : (
        <ol className="ct-timeline" data-testid="renewal-timeline">
          {d.timeline.map((e) => (
            <li key={e.id} data-kind={e.kind}>
              <time dateTime={e.at}>{e.at.length === 10 ? day(e.at) : instant(e.at)}</time>{' '}
              {e.summary}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function ReadinessTrend({ trend }: { trend: ContractDetailDto['trend'] }) {
  if (trend.length === 0) return null;
  const first = trend[0];
  const last = trend[trend.length - 1];
  return (
    <LineChart
      testId="readiness-trend"
      title="Readiness trend"
      summary={`Readiness over ${trend.length} day(s), from ${score(first?.score)} on ${day(first?.date)} to ${score(last?.score)} on ${day(last?.date)}.`}
      labels={trend.map((t) => t.date)}
      series={[
        {
          name: 'Readiness',
          values: trend.map((t) => t.score),
          colour: tokens.colorBrandForeground1,
        },
      ]}
      min={0}
      max={100}
      format={(v) => String(Math.round(v))}
    />
  );
}

function StageTasks({
  stage: s,
  ownerName,
  mayComplete,
  reload,
}: {
  stage: ContractDetailDto['stages'][number];
  ownerName: string | null;
  mayComplete: boolean;
  reload: () => void;
}) {
  const api = useApiClient();
  const action = useAction(reload);
  return (
    <div className="ct-card" data-stage={s.stage}>
      <div className="ct-card-head">
        <span>{s.stage}-day stage</span>
        <Badge appearance="tint">{s.status}</Badge>
      </div>
      <div className="ct-card-meta">
        <span>Opened {day(s.openedOn)}</span>
        <span>Checkpoint due {day(s.checkpointDueOn)}</span>
      </div>
      <div className="ct-scroll" role="region" aria-label={`${s.stage}-day tasks`} tabIndex={0}>
        <table className="ct-table">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Done</th>
            </tr>
          </thead>
          <tbody>
            {s.tasks.map((t) => (
              <tr key={t.id} data-task-kind={t.kind}>
                <th scope="row">
                  {t.title}
                  {t.mandatory ? '' : ' (optional)'}
                </th>
                <td>
                  {t.ownerAgentId === null
                    ? `none: the ${t.fallbackRole?.replace('_', ' ') ?? 'cs lead'} picks it up`
                    : Number(t.ownerAgentId) === s.ownerAgentId && ownerName
                      ? ownerName
                      : `Agent ${t.ownerAgentId}`}
                </td>
                <td>{day(t.dueDate)}</td>
                <td>
                  {t.completedOn !== null ? (
                    day(t.completedOn)
                  ) : mayComplete &&
                    t.kind !== 'customer-checkpoint' &&
                    t.kind !== 'stakeholder-map' ? (
                    <Button
                      size="small"
                      disabled={action.busy}
                      onClick={() =>
                        void action.run(() =>
                          api.post(
                            `/contracts/${s.contractId}/tasks/${encodeURIComponent(t.id)}/complete`,
                            {},
                          ),
                        )
                      }
                    >
                      Mark done
                    </Button>
                  ) : (
                    'open'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {action.failure}
    </div>
  );
}

/** The select's value for "someone not in HaloPSA": the name is typed in below. */
const TYPED = '';

function StakeholderMap({
  contractId,
  named,
  contacts,
  mayEdit,
  reload,
}: {
  contractId: number;
  named: Record<string, string>;
  /** The client's HaloPSA contacts to choose from. */
  contacts: ClientContactDto[];
  mayEdit: boolean;
  reload: () => void;
}) {
  const api = useApiClient();
  const action = useAction(reload);
  const [draft, setDraft] = useState<StakeholdersInputDto>({});
  if (!mayEdit) {
    return (
      <dl className="ct-kv" data-testid="stakeholders">
        {STAKEHOLDERS.map((s) => (
          <div key={s.role} style={{ display: 'contents' }}>
            <dt>{s.label}</dt>
            <dd>{named[s.role] ?? 'not named'}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <form
      className="ct-form"
      aria-label="Stakeholder map"
      data-testid="stakeholders"
      onSubmit={(e) => {
        e.preventDefault();
        const changed = Object.fromEntries(
          Object.entries(draft).filter(
            ([role, v]) => v !== undefined && (typeof v === 'object' || v !== named[role]),
          ),
        );
        void action.run(() => api.put(`/contracts/${contractId}/stakeholders`, changed));
      }}
    >
      {STAKEHOLDERS.map((s) => {
        const choice = draft[s.role];
        const chosen = typeof choice === 'object' ? String(choice.contactId) : TYPED;
        return (
          <div key={s.role} className="ct-row">
            {contacts.length > 0 && (
              <Field label={`${s.label} from HaloPSA`}>
                <Select
                  value={chosen}
                  onChange={(_e, v) =>
                    setDraft({
                      ...draft,
                      [s.role]: v.value === TYPED ? undefined : { contactId: Number(v.value) },
                    })
                  }
                >
                  <option value={TYPED}>Someone not in HaloPSA (type the name)</option>
                  {contacts.map((c) => (
                    <option key={c.contactId} value={c.contactId}>
                      {c.jobTitle ? `${c.name} (${c.jobTitle})` : c.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            {chosen === TYPED && (
              <Field label={s.label}>
                <Input
                  value={typeof choice === 'string' ? choice : (named[s.role] ?? '')}
                  onChange={(_e, v) => setDraft({ ...draft, [s.role]: v.value })}
                />
              </Field>
            )}
          </div>
        );
      })}
      <div className="ct-row">
        <Button type="submit" disabled={action.busy}>
          Save stakeholders
        </Button>
      </div>
      {action.failure}
    </form>
  );
}

function CheckpointForm({ contractId, reload }: { contractId: number; reload: () => void }) {
  const api = useApiClient();
  const action = useAction(reload);
  const [meetingOn, setMeetingOn] = useState('');
  const [notes, setNotes] = useState('');
  const [ownerCall, setOwnerCall] = useState<CheckpointInputDto['ownerCall']>('renew');
  return (
    <form
      className="ct-form"
      aria-label="Log the checkpoint"
      data-testid="checkpoint-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body: CheckpointInputDto = { meetingOn, notes, ownerCall };
        void action
          .run(() => api.post(`/contracts/${contractId}/checkpoints`, body))
          .then((ok) => ok && setNotes(''));
      }}
    >
      <h3 className="ct-subtitle">Log the checkpoint</h3>
      <Field label="Meeting date" required>
        <Input type="date" value={meetingOn} onChange={(_e, v) => setMeetingOn(v.value)} />
      </Field>
      <Field label="Meeting notes" required>
        <Textarea value={notes} onChange={(_e, v) => setNotes(v.value)} resize="vertical" />
      </Field>
      <Field label="Your call" hint="A call that disagrees with the score goes to the cs lead.">
        <Select
          value={ownerCall}
          onChange={(_e, v) => setOwnerCall(v.value as CheckpointInputDto['ownerCall'])}
        >
          {CALLS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </Select>
      </Field>
      <div className="ct-row">
        <Button type="submit" appearance="primary" disabled={action.busy}>
          Log checkpoint
        </Button>
      </div>
      {action.failure}
    </form>
  );
}

function UpliftCard({
  uplift: u,
  mayAnswer,
  reload,
}: {
  uplift: ContractDetailDto['uplift'][number];
  mayAnswer: boolean;
  reload: () => void;
}) {
  const api = useApiClient();
  const action = useAction(reload);
  const [reason, setReason] = useState('');
  const answer = (status: 'accepted' | 'declined') =>
    void action.run(() =>
      api.post(`/uplift/${encodeURIComponent(u.id)}/status`, { status, reason }),
    );
  return (
    <li className="ct-card" data-uplift-id={u.id} data-status={u.status}>
      <div className="ct-card-head">
        <span>
          {u.kind.replace(/-/g, ' ')}: {u.subject}
        </span>
        <Badge appearance="tint">{u.status}</Badge>
      </div>
      <div className="ct-card-meta">
        <span>+{perMonth(u.estimatedMonthlyUplift)} estimated</span>
        <span>Detected {day(u.detectedOn)}</span>
        {u.decidedOn ? (
          <span>
            {u.status} by {u.decidedBy}, {day(u.decidedOn)}
          </span>
        ) : null}
      </div>
      <ul className="ct-list">
        {u.evidence.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {u.decisionReason ? <p className="ct-note">Why: {u.decisionReason}</p> : null}
      {mayAnswer && u.status === 'proposed' ? (
        <div className="ct-form" role="group" aria-label="The customer's answer">
          <Field label="Why (the customer's answer)" required>
            <Input value={reason} onChange={(_e, v) => setReason(v.value)} />
          </Field>
          <div className="ct-row">
            <Button appearance="primary" disabled={action.busy} onClick={() => answer('accepted')}>
              Accepted
            </Button>
            <Button disabled={action.busy} onClick={() => answer('declined')}>
              Declined
            </Button>
          </div>
          {action.failure}
        </div>
      ) : null}
    </li>
  );
}

function ConcessionList({ detail, reload }: { detail: ContractDetailDto; reload: () => void }) {
  // The contract's rows carry the stored request; the card needs the view (margin, tier, people).
  const key = detail.concessions.map((c) => `${c.id}:${c.version}`).join(',');
  const [views, reloadViews] = useResource(`contract-concessions:${key}`, (client) =>
    Promise.all(detail.concessions.map((c) => client.get<ConcessionDto>(`/concessions/${c.id}`))),
  );
  return (
    <LoadableView value={views} what="concessions" retry={reloadViews}>
      {(items) => (
        <ul
          className="ct-cards ct-cards-wide"
          aria-label="Concessions"
          data-testid="concession-list"
        >
          {items.map((c) => (
            <ConcessionCard
              key={c.id}
              concession={c}
              mayDecide={detail.actions.decideConcessionIds.includes(c.id)}
              showContract={false}
              onDecided={reload}
            />
          ))}
        </ul>
      )}
    </LoadableView>
  );
}

function ConcessionRequestForm({ contractId, reload }: { contractId: number; reload: () => void }) {
  const api = useApiClient();
  const action = useAction(reload);
  const [discount, setDiscount] = useState('');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<{ for: string; value: ConcessionPreviewDto } | null>(null);
  const previewFailure = useAction(() => undefined);
  const input = { discountPct: Number(discount), reason };
  const inputKey = JSON.stringify(input);
  const previewed = preview !== null && preview.for === inputKey ? preview.value : null;
  return (
    <form
      className="ct-form"
      aria-label="Request a concession"
      data-testid="concession-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(() => api.post(`/contracts/${contractId}/concessions`, input));
      }}
    >
      <h3 className="ct-subtitle">Request a concession</h3>
      <Field label="Discount (%)" required>
        <Input
          type="number"
          min={0}
          step={0.5}
          value={discount}
          onChange={(_e, v) => setDiscount(v.value)}
        />
      </Field>
      <Field label="Reason" required>
        <Textarea value={reason} onChange={(_e, v) => setReason(v.value)} resize="vertical" />
      </Field>
      <div className="ct-row">
        <Button
          disabled={previewFailure.busy || discount === ''}
          onClick={() =>
            void previewFailure.run(async () => {
              const value = await api.post<ConcessionPreviewDto>(
                `/contracts/${contractId}/concessions/preview`,
                input,
              );
              setPreview({ for: inputKey, value });
            })
          }
        >
          Preview
        </Button>
        <Button
          type="submit"
          appearance="primary"
          disabled={action.busy || previewed === null || previewed.problems.length > 0}
        >
          Submit request
        </Button>
      </div>
      {previewFailure.failure}
      {previewed ? (
        <dl className="ct-kv" data-testid="concession-preview" aria-label="What it comes to">
          <dt>Depth</dt>
          <dd>{previewed.discountPct} %</dd>
          <dt>Revenue</dt>
          <dd>
            {perMonth(previewed.monthlyRevenueBefore)} → {perMonth(previewed.monthlyRevenueAfter)}
          </dd>
          <dt>Margin after</dt>
          <dd>{marginText(previewed.marginAfterPct)}</dd>
          <dt>Retention effect</dt>
          <dd>
            renewal probability {percent(previewed.renewalProbabilityBefore)} →{' '}
            {percent(previewed.renewalProbabilityAfter)} (
            {previewed.expectedMonthlyRevenueDelta >= 0 ? '+' : ''}
            {perMonth(previewed.expectedMonthlyRevenueDelta)} expected)
          </dd>
          <dt>Precedent</dt>
          <dd>
            {previewed.precedentAvgDepthPct === null
              ? 'no approved concession on similar contracts'
              : `${previewed.precedentAvgDepthPct} % average over ${previewed.precedentCount} similar contract(s)`}
          </dd>
          <dt>Approver</dt>
          <dd>
            {tierText(previewed.approverTier)} ({previewed.tierReasons.join('; ')})
          </dd>
          {previewed.problems.length > 0 ? (
            <>
              <dt>Cannot be requested</dt>
              <dd>{previewed.problems.join('; ')}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <Text size={200}>
          Preview shows the depth, margin after, retention effect and precedent.
        </Text>
      )}
      {action.failure}
    </form>
  );
}

function ReassignOwner({ contractId, reload }: { contractId: number; reload: () => void }) {
  const api = useApiClient();
  const action = useAction(reload);
  const [agents] = useResource('renewal-owners', (client) =>
    client.get<RenewalAgentsDto>('/renewals/owners'),
  );
  const [agentId, setAgentId] = useState('');
  return (
    <LoadableView value={agents} what="agents">
      {(list) => (
        <form
          className="ct-row"
          aria-label="Reassign the renewal owner"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(() =>
              api.put(`/contracts/${contractId}/owner`, { agentId: Number(agentId) }),
            );
          }}
        >
          <Field label="Reassign owner">
            <Select value={agentId} onChange={(_e, v) => setAgentId(v.value)}>
              <option value="">Choose an agent…</option>
              {list.items.map((a) => (
                <option key={a.agentId} value={a.agentId}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={action.busy || agentId === ''}>
            Reassign
          </Button>
          {action.failure}
        </form>
      )}
    </LoadableView>
  );
}
