/**
 * A small hand-written SVG line chart with an accessible name and its data as a table, so screen
 * readers and keyboard users get the numbers, not just a picture. Gaps (null) break the line.
 */
import { tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { axisText, visibleLabelIndices } from './axis-labels';

/** One line of the chart. */
export interface LineSeries {
  name: string;
  /** One value per label; null draws a gap. */
  values: (number | null)[];
  colour: string;
  dashed?: boolean;
}

/** A horizontal reference line (a threshold). */
export interface ReferenceLine {
  label: string;
  value: number;
  colour: string;
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { left: 44, right: 12, top: 14, bottom: 30 };
const AXIS_FONT_SIZE = 12;

/** Draws `series` over `labels` (dates, weeks) between `min` and `max`. */
export function LineChart({
  title,
  summary,
  labels,
  series,
  min,
  max,
  format,
  references = [],
  testId,
}: {
  title: string;
  /** One sentence saying what the chart shows now (the image's accessible description). */
  summary: string;
  labels: string[];
  series: LineSeries[];
  min: number;
  max: number;
  format: (value: number) => string;
  references?: ReferenceLine[];
  testId?: string;
}) {
  const id = useId();
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const span = max - min || 1;
  const x = (i: number) =>
    PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v: number) =>
    PAD.top + plotH - ((Math.min(max, Math.max(min, v)) - min) / span) * plotH;
  const ticks = [min, min + span / 2, max];
  const shownLabels = new Set(
    visibleLabelIndices(
      labels,
      labels.map((_, i) => x(i)),
      AXIS_FONT_SIZE,
    ),
  );

  return (
    <figure className="ct-chart" data-testid={testId} aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="ct-chart-title">
        {title}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ display: 'block', maxWidth: WIDTH }}
      >
        <desc id={`${id}-d`}>{summary}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(t)}
              y2={y(t)}
              stroke={tokens.colorNeutralStroke2}
              strokeWidth={1}
            />
            <text
              x={PAD.left - 6}
              y={y(t) + 4}
              textAnchor="end"
              fontSize={12}
              fill={tokens.colorNeutralForeground2}
            >
              {format(t)}
            </text>
          </g>
        ))}
        {references.map((r) => (
          <g key={r.label}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(r.value)}
              y2={y(r.value)}
              stroke={r.colour}
              strokeDasharray="2 4"
              strokeWidth={1.5}
            />
            <text
              x={WIDTH - PAD.right}
              y={y(r.value) - 4}
              textAnchor="end"
              fontSize={11}
              fill={r.colour}
            >
              {r.label}
            </text>
          </g>
        ))}
        {labels.map((label, i) => {
          if (!shownLabels.has(i)) return null;
          const last = i === labels.length - 1;
          return (
            <text
              key={label}
              x={x(i)}
              y={HEIGHT - 8}
              textAnchor={
                labels.length > 1 && last
                  ? 'end'
                  : i === 0 && labels.length > 1
                    ? 'start'
                    : 'middle'
              }
              fontSize={AXIS_FONT_SIZE}
              fill={tokens.colorNeutralForeground2}
            >
              {axisText(label)}
            </text>
          );
        })}
        {series.map((s) => (
          <g key={s.name}>
            <path
              d={pathOf(s.values, x, y)}
              fill="none"
              stroke={s.colour}
              strokeWidth={2.5}
              strokeDasharray={s.dashed ? '6 4' : undefined}
              data-series={s.name}
            />
            {s.values.length === 1 && s.values[0] !== null && s.values[0] !== undefined ? (
              <circle cx={x(0)} cy={y(s.values[0])} r={4} fill={s.colour} />
            ) : null}
          </g>
        ))}
      </svg>
      {series.length > 1 ? (
        <ul className="ct-legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name}>
              <span
                className="ct-swatch"
                style={{ borderColor: s.colour, borderStyle: s.dashed ? 'dashed' : 'solid' }}
              />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="ct-chart-data">
        <summary>{title}: data table</summary>
        <div className="ct-scroll" role="region" aria-label={`${title} data`} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                {series.map((s) => (
                  <th scope="col" key={s.name}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => {
                    const v = s.values[i];
                    return <td key={s.name}>{v === null || v === undefined ? '—' : format(v)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function pathOf(
  values: (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    pen = true;
  });
  return d.trim();
}
