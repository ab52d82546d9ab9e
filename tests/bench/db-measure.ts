/** Timing helpers for the store benchmark. */

export interface Measurement {
  name: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50us: number;
  p99us: number;
  /** Every latency in µs, sorted. */
  samples: number[];
}

export interface MeasureOptions {
  /** Stop after this long… */
  seconds: number;
  /** …or after this many operations, whichever comes first. */
  maxOps?: number;
  /** Operations in flight at once (each worker runs its own sequential loop). */
  concurrency?: number;
  /** Untimed operations first, so connections and code paths are warm. */
  warmup?: number;
}

/** Runs `op(i)` in a loop and reports throughput and latency percentiles. */
export async function measure(
  name: string,
  op: (i: number) => Promise<unknown>,
  options: MeasureOptions,
): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1;
  for (let i = 0; i < (options.warmup ?? 0); i++) await op(-1 - i);
  const latencies: number[] = [];
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && next < maxOps) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies.push((performance.now() - t0) * 1000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    ops: latencies.length,
    seconds,
    opsPerSec: latencies.length / seconds,
    p50us: percentile(latencies, 0.5),
    p99us: percentile(latencies, 0.99),
    samples: latencies,
  };
}

export interface Workload {
  name: string;
  op: (i: number) => Promise<unknown>;
}

/**
 * Measures two workloads in alternating short slices, so that both see the same machine:
 * on a shared or throttled host the load swings within seconds, and a ratio of two runs
 * taken a minute apart would measure the swing, not the store.
 */
export async function measureAlternating(
  a: Workload,
  b: Workload,
  options: { rounds: number; sliceSeconds: number; warmup?: number },
): Promise<[Measurement, Measurement]> {
  const parts: [Measurement[], Measurement[]] = [[], []];
  for (let round = 0; round < options.rounds; round++) {
    const warmup = round === 0 ? (options.warmup ?? 0) : 0;
    // Alternate which goes first so neither always follows the other.
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const side of order) {
      const w = side === 0 ? a : b;
      parts[side]!.push(await measure(w.name, w.op, { seconds: options.sliceSeconds, warmup }));
    }
  }
  return [merge(a.name, parts[0]), merge(b.name, parts[1])];
}

function merge(name: string, slices: Measurement[]): Measurement {
  const ops = slices.reduce((n, m) => n + m.ops, 0);
  const seconds = slices.reduce((n, m) => n + m.seconds, 0);
  const samples = slices.flatMap((m) => m.samples).sort((x, y) => x - y);
  return {
    name,
    ops,
    seconds,
    opsPerSec: ops / seconds,
    p50us: percentile(samples, 0.5),
    p99us: percentile(samples, 0.99),
    samples,
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface Row {
  name: string;
  opsPerSec?: number;
  p50us?: number;
  p99us?: number;
  /** Free text for rows that are not operations (a size, a ratio). */
  value?: string;
  target?: string;
  met?: boolean;
}

export function rowOf(m: Measurement, extra: Partial<Row> = {}): Row {
  return { name: m.name, opsPerSec: m.opsPerSec, p50us: m.p50us, p99us: m.p99us, ...extra };
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || Number.isNaN(n)
    ? ''
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A plain-text table (Markdown-compatible). */
export function renderTable(rows: Row[]): string {
  const header = ['benchmark', 'ops/s', 'p50 µs', 'p99 µs', 'value', 'target', 'met'];
  const body = rows.map((r) => [
    r.name,
    fmt(r.opsPerSec),
    fmt(r.p50us),
    fmt(r.p99us),
    r.value ?? '',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
