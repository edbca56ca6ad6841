/** A small hand-written SVG bar chart (KPI baseline vs week 4 vs week 8), with its data as a table. */
import { tokens } from '@fluentui/react-components';
import { useId } from 'react';

/** One bar; null is drawn as "no data". */
export interface Bar {
  label: string;
  value: number | null;
}

const WIDTH = 360;
const HEIGHT = 180;
const PAD = { left: 12, right: 12, top: 22, bottom: 28 };

/** Draws bars from 0 to `max` with each value printed above its bar. */
export function BarChart({
  title,
  summary,
  bars,
  max,
  format,
  testId,
}: {
  title: string;
  summary: string;
  bars: Bar[];
  max: number;
  format: (value: number) => string;
  testId?: string;
}) {
  const id = useId();
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(64, slot * 0.6);
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
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          stroke={tokens.colorNeutralStroke1}
        />
        {bars.map((bar, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const h =
            bar.value === null ? 0 : (Math.max(0, Math.min(max, bar.value)) / (max || 1)) * plotH;
          return (
            <g key={bar.label}>
              <rect
                x={cx - barW / 2}
                y={PAD.top + plotH - h}
                width={barW}
                height={h}
                fill={i === 0 ? tokens.colorNeutralForeground3 : tokens.colorBrandBackground}
              />
              <text
                x={cx}
                y={PAD.top + plotH - h - 6}
                textAnchor="middle"
                fontSize={12}
                fill={tokens.colorNeutralForeground1}
              >
                {bar.value === null ? 'no data' : format(bar.value)}
              </text>
              <text
                x={cx}
                y={HEIGHT - 8}
                textAnchor="middle"
                fontSize={12}
                fill={tokens.colorNeutralForeground2}
              >
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="ct-chart-data">
        <summary>{title}: data table</summary>
        <table>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value === null ? 'no data' : format(bar.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
