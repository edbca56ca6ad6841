/**
 * The channel tab's configuration page (`/config`): pins one project, one client or the renewal
 * pipeline. In Teams it saves with `pages.config.setConfig`; outside Teams it shows the pinned
 * address and a link to preview it.
 */
import { Field, Input, Link, Radio, RadioGroup, Select, Text } from '@fluentui/react-components';
import { pages } from '@microsoft/teams-js';
import { useEffect, useRef, useState } from 'react';
import type { ClientsDto, ProjectsPageDto } from '../../../src/api/dto';
import { LoadableView } from '../components/states';
import type { TabHost } from '../host';
import { pinParam, type Pin } from '../routes';
import { useResource } from '../use-api';

/** What the saved channel tab points at. */
export interface PinnedTabConfig {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

/** The Teams tab configuration for a pin (contentUrl `<base>/?pin=…&inTeams=1`). */
export function pinnedTabConfig(origin: string, pin: Pin, name: string): PinnedTabConfig {
  const value = pinParam(pin);
  const websitePath =
    pin.kind === 'project'
      ? `/projects/${pin.id}`
      : pin.kind === 'client'
        ? `/?client=${pin.id}`
        : '/renewals';
  return {
    entityId: value,
    contentUrl: `${origin}/?pin=${encodeURIComponent(value)}&inTeams=1`,
    websiteUrl: `${origin}${websitePath}`,
    suggestedDisplayName: name,
  };
}

type Kind = Pin['kind'];

/** The configuration page. */
export function ConfigView({ host }: { host: TabHost }) {
  const [kind, setKind] = useState<Kind>('project');
  const [projectId, setProjectId] = useState<number | null>(null);
  const [clientId, setClientId] = useState<number | null>(null);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);

  const [projects] = useResource(kind === 'project' ? `config-projects:${q}` : null, (api) =>
    api.get<ProjectsPageDto>('/projects', { q: q || null, pageSize: 100 }),
  );
  const [clients] = useResource(kind === 'client' ? 'config-clients' : null, (api) =>
    api.get<ClientsDto>('/clients'),
  );

  const projectName =
    projects.state === 'ok' ? projects.data.items.find((p) => p.id === projectId)?.name : undefined;
  const clientName =
    clients.state === 'ok' ? clients.data.items.find((c) => c.id === clientId)?.name : undefined;
  let selection: { pin: Pin; name: string } | null = null;
  if (kind === 'renewals') selection = { pin: { kind: 'renewals' }, name: 'Renewal pipeline' };
  else if (kind === 'project' && projectId !== null)
    selection = {
      pin: { kind: 'project', id: projectId },
      name: projectName ?? `Project ${projectId}`,
    };
  else if (kind === 'client' && clientId !== null)
    selection = { pin: { kind: 'client', id: clientId }, name: clientName ?? `Client ${clientId}` };
  const config = selection
    ? pinnedTabConfig(window.location.origin, selection.pin, selection.name)
    : null;

  // Teams asks for the configuration when the user presses Save; keep the latest choice at hand.
  const latest = useRef<PinnedTabConfig | null>(null);
  latest.current = config;
  useEffect(() => {
    if (host.kind !== 'teams') return;
    pages.config.registerOnSaveHandler((event) => {
      const chosen = latest.current;
      if (!chosen) {
        event.notifyFailure('Choose what this tab shows first.');
        return;
      }
      pages.config.setConfig(chosen).then(
        () => event.notifySuccess(),
        (error: unknown) => event.notifyFailure(String(error)),
      );
    });
  }, [host.kind]);
  useEffect(() => {
    if (host.kind === 'teams') pages.config.setValidityState(config !== null);
  }, [host.kind, config !== null]);

  return (
    <main className="ct-main">
      <section className="ct-view" aria-labelledby="config-title">
        <h1 id="config-title" className="ct-title">
          Pin Control Tower to this channel
        </h1>
        <div className="ct-form">
          <RadioGroup
            value={kind}
            onChange={(_e, d) => setKind(d.value as Kind)}
            aria-label="What this tab shows"
          >
            <Radio value="project" label="One project" />
            <Radio value="client" label="One client's projects" />
            <Radio value="renewals" label="The renewal pipeline" />
          </RadioGroup>
          {kind === 'project' ? (
            <>
              <Field label="Find a project">
                <Input
                  type="search"
                  value={search}
                  onChange={(_e, d) => setSearch(d.value)}
                  data-testid="config-search"
                />
              </Field>
              <LoadableView value={projects} what="projects">
                {(data) => (
                  <Field label="Project">
                    <Select
                      data-testid="config-project"
                      value={projectId === null ? '' : String(projectId)}
                      onChange={(_e, d) => setProjectId(d.value ? Number(d.value) : null)}
                    >
                      <option value="">Choose a project…</option>
                      {data.items.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name} ({p.client.name})
                        </option>
                      ))}
                    </Select>
                  </Field>
                )}
              </LoadableView>
            </>
          ) : null}
          {kind === 'client' ? (
            <LoadableView value={clients} what="clients">
              {(data) => (
                <Field label="Client">
                  <Select
                    data-testid="config-client"
                    value={clientId === null ? '' : String(clientId)}
                    onChange={(_e, d) => setClientId(d.value ? Number(d.value) : null)}
                  >
                    <option value="">Choose a client…</option>
                    {data.items.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
            </LoadableView>
          ) : null}
          {config ? (
            <div role="status" data-testid="config-result">
              <Text>
                This tab will show <strong>{config.suggestedDisplayName}</strong>.
              </Text>
              {host.kind === 'teams' ? (
                <Text block>Press Save to add it to the channel.</Text>
              ) : (
                <Text block>
                  Outside Teams nothing is saved: the tab&apos;s address is{' '}
                  <code>{config.contentUrl}</code>.{' '}
                  <Link
                    href={config.contentUrl.replace('&inTeams=1', '')}
                    data-testid="config-preview"
                  >
                    Open the pinned view
                  </Link>
                </Text>
              )}
            </div>
          ) : (
            <Text>Choose what this tab shows.</Text>
          )}
        </div>
      </section>
    </main>
  );
}
