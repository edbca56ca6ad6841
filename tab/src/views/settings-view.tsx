/**
 * Settings (administrators): delivery policy, channel routing, roles, pilot scope and automations,
 * and the Power BI feed's reporting key.
 */
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Switch,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import type {
  AutomationKey,
  IssuedReportingKeyDto,
  PilotSettingsDto,
  PilotUpdateDto,
  PolicySettingsDto,
  ReportingKeyDto,
  RolesSettingsDto,
  RoutingSettingsDto,
  RoutingUpdateDto,
} from '../../../src/api/dto';
import { ApiFailure } from '../api-client';
import { Failed, LoadableView } from '../components/states';
import { instant } from '../format';
import { useApiClient, useResource } from '../use-api';
import { RenewalPolicyVersions } from './governance-view';

/** The settings page; the server refuses every part of it to non-admins. */
export function SettingsView() {
  return (
    <section className="ct-view" aria-labelledby="settings-title">
      <h1 id="settings-title" className="ct-title">
        Settings
      </h1>
      <PilotSection />
      <RoutingSection />
      <RolesSection />
      <PolicySection />
      <section aria-label="Renewal policy">
        <RenewalPolicyVersions />
      </section>
      <ReportingKeySection />
    </section>
  );
}

const AUTOMATIONS: [AutomationKey, string][] = [
  ['escalations', 'Escalations'],
  ['weeklyReport', 'Weekly report'],
  ['gates', 'Stage gates'],
  ['renewals', 'Renewals'],
];

function PilotSection() {
  const api = useApiClient();
  const [pilot, reload] = useResource('settings/pilot', (c) =>
    c.get<PilotSettingsDto>('/settings/pilot'),
  );
  const [draft, setDraft] = useState<PilotUpdateDto | null>(null);
  const [saving, setSaving] = useState<ApiFailure | 'saved' | null>(null);
  return (
    <section aria-labelledby="pilot-title">
      <h2 id="pilot-title" className="ct-subtitle">
        Pilot scope and automations
      </h2>
      <LoadableView value={pilot} what="pilot settings" retry={reload}>
        {(current) => {
          const value: PilotUpdateDto = draft ?? {
            scopeEnabled: current.scopeEnabled,
            clientIds: current.clientIds,
            projectIds: current.projectIds,
            shadowMode: current.shadowMode,
            automations: current.automations,
            startsOn: current.startsOn ?? null,
          };
          const save = async () => {
            try {
              await api.put<PilotSettingsDto>('/settings/pilot', value);
              setDraft(null);
              setSaving('saved');
              reload();
            } catch (error) {
              setSaving(
                error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)),
              );
            }
          };
          return (
            <div className="ct-form">
              <Switch
                label="Limit automation to the listed clients and projects"
                checked={value.scopeEnabled}
                onChange={(_e, d) => setDraft({ ...value, scopeEnabled: d.checked })}
              />
              <Field label="Client ids (comma separated)">
                <Input
                  value={value.clientIds.join(', ')}
                  onChange={(_e, d) => setDraft({ ...value, clientIds: ids(d.value) })}
                />
              </Field>
              <Field label="Project ids (comma separated)">
                <Input
                  value={value.projectIds.join(', ')}
                  onChange={(_e, d) => setDraft({ ...value, projectIds: ids(d.value) })}
                />
              </Field>
              <Switch
                label="Shadow mode (compute and log, post nothing)"
                checked={value.shadowMode}
                onChange={(_e, d) => setDraft({ ...value, shadowMode: d.checked })}
              />
              <Field
                label="Pilot start (the KPI baseline is the first daily snapshot on or after it)"
                hint="Leave empty to use the first snapshot."
              >
                <Input
                  type="date"
                  value={value.startsOn ?? ''}
                  onChange={(_e, d) =>
                    setDraft({ ...value, startsOn: d.value === '' ? null : d.value })
                  }
                />
              </Field>
              <fieldset>
                <legend>Automations on</legend>
                {AUTOMATIONS.map(([key, label]) => (
                  <Checkbox
                    key={key}
                    label={label}
                    checked={value.automations[key]}
                    onChange={(_e, d) =>
                      setDraft({
                        ...value,
                        automations: { ...value.automations, [key]: d.checked === true },
                      })
                    }
                  />
                ))}
              </fieldset>
              <div className="ct-row">
                <Button appearance="primary" disabled={draft === null} onClick={() => void save()}>
                  Save pilot settings
                </Button>
                <Text size={200}>
                  Version {current.version}
                  {current.updatedBy
                    ? `, changed by ${current.updatedBy} ${instant(current.updatedAt)}`
                    : ''}
                </Text>
              </div>
              {saving === 'saved' ? (
                <Text role="status">Saved.</Text>
              ) : saving ? (
                <Failed error={saving} />
              ) : null}
            </div>
          );
        }}
      </LoadableView>
    </section>
  );
}

function ids(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter((t) => /^\d+$/.test(t))
    .map(Number);
}

function RoutingSection() {
  const api = useApiClient();
  const [routing, reload] = useResource('settings/routing', (c) =>
    c.get<RoutingSettingsDto>('/settings/routing'),
  );
  const [error, setError] = useState<ApiFailure | null>(null);
  const change = async (update: RoutingUpdateDto) => {
    try {
      await api.put<RoutingSettingsDto>('/settings/routing', update);
      setError(null);
      reload();
    } catch (e) {
      setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'CLIENT', String(e)));
    }
  };
  const remove = (id: string) => change({ remove: [id] });
  return (
    <section aria-labelledby="routing-title">
      <h2 id="routing-title" className="ct-subtitle">
        Channel routing
      </h2>
      <Text size={200}>
        Add routes from Teams with /subscribe in the channel; remove them here. A severity floor
        keeps a channel quiet: escalations below it are not posted there (they stay in the tab)
        until they rise to it.
      </Text>
      {error ? <Failed error={error} /> : null}
      <LoadableView value={routing} what="routing" retry={reload}>
        {(data) =>
          data.items.length === 0 ? (
            <Text>No stream is routed to a channel yet.</Text>
          ) : (
            <div className="ct-scroll" role="region" aria-label="Routes" tabIndex={0}>
              <table className="ct-table">
                <thead>
                  <tr>
                    <th scope="col">Stream</th>
                    <th scope="col">Client</th>
                    <th scope="col">Conversation</th>
                    <th scope="col">Added</th>
                    <th scope="col">Severity floor</th>
                    <th scope="col">
                      <span className="ct-sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.stream}</th>
                      <td>{r.client?.name ?? 'every client'}</td>
                      <td>{r.conversationName ?? r.conversationId}</td>
                      <td>
                        {instant(r.createdAt)}
                        {r.createdBy ? ` by ${r.createdBy}` : ''}
                      </td>
                      <td>
                        <Select
                          size="small"
                          value={r.severityFloor ?? ''}
                          aria-label={`Severity floor of the ${r.stream} route to ${r.conversationName ?? r.conversationId}`}
                          onChange={(_e, d) =>
                            void change({
                              floors: [
                                {
                                  id: r.id,
                                  severityFloor:
                                    d.value === '' ? null : (d.value as 'low' | 'medium' | 'high'),
                                },
                              ],
                            })
                          }
                        >
                          <option value="">post everything</option>
                          <option value="low">low and up</option>
                          <option value="medium">medium and up</option>
                          <option value="high">high only</option>
                        </Select>
                      </td>
                      <td>
                        <Button
                          size="small"
                          onClick={() => void remove(r.id)}
                          aria-label={`Remove ${r.stream} route to ${r.conversationName ?? r.conversationId}`}
                        >
                          Remove
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadableView>
    </section>
  );
}

function RolesSection() {
  const [roles, reload] = useResource('settings/roles', (c) =>
    c.get<RolesSettingsDto>('/settings/roles'),
  );
  return (
    <section aria-labelledby="roles-title">
      <h2 id="roles-title" className="ct-subtitle">
        Roles
      </h2>
      <LoadableView value={roles} what="roles" retry={reload}>
        {(data) => (
          <div className="ct-scroll" role="region" aria-label="Role assignments" tabIndex={0}>
            <table className="ct-table">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Entra object id</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.email ?? '—'}</th>
                    <td>{r.aadObjectId ?? '—'}</td>
                    <td>{r.role}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadableView>
    </section>
  );
}

function PolicySection() {
  const api = useApiClient();
  const [policy, reload] = useResource('settings/policy', (c) =>
    c.get<PolicySettingsDto>('/settings/policy'),
  );
  const [text, setText] = useState<string | null>(null);
  const [result, setResult] = useState<ApiFailure | 'saved' | null>(null);
  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title" className="ct-subtitle">
        Delivery policy
      </h2>
      <LoadableView value={policy} what="the policy" retry={reload}>
        {(current) => {
          const shown = text ?? JSON.stringify(current.config, null, 2);
          const save = async () => {
            let config: unknown;
            try {
              config = JSON.parse(shown);
            } catch (error) {
              setResult(new ApiFailure(400, 'INVALID_JSON', `Not valid JSON: ${String(error)}`));
              return;
            }
            try {
              await api.put<PolicySettingsDto>('/settings/policy', {
                config,
                baseVersion: current.version,
              });
              setText(null);
              setResult('saved');
              reload();
            } catch (error) {
              setResult(
                error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)),
              );
            }
          };
          return (
            <div className="ct-form">
              <Text size={200}>
                {current.version === null
                  ? 'The built-in default applies.'
                  : `Version ${current.version}, saved ${instant(current.updatedAt)}${current.updatedBy ? ` by ${current.updatedBy}` : ''}.`}{' '}
                The server validates a change before saving it as the next version.
              </Text>
              <Field label="Policy (JSON)">
                <Textarea
                  value={shown}
                  onChange={(_e, d) => setText(d.value)}
                  rows={14}
                  resize="vertical"
                />
              </Field>
              <div className="ct-row">
                <Button appearance="primary" disabled={text === null} onClick={() => void save()}>
                  Save policy
                </Button>
                <Button disabled={text === null} onClick={() => setText(null)}>
                  Discard changes
                </Button>
              </div>
              {result === 'saved' ? (
                <Text role="status">Saved.</Text>
              ) : result ? (
                <Failed error={result} />
              ) : null}
            </div>
          );
        }}
      </LoadableView>
    </section>
  );
}

/** The Power BI feed's reporting key: created or rotated here, shown once. */
function ReportingKeySection() {
  const api = useApiClient();
  const [current, reload] = useResource('settings/reporting-key', (c) =>
    c.get<ReportingKeyDto>('/settings/reporting-key'),
  );
  const [issued, setIssued] = useState<IssuedReportingKeyDto | ApiFailure | null>(null);
  const rotate = async () => {
    try {
      setIssued(await api.post<IssuedReportingKeyDto>('/settings/reporting-key', {}));
      reload();
    } catch (error) {
      setIssued(error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)));
    }
  };
  return (
    <section aria-labelledby="reporting-key-title">
      <h2 id="reporting-key-title" className="ct-subtitle">
        Power BI reporting key
      </h2>
      <LoadableView value={current} what="reporting key" retry={reload}>
        {(key) => (
          <div className="ct-form">
            <Text size={200}>
              Power BI Desktop: Get Data, OData feed, {window.location.origin}
              {key.feedPath}, then Basic with any user name and this key as the password.
            </Text>
            <div className="ct-row">
              <Button onClick={() => void rotate()}>
                {key.configured ? 'Rotate reporting key' : 'Create reporting key'}
              </Button>
              <Text size={200}>
                {key.configured
                  ? `Current key ends in ${key.hint ?? ''}, created by ${key.createdBy ?? ''} ${instant(key.createdAt)}.`
                  : 'No reporting key yet.'}
              </Text>
            </div>
            {issued instanceof ApiFailure ? (
              <Failed error={issued} />
            ) : issued ? (
              <Field
                label="New key (shown once: copy it now; the previous key no longer works)"
                validationState="warning"
              >
                <Input readOnly value={issued.key} aria-label="New reporting key" />
              </Field>
            ) : null}
          </div>
        )}
      </LoadableView>
    </section>
  );
}
