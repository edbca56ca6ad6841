/** One KPI family's pilot progress: baseline, week 4, week 8 and now, with the change since the baseline. */
import { Text } from '@fluentui/react-components';
import type { KpiProgressDto } from '../../../src/api/dto';
import { day, fixed, percent } from '../format';

/** Display names of the KPIs (both families). */
export const KPI_NAMES: Record<string, string> = {
  onTimeMilestoneRate: 'On-time milestone rate',
  budgetVariance: 'Budget variance',
  grossMarginAccuracy: 'Gross margin accuracy',
  grr: 'Gross retention (GRR)',
  upliftConversion: 'Uplift conversion',
  avgConcessionDepthPct: 'Average concession depth',
};

/** Concession depth is stored in percent; every other KPI is a fraction. */
function show(kpi: string, v: number | null | undefined): string {
  if (kpi === 'avgConcessionDepthPct')
    return v === null || v === undefined ? '—' : `${fixed(v, 1)} %`;
  return percent(v, 1);
}

function change(kpi: string, better: 'higher' | 'lower', delta: number | null | undefined): string {
  if (delta === null || delta === undefined) return '';
  if (delta === 0) return ' (no change)';
  const size =
    kpi === 'avgConcessionDepthPct'
      ? `${fixed(Math.abs(delta), 1)} pts`
      : percent(Math.abs(delta), 1).replace(' %', ' pts');
  const improved = better === 'higher' ? delta > 0 : delta < 0;
  return ` (${delta > 0 ? '+' : '−'}${size}, ${improved ? 'better' : 'worse'})`;
}

export function KpiProgressTable({
  progress,
  testId,
}: {
  progress: KpiProgressDto;
  testId: string;
}) {
  if (progress.baseline === null) {
    return (
      <Text>
        {progress.pilotStartsOn
          ? `The baseline is captured on the first day of the pilot (${day(progress.pilotStartsOn)}).`
          : 'The baseline is captured by the first daily KPI snapshot.'}
      </Text>
    );
  }
  const points = [
    { name: 'Baseline', point: progress.baseline, delta: null },
    { name: 'Week 4', point: progress.week4, delta: progress.week4?.delta },
    { name: 'Week 8', point: progress.week8, delta: progress.week8?.delta },
    { name: 'Now', point: progress.now, delta: progress.now?.delta },
  ];
  return (
    <div className="ct-scroll" role="region" aria-label="KPI progress" tabIndex={0}>
      <table className="ct-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">KPI</th>
            {points.map((p) => (
              <th scope="col" key={p.name}>
                {p.name}
                <br />
                <Text size={200}>{p.point ? day(p.point.capturedOn) : 'not yet'}</Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {progress.kpis.map(({ kpi, better }) => (
            <tr key={kpi}>
              <th scope="row">
                {KPI_NAMES[kpi] ?? kpi}
                {better === 'lower' ? ' (lower is better)' : ''}
              </th>
              {points.map((p) => (
                <td key={p.name}>
                  {p.point ? show(kpi, p.point.values[kpi]) : '—'}
                  {p.point && p.delta ? change(kpi, better, p.delta[kpi]) : ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
