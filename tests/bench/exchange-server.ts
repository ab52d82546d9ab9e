/**
 * The server under test for `npm run bench`: the real app (`startServer`, embedded store
 * in a temp dbpath on its own thread, as in production) in its own process, so its
 * event-loop lag and RSS are measured apart from the load generator. Driven over IPC by
 * tests/bench/run.ts: seed users, reset and read the event-loop/RSS meters, stop.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { startServer } from '../../server/src/server';
import { UserModel } from '../../server/src/features/auth/auth.model';
import { CardModel } from '../../server/src/features/cards/cards.model';
import { EventModel, MembershipModel } from '../../server/src/features/events/events.model';

export type BenchRequest =
  { type: 'seed'; users: number } | { type: 'reset' } | { type: 'stats' } | { type: 'stop' };

export interface LoopStats {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssMb: number;
  maxRssMb: number;
  /** CPU time (user + system) the server used since the last reset. */
  cpuMs: number;
  /**
   * Time from a request's arrival to its response (both people's pushes go out before
   * it), for requests since the last reset: what the server adds, without the load
   * generator's own delays.
   */
  serverP50Ms: number;
  serverP99Ms: number;
  /**
   * The same CPU time split by thread where the system shows threads (Linux `/proc`): the
   * application's own thread, the store's thread, and the rest (V8's garbage-collection
   * helpers, libuv's pool). Null elsewhere.
   */
  threadsCpuMs: { app: number; store: number; other: number } | null;
}

export type BenchReply =
  | { type: 'ready'; url: string; db: string }
  | { type: 'seeded'; userIds: string[]; eventId: string }
  | { type: 'stats'; stats: LoopStats }
  | { type: 'reset' };

const send = (reply: BenchReply) => process.send?.(reply);

/** CPU time (ms) of each of this process's threads, by thread id; empty without `/proc`. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  const tick = 1000 / 100; // USER_HZ: 100 on Linux
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function seed(count: number): Promise<{ userIds: string[]; eventId: string }> {
  const userIds = Array.from({ length: count }, () => new Types.ObjectId());
  const eventId = new Types.ObjectId();
  const [organizer] = userIds;
  if (!organizer) throw new Error('seed at least one user');
  for (let from = 0; from < count; from += 500) {
    const batch = userIds.slice(from, from + 500);
    await UserModel.insertMany(
      batch.map((_id, i) => ({
        _id,
        email: `attendee${from + i}@bench.example.org`,
        // Never used to sign in: tokens are signed directly by the bench.
        passwordHash: 'bench',
        name: `Attendee ${from + i}`,
      })),
    );
    await CardModel.insertMany(
      batch.map((userId, i) => ({
        userId,
        fullName: `Attendee Number ${from + i}`,
        title: 'Head of Partnerships',
        company: `Company ${(from + i) % 97}`,
        email: `attendee${from + i}@bench.example.org`,
        phone: '+33612345678',
        website: 'https://example.org/',
      })),
    );
    await MembershipModel.insertMany(
      batch.map((userId) => ({ eventId, userId, role: 'attendee' })),
    );
  }
  await EventModel.create({
    _id: eventId,
    name: 'Bench night',
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 6 * 3600_000),
    joinCode: 'BENCH2',
    organizers: [organizer],
    createdBy: organizer,
  });
  return { userIds: userIds.map(String), eventId: String(eventId) };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The threads the server start adds: the store's thread among them (the busiest, later).
  const threadsBefore = new Set(threadCpu().keys());
  const server = await startServer({
    config,
    logger: createLogger(config.logLevel),
    serveClient: false,
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let maxRss = process.memoryUsage().rss;
  let cpuAtReset = process.cpuUsage();
  const storeCandidates = [...threadCpu().keys()].filter((tid) => !threadsBefore.has(tid));
  let threadsAtReset = threadCpu();
  const threadsSinceReset = (totalMs: number): LoopStats['threadsCpuMs'] => {
    const now = threadCpu();
    const delta = (tid: string) => (now.get(tid) ?? 0) - (threadsAtReset.get(tid) ?? 0);
    if (now.size === 0 || storeCandidates.length === 0) return null;
    const app = delta(String(process.pid));
    const store = Math.max(...storeCandidates.map(delta));
    return { app, store, other: Math.max(0, totalMs - app - store) };
  };
  let handled: number[] = [];
  server.httpServer.prependListener('request', (_req, res) => {
    const started = performance.now();
    res.once('finish', () => handled.push(performance.now() - started));
  });
  const serverPercentile = (p: number) => {
    if (handled.length === 0) return Number.NaN;
    const sorted = [...handled].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  };
  setInterval(() => {
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  }, 200).unref();

  // With `npm run bench -- --profile`: a CPU profile per phase, from its reset to its stats.
  const profiler = process.env.PHASE_PROFILE_DIR ? new Session() : undefined;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  let profiling = false;
  let phase = 0;
  process.on('message', (raw: BenchRequest) => {
    void (async () => {
      switch (raw.type) {
        case 'seed':
          send({ type: 'seeded', ...(await seed(raw.users)) });
          return;
        case 'reset':
          if (profiler) {
            if (profiling) await profiler.post('Profiler.stop');
            await profiler.post('Profiler.start');
            profiling = true;
          }
          loop.reset();
          maxRss = process.memoryUsage().rss;
          cpuAtReset = process.cpuUsage();
          threadsAtReset = threadCpu();
          handled = [];
          send({ type: 'reset' });
          return;
        case 'stats': {
          if (profiler && profiling) {
            const { profile } = await profiler.post('Profiler.stop');
            profiling = false;
            phase += 1;
            writeFileSync(
              `${process.env.PHASE_PROFILE_DIR}/phase-${phase}.cpuprofile`,
              JSON.stringify(profile),
            );
          }
          const rss = process.memoryUsage().rss;
          const cpu = process.cpuUsage(cpuAtReset);
          const cpuMs = (cpu.user + cpu.system) / 1000;
          send({
            type: 'stats',
            stats: {
              p50Ms: loop.percentile(50) / 1e6,
              p99Ms: loop.percentile(99) / 1e6,
              maxMs: loop.max / 1e6,
              rssMb: mb(rss),
              maxRssMb: mb(Math.max(maxRss, rss)),
              cpuMs,
              threadsCpuMs: threadsSinceReset(cpuMs),
              serverP50Ms: serverPercentile(50),
              serverP99Ms: serverPercentile(99),
            },
          });
          return;
        }
        case 'stop':
          await server.close();
          process.exit(0);
      }
    })();
  });
  // The bench went away (crashed or interrupted): do not linger.
  process.once('disconnect', () => process.exit(0));
  send({ type: 'ready', url: server.url, db: server.dbKind });
}

void main();
