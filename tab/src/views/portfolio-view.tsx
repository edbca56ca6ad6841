/** Portfolio: every project with its RAG, score, confidence and top driver; filters, search, pages. */
import { Button, Field, Input, Select, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ClientsDto, ProjectListItemDto, ProjectsPageDto, Rag } from '../../../src/api/dto';
import { RagBadge, ragWord } from '../components/rag-badge';
import { LoadableView } from '../components/states';
import { percent, score } from '../format';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';
import { ExportButton, EXPORTS } from '../components/export-button';

const RAGS: Rag[] = ['red', 'amber', 'green', 'unknown'];
const PAGE_SIZES = [25, 50, 100];

/** The portfolio list; `pinnedClientId` fixes the client filter (channel tab pinned to a client). */
export function PortfolioView({
  initialClientId,
  pinnedClientId = null,
}: {
  initialClientId: number | null;
  pinnedClientId?: number | null;
}) {
  const [rag, setRag] = useState<Rag | ''>('');
  const [clientId, setClientId] = useState<number | null>(pinnedClientId ?? initialClientId);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);

  // Search as the user types, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(typed.trim());
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const query = { page, pageSize, rag: rag || null, clientId, q: q || null };
  const [projects, reload] = useResource(JSON.stringify(query), (api) =>
    api.get<ProjectsPageDto>('/projects', query),
  );
  const [clients] = useResource(pinnedClientId === null ? 'clients' : null, (api) =>
    api.get<ClientsDto>('/clients'),
  );
  const pinnedName =
    projects.state === 'ok' && pinnedClientId !== null
      ? (projects.data.items[0]?.client.name ?? `client ${pinnedClientId}`)
      : null;

  return (
    <section aria-labelledby="portfolio-title" className="ct-view">
      <h1 id="portfolio-title" className="ct-title">
        {pinnedClientId === null ? 'Portfolio' : `Projects of ${pinnedName ?? 'this client'}`}
      </h1>
      <ExportButton {...EXPORTS.projects} />
      <div className="ct-filters" role="search" aria-label="Filter projects">
        <Field label="Search">
          <Input
            type="search"
            value={typed}
            onChange={(_e, d) => setTyped(d.value)}
            placeholder="Project or client name"
          />
        </Field>
        <Field label="RAG">
          <Select
            value={rag}
            onChange={(_e, d) => {
              setRag(d.value as Rag | '');
              setPage(1);
            }}
          >
            <option value="">All</option>
            {RAGS.map((r) => (
              <option key={r} value={r}>
                {ragWord(r)}
              </option>
            ))}
          </Select>
        </Field>
        {pinnedClientId === null ? (
          <Field label="Client">
            <Select
              value={clientId === null ? '' : String(clientId)}
              onChange={(_e, d) => {
                setClientId(d.value ? Number(d.value) : null);
                setPage(1);
              }}
            >
              <option value="">All clients</option>
              {clients.state === 'ok'
                ? clients.data.items.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))
                : null}
            </Select>
          </Field>
        ) : null}
      </div>
      <LoadableView value={projects} what="projects" retry={reload}>
        {(data) => (
          <>
            <p className="ct-counts" aria-live="polite" data-testid="portfolio-counts">
              {data.total} project{data.total === 1 ? '' : 's'}:{' '}
              {RAGS.map((r) => `${data.counts[r]} ${ragWord(r).toLowerCase()}`).join(', ')}
            </p>
            {data.items.length === 0 ? (
              <Text>No project matches these filters.</Text>
            ) : (
              <ul className="ct-cards" aria-label="Projects" data-testid="project-list">
                {data.items.map((p) => (
                  <ProjectCard key={p.id} project={p} />
                ))}
              </ul>
            )}
            <Pager
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={setPage}
              onPageSize={(n) => {
                setPageSize(n);
                setPage(1);
              }}
            />
          </>
        )}
      </LoadableView>
    </section>
  );
}

function ProjectCard({ project }: { project: ProjectListItemDto }) {
  const top = project.health.drivers.find((d) => d.contribution > 0) ?? null;
  return (
    <li className="ct-card" data-project-id={project.id} data-rag={project.health.rag}>
      <div className="ct-card-head">
        <RouteLink
          route={{ view: 'project', projectId: project.id, escalationId: null, gateId: null }}
        >
          {project.name}
        </RouteLink>
        <RagBadge rag={project.health.rag} />
      </div>
      <div className="ct-card-meta">
        <span>{project.client.name}</span>
        {project.pm ? <span>PM {project.pm.name}</span> : null}
      </div>
      <dl className="ct-facts">
        <div>
          <dt>Score</dt>
          <dd>{score(project.health.score)}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>{percent(project.health.confidence)}</dd>
        </div>
        <div>
          <dt>Top driver</dt>
          <dd>{top ? `${top.label}: ${top.display.value} (${top.display.threshold})` : 'none'}</dd>
        </div>
        {project.openEscalations > 0 ? (
          <div>
            <dt>Open escalations</dt>
            <dd>{project.openEscalations}</dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

/** Previous / next page and the page size. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize?: (size: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="ct-pager" aria-label="Pages">
      <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <span aria-live="polite">
        Page {page} of {pages}
      </span>
      <Button disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </Button>
      {onPageSize ? (
        <Field label="Per page" orientation="horizontal">
          <Select value={String(pageSize)} onChange={(_e, d) => onPageSize(Number(d.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
    </nav>
  );
}
