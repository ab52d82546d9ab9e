/**
 * Embedded store benchmark (`npm run bench:db`): the official driver against the store's
 * own command in a child process on loopback, with a dbpath so every write is journaled.
 * Prints a table with the targets next to the numbers. Not a test: it never fails.
 *
 * Pass `--profile` to run the store with `--cpu-prof` (profiles land in the temp dir).
 */
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, renderTable, rowOf, type Row } from './db-measure';
import { rssOf, spawnStore, type StoreProcess } from './db-store-process';

interface Person {
  _id: number;
  email: string;
  name: string;
  company: string;
  title: string;
  city: string;
  group: number;
  score: number;
  tags: string[];
  bio: string;
}

/** About 300 bytes of BSON, shaped like a business card. */
function person(i: number): Person {
  return {
    _id: i,
    email: `attendee${i}@example-company.org`,
    name: `Attendee Number ${i}`,
    company: `Company ${i % 997}`,
    title: 'Head of Partnerships',
    city: ['Lyon', 'Paris', 'Berlin', 'Lisbon'][i % 4]!,
    group: i % 100,
    score: (i * 7919) % 1000,
    tags: ['cooperation', 'saas', 'b2b'],
    bio: `Builds partnerships between startups and corporates. Card ${i}. `.padEnd(52, '.'),
  };
}

interface Badge {
  _id: number;
  email: string;
}

const badge = (i: number): Badge => ({ _id: i, email: `attendee${i}@example-company.org` });

const MB = 1024 * 1024;
const profile = process.argv.includes('--profile');
const workDir = mkdtempSync(join(tmpdir(), 'coop-bench-db-'));
const rows: Row[] = [];
const log = (msg: string): void => console.error(`[bench:db] ${msg}`);

async function start(name: string): Promise<{ store: StoreProcess; client: MongoClient }> {
  const store = await spawnStore({
    dbpath: join(workDir, name),
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'profiles')}`] : [],
  });
  const client = new MongoClient(store.uri, { maxPoolSize: 32 });
  await client.connect();
  return { store, client };
}

/** Inserts documents `from`..`to` in unordered batches of 1,000. */
async function load<T>(
  from: number,
  to: number,
  make: (i: number) => T,
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = from; i < to; i += 1000) {
    const batch: T[] = [];
    for (let k = i; k < Math.min(to, i + 1000); k++) batch.push(make(k));
    await insert(batch);
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  log(`work dir ${workDir}; ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}`);
  log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(`document size: ${BSON.calculateObjectSize(person(123456))} bytes`);

  const { store, client } = await start('main');
  const admin = client.db('admin');
  const db = client.db('bench');

  const ping = await measure('ping', () => admin.command({ ping: 1 }), { seconds: 3, warmup: 500 });
  rows.push(rowOf(ping, { target: 'protocol ceiling' }));
  const pct = (rate: number): string => `${((100 * rate) / ping.opsPerSec).toFixed(0)}% of ping`;
  rows.push(
    rowOf(
      await measure('ping ×16 in flight', () => admin.command({ ping: 1 }), {
        seconds: 2,
        concurrency: 16,
      }),
    ),
  );

  const inserts = db.collection<Person>('inserts');
  let nextId = 10_000_000;
  const ins = await measure(
    'insertOne (default write concern)',
    () => inserts.insertOne(person(nextId++)),
    {
      seconds: 3,
      warmup: 200,
    },
  );
  rows.push(
    rowOf(ins, {
      value: pct(ins.opsPerSec),
      target: '≥ 40% of ping',
      met: ins.opsPerSec >= 0.4 * ping.opsPerSec,
    }),
  );
  const insJ = await measure(
    'insertOne {j: true}',
    () => inserts.insertOne(person(nextId++), { writeConcern: { j: true } }),
    { seconds: 3 },
  );
  rows.push(rowOf(insJ, { value: pct(insJ.opsPerSec) }));
  const insJ16 = await measure(
    'insertOne {j: true} ×16 in flight',
    () => inserts.insertOne(person(nextId++), { writeConcern: { j: true } }),
    { seconds: 3, concurrency: 16 },
  );
  rows.push(rowOf(insJ16, { value: 'group commit' }));

  const many = await measure(
    'insertMany of 1,000',
    async () => {
      const batch = Array.from({ length: 1000 }, () => person(nextId++));
      await inserts.insertMany(batch);
    },
    { seconds: 4, maxOps: 40 },
  );
  rows.push(
    rowOf(many, { value: `${Math.round(many.opsPerSec * 1000).toLocaleString('en-US')} docs/s` }),
  );

  // 100,000 cards with a unique email index and a group index, for reads and the aggregate.
  const people = db.collection<Person>('people');
  await people.createIndex({ email: 1 }, { unique: true });
  await people.createIndex({ group: 1 });
  const loadStart = performance.now();
  await load(0, 100_000, person, (b) => people.insertMany(b, { ordered: false }));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  rows.push({
    name: 'load 100,000 (insertMany ×100)',
    opsPerSec: 100_000 / loadSeconds,
    value: `${loadSeconds.toFixed(1)} s`,
  });
  log(
    `main store RSS with ~${(100_000 + nextId - 10_000_000).toLocaleString('en-US')} docs: ${((rssOf(store.pid) ?? 0) / MB).toFixed(0)} MB`,
  );

  const rnd = (): number => Math.floor(Math.random() * 100_000);
  const byId = await measure('find by _id', () => people.findOne({ _id: rnd() }), {
    seconds: 3,
    warmup: 200,
  });
  rows.push(
    rowOf(byId, {
      value: pct(byId.opsPerSec),
      target: '≥ 60% of ping',
      met: byId.opsPerSec >= 0.6 * ping.opsPerSec,
    }),
  );
  const byEmail = await measure(
    'find by unique secondary index',
    () => people.findOne({ email: `attendee${rnd()}@example-company.org` }),
    { seconds: 3, warmup: 200 },
  );
  rows.push(
    rowOf(byEmail, {
      value: pct(byEmail.opsPerSec),
      target: '≥ 60% of ping',
      met: byEmail.opsPerSec >= 0.6 * ping.opsPerSec,
    }),
  );
  const inc = await measure(
    'updateOne $inc',
    () => people.updateOne({ _id: rnd() }, { $inc: { score: 1 } }),
    {
      seconds: 3,
      warmup: 100,
    },
  );
  rows.push(rowOf(inc, { value: pct(inc.opsPerSec) }));
  const agg = await measure(
    '$match/$group over 100,000',
    () =>
      people
        .aggregate([
          { $match: { score: { $gte: 100 } } },
          { $group: { _id: '$group', n: { $sum: 1 }, total: { $sum: '$score' } } },
        ])
        .toArray(),
    { seconds: 10, maxOps: 10, warmup: 1 },
  );
  rows.push(rowOf(agg, { value: `${(agg.p50us / 1000).toFixed(0)} ms per run` }));

  // The same indexed lookup at 1,000 and at 1,000,000 documents: an index, not a scan.
  // Small documents here: this measures the index, and a million of them load faster.
  const scale = db.collection<Badge>('scale');
  await scale.createIndex({ email: 1 }, { unique: true });
  await load(0, 1000, badge, (b) => scale.insertMany(b, { ordered: false }));
  const pick = (n: number) => () =>
    scale.findOne({ email: `attendee${Math.floor(Math.random() * n)}@example-company.org` });
  const at1k = await measure('indexed find at 1,000 docs', pick(1000), { seconds: 3, warmup: 200 });
  rows.push(rowOf(at1k));
  const growStart = performance.now();
  await load(1000, 1_000_000, badge, (b) => scale.insertMany(b, { ordered: false }));
  log(
    `grew to 1,000,000 docs in ${((performance.now() - growStart) / 1000).toFixed(0)} s; RSS ${((rssOf(store.pid) ?? 0) / MB).toFixed(0)} MB`,
  );
  const at1m = await measure('indexed find at 1,000,000 docs', pick(1_000_000), {
    seconds: 3,
    warmup: 200,
  });
  const ratio = at1m.p50us / at1k.p50us;
  rows.push(
    rowOf(at1m, {
      value: `p50 ${ratio.toFixed(2)}× the 1k time`,
      target: '≤ 2× at 1k',
      met: ratio <= 2,
    }),
  );

  await client.close();
  const stopped = await store.stop();
  log(`main store stopped (exit ${stopped.code})`);
  const compactions = store
    .output()
    .stderr.split('\n')
    .map((line) => /journal compacted \{"ms":(\d+)/.exec(line)?.[1])
    .filter((ms): ms is string => ms !== undefined);
  log(`journal compactions during the run: ${compactions.length} (${compactions.join(', ')} ms)`);

  // RSS in a fresh store process: 100,000 cards and their unique email index.
  const fresh = await start('rss');
  const empty = rssOf(fresh.store.pid) ?? Number.NaN;
  const cards = fresh.client.db('bench').collection<Person>('people');
  await cards.createIndex({ email: 1 }, { unique: true });
  await load(0, 100_000, person, (b) => cards.insertMany(b, { ordered: false }));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rss = rssOf(fresh.store.pid) ?? Number.NaN;
  rows.push({
    name: 'RSS with 100,000 docs of ~300 B',
    value: `${(rss / MB).toFixed(0)} MB (empty: ${(empty / MB).toFixed(0)} MB)`,
    target: '≤ 200 MB',
    met: rss <= 200 * MB,
  });
  await fresh.client.close();
  await fresh.store.stop();

  console.log(renderTable(rows));
  log(
    `total ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (profile)
    log(
      `CPU profiles: ${readdirSync(join(workDir, 'profiles'))
        .map((f) => join(workDir, 'profiles', f))
        .join(', ')}`,
    );
}

// An interrupted run still stops its store processes (they are killed on exit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  });
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!profile) rmSync(workDir, { recursive: true, force: true });
  });
