/** Delivery KPIs: the weekly series, and week-1 baseline against week 4 and week 8. */
import { Text, tokens } from '@fluentui/react-components';
import type { KpiMovement, KpiProgressDto, KpisDto, WeeklyKpis } from '../../../src/api/dto';
import { BarChart } from '../charts/bar-chart';
import { LineChart } from '../charts/line-chart';
import { FieldList, recordsOf } from '../components/record-list';
import { LoadableView } from '../components/states';
import { instant, percent } from '../format';
import { useResource } from '../use-api';
import { ExportButton, EXPORTS } from '../components/export-button';
import { KpiProgressTable } from './kpi-progress-table';

const NAMES: Record<string, string> = {
  onTimeMilestoneRate: 'On-time milestone rate',
  budgetVariance: 'Budget variance',
  grossMarginAccuracy: 'Gross margin accuracy',
};

/** `GET /kpis`. */
export function KpisView() {
  const [kpis, reload] = useResource('kpis', (api) => api.get<KpisDto>('/kpis', { weeks: 12 }));
  const [renewalKpis, reloadRenewalKpis] = useResource('renewal-kpis', (api) =>
    api.get<unknown>('/renewals/kpis'),
  );
  const [progress, reloadProgress] = useResource('kpi-progress', (api) =>
    api.get<KpiProgressDto>('/kpis/progress'),
  );
  const [renewalProgress, reloadRenewalProgress] = useResource('renewal-kpi-progress', (api) =>
    api.get<KpiProgressDto>('/renewals/kpis/progress'),
  );
  return (
    <section className="ct-view" aria-labelledby="kpis-title">
      <h1 id="kpis-title" className="ct-title">
        Delivery KPIs
      </h1>
      <ExportButton {...EXPORTS.kpis} /> <ExportButton {...EXPORTS.register} />{' '}
      <ExportButton {...EXPORTS.pilotBrief} />
      <h2 className="ct-subtitle">Pilot progress: delivery</h2>
      <LoadableView value={progress} what="delivery KPI progress" retry={reloadProgress}>
        {(data) => <KpiProgressTable progress={data} testId="delivery-kpi-progress" />}
      </LoadableView>
      <LoadableView value={kpis} what="KPIs" retry={reload}>
        {(data) => (
          <>
            <div className="ct-charts" data-testid="kpi-movement">
              {data.movement.map((m) => (
                <Movement key={m.kpi} movement={m} />
              ))}
            </div>
            <WeeklySeries weeks={data.weeks} />
            <p className="ct-note">Generated {instant(data.generatedAt)}.</p>
          </>
        )}
      </LoadableView>
      <h2 className="ct-subtitle">Pilot progress: renewals</h2>
      <LoadableView
        value={renewalProgress}
        what="renewal KPI progress"
        retry={reloadRenewalProgress}
      >
        {(data) => <KpiProgressTable progress={data} testId="renewal-kpi-progress" />}
      </LoadableView>
      <h2 className="ct-subtitle">Renewal KPIs</h2>
      <LoadableView
        value={renewalKpis}
        what="renewal KPIs"
        retry={reloadRenewalKpis}
        missingRouteMeans="Renewal KPIs"
      >
        {(body) => {
          const [record] = recordsOf(body);
          return record ? <FieldList record={record} /> : <Text>No renewal KPIs yet.</Text>;
        }}
      </LoadableView>
    </section>
  );
}

function Movement({ movement: m }: { movement: KpiMovement }) {
  const name = NAMES[m.kpi] ?? m.kpi;
  const values = [m.baseline, m.week4, m.week8].filter((v): v is number => v !== null);
  const better = (v: number | null) =>
    v === null ? 'not yet measurable' : `${v >= 0 ? 'better' : 'worse'} by ${percent(Math.abs(v))}`;
  return (
    <div>
      <BarChart
        title={name}
        summary={`${name}: baseline ${percent(m.baseline)}, week 4 ${percent(m.week4)}, week 8 ${percent(m.week8)}.`}
        bars={[
          { label: 'Week 1', value: m.baseline },
          { label: 'Week 4', value: m.week4 },
          { label: 'Week 8', value: m.week8 },
        ]}
        max={Math.max(1, ...values)}
        format={(v) => percent(v)}
      />
      <Text size={200}>
        Week 4: {better(m.improvementAtWeek4)}; week 8: {better(m.improvementAtWeek8)}
        {m.lowerIsBetter ? ' (lower is better)' : ''}.
      </Text>
    </div>
  );
}

function WeeklySeries({ weeks }: { weeks: WeeklyKpis[] }) {
  if (weeks.length === 0) return <Text>No weekly figures yet.</Text>;
  return (
    <LineChart
      title="KPIs by week"
      summary={`On-time milestone rate, budget variance and gross margin accuracy over ${weeks.length} weeks.`}
      labels={weeks.map((w) => w.week)}
      series={[
        {
          name: NAMES.onTimeMilestoneRate ?? '',
          values: weeks.map((w) => w.onTimeMilestoneRate),
          colour: tokens.colorBrandForeground1,
        },
        {
          name: NAMES.budgetVariance ?? '',
          values: weeks.map((w) => w.budgetVariance),
          colour: tokens.colorPaletteRedForeground1,
          dashed: true,
        },
        {
          name: NAMES.grossMarginAccuracy ?? '',
          values: weeks.map((w) => w.grossMarginAccuracy),
          colour: tokens.colorPaletteGreenForeground1,
        },
      ]}
      min={0}
      max={Math.max(
        1,
        ...weeks.flatMap((w) => [
          w.onTimeMilestoneRate ?? 0,
          w.budgetVariance ?? 0,
          w.grossMarginAccuracy ?? 0,
        ]),
      )}
      format={(v) => percent(v)}
    />
  );
}
