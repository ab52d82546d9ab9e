import './charts.css';
import { useWidth } from './useWidth';

export type Tone = 'cooperation' | 'competition' | 'neutral' | 'accent';

export interface BarItem {
  key: string;
  /** Shown in full above its bar: icon and word, never colour alone. */
  label: string;
  value: number;
  tone?: Tone;
}

const LABEL_H = 22;
const BAR_H = 18;
const GAP = 12;
const ROW_H = LABEL_H + BAR_H + GAP;
const VALUE_W = 56;

/** Horizontal bars with the label above each bar and the value after it. */
export function BarChart(props: {
  items: BarItem[];
  formatValue: (value: number) => string;
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const max = Math.max(1, ...props.items.map((i) => i.value));
  const barSpace = Math.max(40, width - VALUE_W);
  const height = Math.max(ROW_H, props.items.length * ROW_H);
  return (
    <div ref={ref} className="chart-canvas">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={props.summary}
      >
        {props.items.map((item, index) => {
          const y = index * ROW_H;
          const w = item.value === 0 ? 2 : Math.max(4, (item.value / max) * barSpace);
          return (
            <g key={item.key} className={`tone-${item.tone ?? 'accent'}`}>
              <text x={0} y={y + 16} className="chart-label">
                {item.label}
              </text>
              <rect x={0} y={y + LABEL_H} width={w} height={BAR_H} rx={4} className="chart-bar" />
              <text x={w + 8} y={y + LABEL_H + 14} className="chart-value">
                {props.formatValue(item.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
