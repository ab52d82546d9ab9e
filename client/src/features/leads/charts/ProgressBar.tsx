import './charts.css';
import { useWidth } from './useWidth';

/** Follow-up progress: a filled track with the numbers written next to it. */
export function ProgressBar(props: { done: number; total: number; label: string }) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const share = props.total === 0 ? 0 : Math.min(1, props.done / props.total);
  return (
    <div ref={ref} className="chart-canvas">
      <svg
        width={width}
        height={24}
        viewBox={`0 0 ${width} 24`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={props.total}
        aria-valuenow={props.done}
        aria-valuetext={props.label}
        aria-label={props.label}
      >
        <rect x={0} y={0} width={width} height={24} rx={12} className="progress-track" />
        {share > 0 && (
          <rect
            x={0}
            y={0}
            width={Math.max(24, share * width)}
            height={24}
            rx={12}
            className="progress-fill"
          />
        )}
      </svg>
      <p className="progress-label">{props.label}</p>
    </div>
  );
}
