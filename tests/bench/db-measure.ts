/** Timing helpers for the store benchmark. */

export interface Measurement {
  name: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50us: number;
  p99us: number;
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
