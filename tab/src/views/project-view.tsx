/**
 * One project: score, drivers against their thresholds, what changed, risk tags, health trend, burn vs
 * plan, earned value, milestones and gates with evidence, escalations and the timeline.
 */
import { Badge, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useEffect } from 'react';
import type {
  EscalationDto,
  EvmFigures,
  MilestoneDto,
  ProjectDetailDto,
  TrendPointDto,
} from '../../../src/api/dto';
import { LineChart } from '../charts/line-chart';
import { RagBadge } from '../components/rag-badge';
import { LoadableView } from '../components/states';
import { day, fixed, instant, percent, score, whole } from '../format';
import { RouteLink } from '../navigation';
import { useResource } from '../use-api';
import { GatePanel } from './gate-panel';
import { RebaselineRequest } from './rebaseline-request';

/** The project page; `escalationId` / `gateId` (deep links) are highlighted and scrolled to. */
export function ProjectView({
  projectId,
  escalationId,
  gateId,
  pinned = false,
}: {
  projectId: number;
  escalationId: string | null;
  gateId: string | null;
  pinned?: boolean;
}) {
  const [project, reload] = useResource(`project:${projectId}`, (api) =>
    api.get<ProjectDetailDto>(`/projects/${projectId}`),
  );
  useEffect(() => {
    if (project.state !== 'ok') return;
    const target = escalationId
      ? document.getElementById(`escalation-${escalationId}`)
      : gateId
        ? document.getElementById(`gate-${gateId}`)
        : null;
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }, [project.state, escalationId, gateId]);

  return (
    <section className="ct-view" aria-labelledby="project-title">
      {pinned ? null : (
        <p className="ct-back">
          <RouteLink route={{ view: 'portfolio', clientId: null }}>← Portfolio</RouteLink>
        </p>
      )}
      <LoadableView value={project} what="the project" retry={reload}>
        {(p) => (
          <>
            {gateId ? <GatePanel gateId={gateId} onDecided={reload} /> : null}
            <ProjectDetail project={p} highlightEscalation={escalationId} highlightGate={gateId} />
            <RebaselineRequest projectId={p.id} />
          </>
        )}
      </LoadableView>
    </section>
  );
}

function ProjectDetail({
  project: p,
  highlightEscalation,
  highlightGate,
}: {
  project: ProjectDetailDto;
  highlightEscalation: string | null;
  highlightGate: string | null;
}) {
  return (
    <>
      <header className="ct-project-head" data-testid="project-header" data-rag={p.health.rag}>
        <h1 id="project-title" className="ct-title">
          {p.name}
        </h1>
        <div className="ct-card-meta">
          <span>{p.client.name}</span>
          <span>PM {p.pm?.name ?? 'not assigned'}</span>
          <span>Status {p.status}</span>
          <span>As of {day(p.asOf)}</span>
        </div>
        <dl className="ct-facts ct-facts-big">
          <div>
            <dt>Health</dt>
            <dd>
              <RagBadge rag={p.health.rag} />
            </dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd data-testid="project-score">{score(p.health.score)}</dd>
          </div>
          <div>
            <dt>Confidence</dt>
            <dd>{percent(p.health.confidence)}</dd>
          </div>
        </dl>
        {p.riskTags.length > 0 ? (
          <ul className="ct-tags" aria-label="Risk tags">
            {p.riskTags.map((t) => (
              <li key={t}>
                <Badge appearance="tint" color="important">
                  {t}
                </Badge>
              </li>
            ))}
          </ul>
        ) : null}
      </header>

      {p.dataQualityIssues.length > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            Data quality: {p.dataQualityIssues.join('; ')}. The score is not trusted until these are
            fixed in HaloPSA.
          </MessageBarBody>
        </MessageBar>
      ) : null}

      <h2 className="ct-subtitle">Drivers</h2>
      <div className="ct-scroll" role="region" aria-label="Drivers table" tabIndex={0}>
        <table className="ct-table" data-testid="drivers">
          <thead>
            <tr>
              <th scope="col">Driver</th>
              <th scope="col">Value</th>
              <th scope="col">Threshold</th>
              <th scope="col">Level</th>
              <th scope="col">Points off</th>
            </tr>
          </thead>
          <tbody>
            {p.health.drivers.map((d) => (
              <tr key={d.key} data-level={d.level ?? 'ok'}>
                <th scope="row">
                  {d.label}
                  <div className="ct-explain">{d.explanation}</div>
                </th>
                <td>{d.display.value}</td>
                <td>{d.display.threshold}</td>
                <td>{d.level ?? 'within policy'}</td>
                <td>{d.contribution}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.confidenceFactors.some((f) => f.factor < 1) ? (
        <p className="ct-note">
          Confidence is lowered by:{' '}
          {p.confidenceFactors
            .filter((f) => f.factor < 1)
            .map((f) => `${f.label} (× ${fixed(f.factor)})`)
            .join(', ')}
          .
        </p>
      ) : null}

      <h2 className="ct-subtitle">What changed</h2>
      {p.changes.length === 0 ? (
        <Text>Nothing changed since the previous snapshot.</Text>
      ) : (
        <ul className="ct-list">
          {p.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}

      <div className="ct-charts">
        <TrendChart trend={p.trend} />
        <BurnChart trend={p.trend} />
      </div>

      <h2 className="ct-subtitle">Earned value</h2>
      <EvmSection project={p} />

      <h2 className="ct-subtitle">Milestones and gates</h2>
      <Milestones milestones={p.milestones} highlightGate={highlightGate} />

      <h2 className="ct-subtitle">Escalations</h2>
      <Escalations escalations={p.escalations} highlight={highlightEscalation} />

      <h2 className="ct-subtitle">Timeline</h2>
      {p.timeline.length === 0 ? (
        <Text>Nothing recorded yet.</Text>
      ) : (
        <ol className="ct-timeline" aria-label="Timeline, oldest first">
          {p.timeline.map((t, i) => (
            <li key={`${t.at}-${i}`}>
              <time dateTime={t.at}>{instant(t.at)}</time> {t.summary}
              {t.actorName ? ` — ${t.actorName}` : ''}
            </li>
          ))}
        </ol>
      )}
      <p className="ct-note">Evaluated {instant(p.evaluatedAt)}.</p>
    </>
  );
}

function TrendChart({ trend }: { trend: TrendPointDto[] }) {
  if (trend.length === 0) return <Text>No daily snapshots yet: the trend starts tomorrow.</Text>;
  if (trend.every((t) => t.score === null))
    return (
      <Text>
        Health trend: unknown on each of the last {trend.length} days (the data cannot support a
        score).
      </Text>
    );
  const last = trend[trend.length - 1];
  const changes = modelChanges(trend);
  return (
    <>
      <LineChart
        testId="trend-chart"
        title="Health trend"
        summary={`Health score over ${trend.length} days, from ${score(trend[0]?.score)} on ${day(trend[0]?.date)} to ${score(last?.score)} on ${day(last?.date)}.${changes.length > 0 ? ` The judgement model changed ${changes.length} time(s) in this period.` : ''}`}
        labels={trend.map((t) => t.date)}
        series={[
          {
            name: 'Score',
            values: trend.map((t) => t.score),
            colour: tokens.colorBrandForeground1,
          },
        ]}
        min={0}
        max={100}
        format={(v) => String(Math.round(v))}
      />
      {changes.length > 0 && (
        <ul className="ct-note" data-testid="trend-model-changes">
          {changes.map((c) => (
            <li key={c.date}>
              {day(c.date)}: judgement model {c.from ?? 'unversioned'} → {c.to ?? 'unversioned'} (we
              changed the rules; the project did not necessarily change)
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Days on which the judgement model version differs from the day before. */
export function modelChanges(
  trend: TrendPointDto[],
): { date: string; from: string | null; to: string | null }[] {
  const out: { date: string; from: string | null; to: string | null }[] = [];
  for (let i = 1; i < trend.length; i += 1) {
    const before = trend[i - 1]?.modelVersion ?? null;
    const now = trend[i]?.modelVersion ?? null;
    if (before !== now) out.push({ date: trend[i]?.date ?? '', from: before, to: now });
  }
  return out;
}

function BurnChart({ trend }: { trend: TrendPointDto[] }) {
  const points = trend.filter((t) => t.burnPercent !== null || t.planPercent !== null);
  if (points.length === 0) return <Text>No burn or plan figures yet.</Text>;
  const values = points.flatMap((t) => [t.burnPercent, t.planPercent, t.completePercent]);
  const max = Math.max(100, ...values.filter((v): v is number => v !== null));
  const last = points[points.length - 1];
  return (
    <LineChart
      testId="burn-chart"
      title="Burn vs plan"
      summary={`Hours burned ${pct(last?.burnPercent)} of budget against ${pct(last?.planPercent)} planned and ${pct(last?.completePercent)} complete on ${day(last?.date)}.`}
      labels={points.map((t) => t.date)}
      series={[
        {
          name: 'Hours burned',
          values: points.map((t) => t.burnPercent),
          colour: tokens.colorPaletteRedForeground1,
        },
        {
          name: 'Planned',
          values: points.map((t) => t.planPercent),
          colour: tokens.colorNeutralForeground2,
          dashed: true,
        },
        {
          name: 'Complete',
          values: points.map((t) => t.completePercent),
          colour: tokens.colorPaletteGreenForeground1,
        },
      ]}
      min={0}
      max={Math.ceil(max / 10) * 10}
      format={(v) => `${Math.round(v)} %`}
    />
  );
}

function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)} %`;
}

const EVM_ROWS: [keyof EvmFigures, string][] = [
  ['bac', 'Budget at completion (BAC)'],
  ['pv', 'Planned value (PV)'],
  ['ev', 'Earned value (EV)'],
  ['ac', 'Actual cost (AC)'],
  ['cv', 'Cost variance (CV)'],
  ['sv', 'Schedule variance (SV)'],
  ['cpi', 'CPI'],
  ['spi', 'SPI'],
  ['eacAtBudgetRate', 'EAC, rest at budget rate'],
  ['eacAtCpi', 'EAC at CPI'],
  ['eacAtCpiSpi', 'EAC at CPI × SPI'],
  ['etc', 'Estimate to complete (ETC)'],
  ['vac', 'Variance at completion (VAC)'],
  ['tcpi', 'TCPI'],
];

function EvmSection({ project: p }: { project: ProjectDetailDto }) {
  const evm = p.evm;
  const cell = (f: EvmFigures | null, key: keyof EvmFigures): string => {
    if (!f) return '—';
    const v = f[key];
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    return key === 'cpi' || key === 'spi' || key === 'tcpi' ? fixed(v) : whole(v);
  };
  return (
    <>
      <dl className="ct-facts" data-testid="evm">
        <div>
          <dt>% complete</dt>
          <dd>{percent(evm.percentComplete)}</dd>
        </div>
        <div>
          <dt>% planned</dt>
          <dd>{percent(evm.plannedPercent)}</dd>
        </div>
        <div>
          <dt>Schedule slip</dt>
          <dd>{evm.scheduleSlipDays === null ? '—' : `${evm.scheduleSlipDays} working days`}</dd>
        </div>
        <div>
          <dt>Hours burn ratio</dt>
          <dd>{fixed(evm.hoursBurnRatio)}</dd>
        </div>
      </dl>
      {evm.hours || evm.money ? (
        <div className="ct-scroll" role="region" aria-label="Earned value table" tabIndex={0}>
          <table className="ct-table">
            <thead>
              <tr>
                <th scope="col">Figure</th>
                <th scope="col">Hours</th>
                <th scope="col">Money</th>
              </tr>
            </thead>
            <tbody>
              {EVM_ROWS.map(([key, label]) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td>{cell(evm.hours, key)}</td>
                  <td>{cell(evm.money, key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Text>No earned value: the project has no budget or plan to measure against.</Text>
      )}
      {evm.hours?.unrealisticForecast || evm.money?.unrealisticForecast ? (
        <p className="ct-note">
          TCPI and CPI differ by more than 0.1: finishing on budget needs an efficiency the project
          has not shown.
        </p>
      ) : null}
    </>
  );
}

function Milestones({
  milestones,
  highlightGate,
}: {
  milestones: MilestoneDto[];
  highlightGate: string | null;
}) {
  if (milestones.length === 0) return <Text>No milestones in HaloPSA.</Text>;
  return (
    <ol className="ct-list ct-milestones">
      {milestones.map((m) => (
        <li
          key={m.id}
          id={m.gate ? `milestone-gate-${m.gate.gateId}` : undefined}
          tabIndex={m.gate && m.gate.gateId === highlightGate ? -1 : undefined}
          className={m.gate && m.gate.gateId === highlightGate ? 'ct-highlight' : undefined}
        >
          <strong>{m.name}</strong> — {m.complete ? 'complete' : `due ${day(m.targetDate)}`}
          {m.isGate ? (
            <>
              {' '}
              <Badge appearance="outline">quality gate</Badge>{' '}
              {m.gate
                ? `gate ${m.gate.status}, ${m.gate.evidenceCount} evidence item${m.gate.evidenceCount === 1 ? '' : 's'}${m.gate.decidedAt ? `, decided ${instant(m.gate.decidedAt)}` : ''}`
                : 'gate not requested yet'}
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function Escalations({
  escalations,
  highlight,
}: {
  escalations: EscalationDto[];
  highlight: string | null;
}) {
  if (escalations.length === 0) return <Text>No escalations.</Text>;
  return (
    <ul className="ct-list" data-testid="escalations">
      {escalations.map((e) => (
        <li
          key={e.id}
          id={`escalation-${e.id}`}
          tabIndex={e.id === highlight ? -1 : undefined}
          className={e.id === highlight ? 'ct-highlight' : undefined}
        >
          <strong>{e.cause}</strong> — {e.severity} severity, {e.state}; opened{' '}
          {instant(e.openedAt)}
          {e.closedAt ? `, closed ${instant(e.closedAt)}` : ''}
          <div className="ct-card-meta">
            <span>Owner {e.ownerName ?? 'none'}</span>
            <span>Mitigation {e.mitigationOwnerName ?? 'not assigned'}</span>
          </div>
          {e.details.length > 0 ? <div className="ct-explain">{e.details.join('; ')}</div> : null}
        </li>
      ))}
    </ul>
  );
}
