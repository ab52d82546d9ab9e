import './charts.css';
import { useWidth } from './useWidth';

export interface Column {
  key: string;
  /** Axis label, e.g. "18:00" in the user's locale. */
  label: string;
  value: number;
}

const HEIGHT = 200;
const AXIS_H = 28;
const TOP = 20;
const LEFT = 8;

/** Vertical columns (e.g. leads per hour); thins out axis labels so they never overlap. */
export function ColumnChart(props: {
  columns: Column[];
  formatValue: (value: number) => string;
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const count = Math.max(1, props.columns.length);
  const max = Math.max(1, ...props.columns.map((c) => c.value));
  const slot = (width - LEFT * 2) / count;
  const barW = Math.max(4, Math.min(48, slot * 0.7));
  const plotH = HEIGHT - AXIS_H - TOP;
  // One label per ~48 px keeps times like "18:00" apart even on a phone.
  const labelEvery = Math.max(1, Math.ceil(48 / slot));
  return (
    <div ref={ref} className="chart-canvas">
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={props.summary}
      >
        <line
          x1={LEFT}
          x2={width - LEFT}
          y1={TOP + plotH + 0.5}
          y2={TOP + plotH + 0.5}
          className="chart-axis"
        />
        {props.columns.map((column, index) => {
          const h = column.value === 0 ? 0 : Math.max(3, (column.value / max) * plotH);
          const cx = LEFT + slot * index + slot / 2;
          return (
            <g key={column.key} className="tone-accent">
              <rect
                x={cx - barW / 2}
                y={TOP + plotH - h}
                width={barW}
                height={h}
                rx={3}
                className="chart-bar"
              >
                <title>{`${column.label}: ${props.formatValue(column.value)}`}</title>
              </rect>
              {column.value > 0 && barW >= 14 && (
                <text x={cx} y={TOP + plotH - h - 5} textAnchor="middle" className="chart-value">
                  {props.formatValue(column.value)}
                </text>
              )}
              {index % labelEvery === 0 && (
                <text x={cx} y={HEIGHT - 8} textAnchor="middle" className="chart-tick">
                  {column.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
