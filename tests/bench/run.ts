/**
 * Exchange benchmark (`npm run bench`): loopback only, prints a table; not a test.
 *
 * The real server runs in a child process (tests/bench/exchange-server.ts: embedded store
 * in a temp dbpath on its own thread, as in production) so its event-loop lag
 * (`monitorEventLoopDelay`, 10 ms resolution) and RSS are its own. This process is the
 * load: 2,000 authenticated socket.io-client connections, then (after the ceiling, and
 * `GET /api/me` as a reference with two database reads) handshakes at a steady
 * 100/s (after a 3 s warm-up at that rate, shown as its own row), then as fast as bounded
 * concurrency allows, each timed from POST sent to BOTH
 * people's `handshake:created`; and `GET /api/health` flat out as the ceiling, measured
 * first and again last (their mean is the ceiling: the shared machine's speed drifts).
 *
 * Options: `--users N` (default 2000), `--seconds S` per phase (default 10),
 * `--concurrency C` (default 32), `--profile` (a CPU profile of the server's application
 * thread per phase, written to `phase-N.cpuprofile` files for Chrome DevTools).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  ensureServerBuild,
  SERVER_DIST,
  SERVER_NODE_FLAGS,
  serverBundleOptions,
} from '../../server/scripts/ensure-build';
import { signAccessToken } from '../../server/src/features/auth/tokens';
import { signExchangeToken } from '../../server/src/features/exchange/exchange.tokens';
import type { BenchReply, BenchRequest, LoopStats } from './exchange-server';
import {
  connectSockets,
  createHttpClient,
  HandshakeTracker,
  percentile,
  type BenchSocket,
} from './exchange-load';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const USERS = arg('users', 2000);
const PHASE_SECONDS = arg('seconds', 10);
const CONCURRENCY = arg('concurrency', 32);
const PROFILE = process.argv.includes('--profile');
const STEADY_RATE = 100;
const WARM_UP_SECONDS = 3;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'coopetition-bench-'));
const profileDir = path.join(dataDir, 'profile');
if (PROFILE) mkdirSync(profileDir);
const jwtSecret = randomBytes(32).toString('base64url');

/**
 * The server under test runs as `npm start` runs it: bundled to plain JavaScript (no
 * TypeScript loader in the process or on the store's thread), so its RSS is production's.
 */
async function startChild(): Promise<ChildProcess> {
  await ensureServerBuild();
  await build(serverBundleOptions({ 'exchange-bench-server': 'tests/bench/exchange-server.ts' }));
  return fork(path.join(SERVER_DIST, 'exchange-bench-server.mjs'), [], {
    cwd: root,
    execArgv: [...SERVER_NODE_FLAGS],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      ...(PROFILE ? { PHASE_PROFILE_DIR: profileDir } : {}),
      // Benchmarks a real MongoDB (or a store started apart) when given one.
      ...(process.env.MONGODB_URI ? { MONGODB_URI: process.env.MONGODB_URI } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function ask<T extends BenchReply['type']>(
  child: ChildProcess,
  request: BenchRequest,
  replyType: T,
): Promise<Extract<BenchReply, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (reply: BenchReply) => {
      if (reply.type !== replyType) return;
      child.off('message', onMessage);
      resolve(reply as Extract<BenchReply, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface PhaseResult {
  name: string;
  ops: number;
  errors: number;
  seconds: number;
  latencies: number[];
  loop: LoopStats;
  /** CPU time this process (the load generator) used in the phase. */
  loadCpuMs: number;
}

async function main(): Promise<void> {
  const child = await startChild();
  process.once('exit', () => child.kill());
  const ready = await new Promise<Extract<BenchReply, { type: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (reply: BenchReply) => {
      if (reply.type === 'ready') resolve(reply);
    });
  });
  const client = createHttpClient(ready.url, CONCURRENCY * 2);
  const stats = async () => (await ask(child, { type: 'stats' }, 'stats')).stats;
  let loadCpuAtReset = process.cpuUsage();
  const reset = () => {
    loadCpuAtReset = process.cpuUsage();
    return ask(child, { type: 'reset' }, 'reset');
  };
  const loadCpuSinceReset = () => {
    const used = process.cpuUsage(loadCpuAtReset);
    return (used.user + used.system) / 1000;
  };

  console.log(
    `server ${ready.url} (db: ${ready.db}), ${cpus().length} CPUs, node ${process.version}`,
  );
  const seedStart = performance.now();
  const { userIds, eventId } = await ask(child, { type: 'seed', users: USERS }, 'seeded');
  console.log(
    `seeded ${USERS} users with cards in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const headers = userIds.map((id) => ({
    authorization: `Bearer ${signAccessToken({ jwtSecret }, id).token}`,
  }));
  const idleRss = (await stats()).rssMb;
  const connectStart = performance.now();
  const sockets: BenchSocket[] = await connectSockets(
    ready.url,
    headers.map((h) => h.authorization.slice('Bearer '.length)),
  );
  console.log(
    `connected ${sockets.length} sockets in ${((performance.now() - connectStart) / 1000).toFixed(1)} s`,
  );
  const tracker = new HandshakeTracker();
  sockets.forEach((socket, i) => tracker.listen(socket, userIds[i] ?? ''));
  await sleep(1000);
  const socketsRss = (await stats()).rssMb;
  // What 2,000 quiet phones cost the server (heartbeats, timers, the store's housekeeping).
  await reset();
  const idleStarted = performance.now();
  await sleep(3000);
  const idleCpuPercent = ((await stats()).cpuMs / (performance.now() - idleStarted)) * 100;

  // Every handshake is a first meeting: a fresh unordered pair each time. The scanned
  // person's code is signed before the phase (their phone fetched it earlier), so the load
  // generator spends its share of the two cores on sending and receiving only.
  const used = new Set<string>();
  // Codes live two minutes, as the server issues them; each phase is shorter than that.
  let codeExpiry = new Date(Date.now() + 120_000);
  const nextScan = (): { scanner: number; scanned: number; code: string } => {
    for (;;) {
      const a = Math.floor(Math.random() * USERS);
      const b = Math.floor(Math.random() * USERS);
      const key = a < b ? `${a}:${b}` : `${b}:${a}`;
      if (a === b || used.has(key)) continue;
      used.add(key);
      const code = signExchangeToken({ jwtSecret }, userIds[b] ?? '', eventId, codeExpiry);
      return { scanner: a, scanned: b, code };
    }
  };
  let prepared: ReturnType<typeof nextScan>[] = [];
  const prepare = (count: number) => {
    codeExpiry = new Date(Date.now() + 120_000);
    prepared = Array.from({ length: count }, nextScan);
  };
  const handshake = async (): Promise<number> => {
    const { scanner: a, scanned: b, code } = prepared.pop() ?? nextScan();
    const scanner = userIds[a] ?? '';
    const scanned = userIds[b] ?? '';
    const pushed = tracker.expect(scanner, scanned);
    // Handled here so a failed POST never leaves a rejection unobserved.
    pushed.catch(() => undefined);
    const res = await client.request(
      'POST',
      `/api/events/${eventId}/handshakes`,
      headers[a],
      JSON.stringify({ code, method: 'qr' }),
    );
    if (res.status !== 201) {
      throw new Error(`handshake ${res.status}: ${res.body.slice(0, 200)}`);
    }
    return pushed;
  };

  const results: PhaseResult[] = [];
  let firstError = '';
  const noteError = (err: unknown) => {
    firstError ||= err instanceof Error ? err.message : String(err);
  };

  interface Tally {
    ops: number;
    errors: number;
    latencies: number[];
  }
  /** Runs one phase from a reset: `body` tallies what it did; its row joins the table. */
  const phase = async (name: string, body: (tally: Tally) => Promise<void>) => {
    await reset();
    const tally: Tally = { ops: 0, errors: 0, latencies: [] };
    const started = performance.now();
    await body(tally);
    const result: PhaseResult = {
      name,
      ...tally,
      seconds: (performance.now() - started) / 1000,
      loop: await stats(),
      loadCpuMs: loadCpuSinceReset(),
    };
    results.push(result);
    return result;
  };
  /** One handshake, its latency or its error tallied. */
  const timedHandshake = async (tally: Tally) => {
    try {
      tally.latencies.push(await handshake());
      tally.ops += 1;
    } catch (err) {
      tally.errors += 1;
      noteError(err);
    }
  };

  /** `GET path` flat out for 5 s from every worker; `headersFor(i)` signs request i. */
  const flatOut = (
    name: string,
    path: string,
    headersFor: (i: number) => Record<string, string> | undefined,
  ) =>
    phase(name, async (tally) => {
      const until = performance.now() + 5000;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, worker) => {
          for (let i = worker; performance.now() < until; i += CONCURRENCY) {
            const res = await client.request('GET', path, headersFor(i));
            if (res.status === 200) tally.ops += 1;
            else tally.errors += 1;
          }
        }),
      );
    });

  // 1. The ceiling: GET /api/health flat out.
  const health = await flatOut('GET /api/health, max', '/api/health', () => undefined);
  // 1b. A reference, not a target: an authenticated route with two database reads
  // (`GET /api/me`: the user, then the card).
  const me = await flatOut(
    'GET /api/me (2 reads), max',
    '/api/me',
    (i) => headers[i % headers.length],
  );

  /** Handshakes at a steady STEADY_RATE for `seconds`. */
  const steadyPhase = (name: string, seconds: number) => {
    prepare(STEADY_RATE * seconds);
    return phase(name, async (tally) => {
      const started = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < STEADY_RATE * seconds; i += 1) {
        await sleep(started + (i * 1000) / STEADY_RATE - performance.now());
        inflight.push(timedHandshake(tally));
      }
      await Promise.all(inflight);
    });
  };

  // 2. Handshakes at a steady 100/s: first a short warm-up (the first scans of a fresh
  // server compile the scan path and create its collections; shown, not a target), then
  // the measured phase.
  await steadyPhase(`handshakes, warm-up ${STEADY_RATE}/s`, WARM_UP_SECONDS);
  const steady = await steadyPhase(`handshakes, steady ${STEADY_RATE}/s`, PHASE_SECONDS);

  // 3. Handshakes as fast as bounded concurrency allows (more codes are signed on the fly
  // should these run out).
  prepare(1500 * PHASE_SECONDS);
  const max = await phase(`handshakes, max (${CONCURRENCY} in flight)`, async (tally) => {
    const until = performance.now() + PHASE_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) await timedHandshake(tally);
      }),
    );
  });

  // 4. The ceiling again: the machine's speed drifts over a minute-long run (its two cores
  // are shared), so the max phase is compared with the ceiling measured on both sides of it.
  const healthAfter = await flatOut('GET /api/health, max (again)', '/api/health', () => undefined);

  const final = await stats();
  for (const socket of sockets) socket.disconnect();
  client.close();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' } satisfies BenchRequest);
  await exited;

  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
  const rows = results.map((r) => {
    const sorted = [...r.latencies].sort((x, y) => x - y);
    return [
      r.name,
      String(r.ops),
      String(r.errors),
      fmt(r.ops / r.seconds, 0),
      fmt(percentile(sorted, 50)),
      fmt(percentile(sorted, 95)),
      fmt(percentile(sorted, 99)),
      `${fmt(r.loop.serverP50Ms)} / ${fmt(r.loop.serverP99Ms)}`,
      `${fmt(r.loop.p50Ms)} / ${fmt(r.loop.p99Ms)} / ${fmt(r.loop.maxMs)}`,
      fmt(r.loop.cpuMs / Math.max(1, r.ops), 2),
      fmt(r.loadCpuMs / Math.max(1, r.ops), 2),
      String(r.loop.maxRssMb),
    ];
  });
  const head = [
    'phase',
    'ok',
    'errors',
    'per s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'in server p50/p99 ms',
    'loop lag p50/p99/max ms',
    'server CPU ms/op',
    'load CPU ms/op',
    'server RSS max MB',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log("Latency: POST sent → both people's handshake:created received (this process).");
  console.log(
    'In server: request arrived → response sent, pushes included (the server child alone).',
  );
  console.log(
    'CPU per op: the server child (both its threads), and this process (the load generator, sharing the cores).',
  );
  console.log(
    'Loop lag and RSS: the server child (monitorEventLoopDelay 10 ms resolution; RSS sampled every 200 ms).',
  );
  console.log(
    `Server RSS: ${idleRss} MB seeded and idle, ${socketsRss} MB with ${sockets.length} sockets, ${final.rssMb} MB at the end.`,
  );
  console.log(
    `Server CPU while ${sockets.length} sockets sit idle: ${fmt(idleCpuPercent)}% of one core.`,
  );
  if (tracker.stray) console.log(`Unmatched pushes: ${tracker.stray}`);
  if (firstError) console.log(`First error: ${firstError}`);

  const steadyP99 = percentile(
    [...steady.latencies].sort((x, y) => x - y),
    99,
  );
  const rateOf = (r: PhaseResult) => r.ops / r.seconds;
  const healthRate = (rateOf(health) + rateOf(healthAfter)) / 2;
  const maxRate = rateOf(max);
  const healthCpuMs = health.loop.cpuMs + healthAfter.loop.cpuMs;
  const healthOps = health.ops + healthAfter.ops;
  const cpuRatio = healthCpuMs / healthOps / (max.loop.cpuMs / max.ops);
  const peakRss = Math.max(...results.map((r) => r.loop.maxRssMb), final.maxRssMb);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log('');
  console.log(
    `Target p99 < 50 ms at ${STEADY_RATE}/s (after the ${WARM_UP_SECONDS} s warm-up): ${fmt(steadyP99)} ms — ${verdict(steadyP99 < 50)}`,
  );
  console.log(
    `Target max handshakes ≥ 25% of health: ${fmt(maxRate, 0)}/s vs ${fmt(healthRate, 0)}/s = ${fmt((100 * maxRate) / healthRate)}% — ${verdict(maxRate >= 0.25 * healthRate)}`,
  );
  console.log(
    `  health measured before and after the handshakes: ${fmt(rateOf(health), 0)}/s and ${fmt(rateOf(healthAfter), 0)}/s (the mean is the ceiling; against the first alone: ${fmt((100 * maxRate) / rateOf(health))}%)`,
  );
  console.log(
    `  by server CPU per request (what an otherwise idle 2-core box would allow): ${fmt(100 * cpuRatio)}%`,
  );
  const threads = max.loop.threadsCpuMs;
  if (max.ops > 0 && threads) {
    const perOp = (ms: number) => fmt(ms / max.ops, 2);
    console.log(
      `  server CPU per handshake at max, by thread: application ${perOp(threads.app)} ms, store ${perOp(threads.store)} ms, other (GC helpers, I/O pool) ${perOp(threads.other)} ms`,
    );
  }
  console.log(
    `Target RSS < 400 MB with ${sockets.length} sockets: ${peakRss} MB — ${verdict(peakRss < 400)}`,
  );
  const meRate = rateOf(me);
  console.log(
    `Reference: max handshakes vs GET /api/me (two reads): ${fmt(maxRate, 0)}/s vs ${fmt(meRate, 0)}/s = ${fmt((100 * maxRate) / meRate)}%`,
  );
  if (PROFILE) {
    const dir = profileDir;
    console.log(
      `CPU profile(s): ${readdirSync(dir)
        .map((f) => path.join(dir, f))
        .join(', ')}`,
    );
  } else {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
