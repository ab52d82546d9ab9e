import '../leads/charts/charts.css';
import { useWidth } from '../leads/charts/useWidth';

/** What the picture needs from the pulse's company network (structural, so DTOs fit). */
export interface NetworkNode {
  id: string;
  name: string;
}

export interface NetworkEdge {
  a: string;
  b: string;
  count: number;
  cooperation: number;
  competition: number;
}

export type EdgeTone = 'cooperation' | 'competition' | 'neutral';

/** How two companies tagged each other, by the majority of their tagged contacts. */
export function edgeTone(edge: NetworkEdge): EdgeTone {
  if (edge.cooperation === 0 && edge.competition === 0) return 'neutral';
  if (edge.cooperation >= edge.competition) return 'cooperation';
  return 'competition';
}

/** Companies beyond this stay in the text list; a circle of 60 labels is unreadable. */
export const MAX_NODES = 24;

/**
 * Companies on a circle, one line per pair that met: thicker for more handshakes,
 * coloured (and dashed for competition, so colour is not the only cue) by tagging.
 */
export function NetworkGraph(props: {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>();
  const degree = new Map<string, number>();
  for (const edge of props.edges) {
    degree.set(edge.a, (degree.get(edge.a) ?? 0) + edge.count);
    degree.set(edge.b, (degree.get(edge.b) ?? 0) + edge.count);
  }
  const nodes = [...props.nodes]
    .sort((x, y) => (degree.get(y.id) ?? 0) - (degree.get(x.id) ?? 0))
    .slice(0, MAX_NODES);
  const shown = new Set(nodes.map((n) => n.id));
  const edges = props.edges.filter((e) => shown.has(e.a) && shown.has(e.b));
  const maxCount = Math.max(1, ...edges.map((e) => e.count));
  const maxDegree = Math.max(1, ...nodes.map((n) => degree.get(n.id) ?? 0));

  // Leave room around the circle for labels; narrow screens get a smaller ring.
  const size = Math.min(width, 720);
  const narrow = size < 480;
  const labelRoom = narrow ? 96 : 150;
  const radius = Math.max(60, size / 2 - labelRoom);
  const cx = size / 2;
  const cy = size / 2;
  const positions = new Map<string, { x: number; y: number; angle: number }>();
  nodes.forEach((node, index) => {
    const angle = (index / Math.max(1, nodes.length)) * 2 * Math.PI - Math.PI / 2;
    positions.set(node.id, {
      x: cx + radius * Math.cos(angle),
      y: cy + radius * Math.sin(angle),
      angle,
    });
  });

  return (
    <div ref={ref} className="network-canvas">
      <svg
        width={size}
        height={size}
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={props.summary}
      >
        {edges.map((edge) => {
          const from = positions.get(edge.a);
          const to = positions.get(edge.b);
          if (!from || !to) return null;
          const tone = edgeTone(edge);
          return (
            <line
              key={`${edge.a}|${edge.b}`}
              x1={from.x}
              y1={from.y}
              x2={to.x}
              y2={to.y}
              className={`network-edge tone-${tone}`}
              strokeWidth={1.5 + (edge.count / maxCount) * 8}
              strokeDasharray={tone === 'competition' ? '8 5' : undefined}
            />
          );
        })}
        {nodes.map((node) => {
          const pos = positions.get(node.id);
          if (!pos) return null;
          const r = 5 + ((degree.get(node.id) ?? 0) / maxDegree) * 9;
          const cos = Math.cos(pos.angle);
          const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
          const lx = cx + (radius + r + 8) * cos;
          const ly = cy + (radius + r + 8) * Math.sin(pos.angle);
          // Side labels get the room left beside the ring (~7.5 px per character at 14 px);
          // top and bottom labels may run wider. The text list always has the full name.
          const room = anchor === 'middle' ? size / 2 : labelRoom - r - 10;
          const maxChars = Math.max(4, Math.floor(room / (narrow ? 7 : 7.5)));
          const name =
            node.name.length > maxChars ? `${node.name.slice(0, maxChars - 1)}…` : node.name;
          return (
            <g key={node.id}>
              <circle cx={pos.x} cy={pos.y} r={r} className="network-node">
                <title>{node.name}</title>
              </circle>
              <text
                x={lx}
                y={ly + 5}
                textAnchor={anchor}
                className={narrow ? 'network-label network-label-small' : 'network-label'}
              >
                {name}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
