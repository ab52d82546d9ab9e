import './charts.css';
import type { ReactNode } from 'react';
import type { Tone } from './BarChart';

export interface Slice {
  key: string;
  label: string;
  /** Shown before the label in the legend (the tag's icon) so colour is never alone. */
  icon?: ReactNode;
  value: number;
  tone: Tone;
}

const SIZE = 160;
const R = 62;
const STROKE = 26;
const CIRC = 2 * Math.PI * R;

/** A donut with a legend that carries icon, word, count and share. */
export function DonutChart(props: {
  slices: Slice[];
  centerLabel: string;
  formatValue: (value: number) => string;
  formatShare: (share: number) => string;
  summary: string;
}) {
  const total = props.slices.reduce((sum, s) => sum + s.value, 0);
  let offset = 0;
  return (
    <div className="donut">
      <svg
        width={SIZE}
        height={SIZE}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="img"
        aria-label={props.summary}
      >
        <circle cx={SIZE / 2} cy={SIZE / 2} r={R} className="donut-track" strokeWidth={STROKE} />
        {total > 0 &&
          props.slices.map((slice) => {
            const length = (slice.value / total) * CIRC;
            const dash = `${length} ${CIRC - length}`;
            const circle = (
              <circle
                key={slice.key}
                cx={SIZE / 2}
                cy={SIZE / 2}
                r={R}
                className={`donut-slice tone-${slice.tone}`}
                strokeWidth={STROKE}
                strokeDasharray={dash}
                strokeDashoffset={-offset}
                transform={`rotate(-90 ${SIZE / 2} ${SIZE / 2})`}
              />
            );
            offset += length;
            return circle;
          })}
        <text x={SIZE / 2} y={SIZE / 2 + 2} textAnchor="middle" className="donut-total">
          {props.formatValue(total)}
        </text>
        <text x={SIZE / 2} y={SIZE / 2 + 22} textAnchor="middle" className="chart-tick">
          {props.centerLabel}
        </text>
      </svg>
      <ul className="donut-legend">
        {props.slices.map((slice) => (
          <li key={slice.key} className={`tone-${slice.tone}`}>
            <span className="legend-swatch" aria-hidden="true" />
            {slice.icon}
            <span className="legend-label">{slice.label}</span>
            <strong>{props.formatValue(slice.value)}</strong>
            <span className="legend-share">
              {props.formatShare(total === 0 ? 0 : slice.value / total)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
