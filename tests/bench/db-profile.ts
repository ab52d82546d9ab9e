/**
 * Where the store spends its CPU: runs one workload against a store process started with
 * `--cpu-prof` and prints the functions with the most self time.
 *   npx tsx tests/bench/db-profile.ts [ping|insert|insertj|find|findid|update|insertmany] [count] [--keep]
 */
import { MongoClient } from 'mongodb';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStore } from './db-store-process';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const workload = process.argv[2] ?? 'insert';
const count = Number(process.argv[3] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'coop-profile-'));

async function main(): Promise<void> {
  const profiles = join(dir, 'profiles');
  const store = await spawnStore({
    dbpath: join(dir, 'db'),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`],
  });
  const client = new MongoClient(store.uri);
  await client.connect();
  const coll = client
    .db('profile')
    .collection<{ _id: number; email: string; n: number; bio?: string }>('c');
  await coll.createIndex({ email: 1 }, { unique: true });
  const seed = Array.from({ length: 10_000 }, (_, i) => ({ _id: i, email: `p${i}@x.org`, n: 0 }));
  await coll.insertMany(seed);
  const pick = (): number => Math.floor(Math.random() * 10_000);
  const ops: Record<string, (i: number) => Promise<unknown>> = {
    ping: () => client.db('admin').command({ ping: 1 }),
    insert: (i) => coll.insertOne({ _id: 100_000 + i, email: `q${i}@x.org`, n: 0 }),
    insertj: (i) =>
      coll.insertOne(
        { _id: 100_000 + i, email: `q${i}@x.org`, n: 0 },
        { writeConcern: { j: true } },
      ),
    find: () => coll.findOne({ email: `p${pick()}@x.org` }),
    findid: () => coll.findOne({ _id: pick() }),
    update: () => coll.updateOne({ _id: pick() }, { $inc: { n: 1 } }),
    insertmany: (i) =>
      coll.insertMany(
        Array.from({ length: 1000 }, (_, k) => ({
          _id: 1_000_000 + i * 1000 + k,
          email: `m${i}-${k}@x.org`,
          n: 0,
          bio: 'Builds partnerships between startups and corporates.'.repeat(4),
        })),
      ),
  };
  const op = ops[workload];
  if (!op) throw new Error(`unknown workload ${workload}; one of ${Object.keys(ops).join(', ')}`);
  const started = performance.now();
  for (let i = 0; i < count; i++) await op(i);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${workload}: ${count} ops in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} ops/s`,
  );
  await client.close();
  await store.stop();

  const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  report(JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile);
}

/** Self time per function, from the sample stream. */
function report(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*\/(node_modules|server)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
  for (const [key, us] of top) {
    console.log(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() =>
    process.argv.includes('--keep')
      ? console.log(dir)
      : rmSync(dir, { recursive: true, force: true }),
  );
