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
import {
  measure,
  measureAlternating,
  renderTable,
  rowOf,
  type Row,
  type Workload,
} from './db-measure';
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

/** Rows for an operation measured in alternation with `ping` (see measureAlternating). */
async function versusPing(
  ping: Workload,
  workload: Workload,
  minShare: number | null,
): Promise<Row> {
  const [p, m] = await measureAlternating(ping, workload, {
    rounds: 8,
    sliceSeconds: 0.4,
    warmup: 100,
  });
  const share = m.opsPerSec / p.opsPerSec;
  return rowOf(m, {
    value: `${(100 * share).toFixed(0)}% of ping (${fmtRate(p.opsPerSec)}/s alongside)`,
    ...(minShare === null
      ? {}
      : { target: `≥ ${100 * minShare}% of ping`, met: share >= minShare }),
  });
}

const fmtRate = (n: number): string => Math.round(n).toLocaleString('en-US');
const loadAverage = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const startedAt = Date.now();
  log(`work dir ${workDir}; ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}`);
  log(`load average at start: ${loadAverage()}`);
  log(`document size: ${BSON.calculateObjectSize(person(123456))} bytes`);

  const { store, client } = await start('main');
  const admin = client.db('admin');
  const db = client.db('bench');
  const ping: Workload = { name: 'ping', op: () => admin.command({ ping: 1 }) };

  rows.push(
    rowOf(await measure('ping', ping.op, { seconds: 3, warmup: 500 }), {
      target: 'protocol ceiling',
    }),
  );
  rows.push(rowOf(await measure('ping ×16 in flight', ping.op, { seconds: 2, concurrency: 16 })));

  const inserts = db.collection<Person>('inserts');
  let nextId = 10_000_000;
  const insertOne =
    (options = {}) =>
    () =>
      inserts.insertOne(person(nextId++), options);
  rows.push(
    await versusPing(ping, { name: 'insertOne (default write concern)', op: insertOne() }, 0.4),
  );
  const j = { writeConcern: { j: true } };
  rows.push(await versusPing(ping, { name: 'insertOne {j: true}', op: insertOne(j) }, null));
  const j16 = await measure('insertOne {j: true} ×16 in flight', insertOne(j), {
    seconds: 3,
    concurrency: 16,
  });
  rows.push(rowOf(j16, { value: 'group commit' }));

  const many = await measure(
    'insertMany of 1,000',
    () => inserts.insertMany(Array.from({ length: 1000 }, () => person(nextId++))),
    { seconds: 4, maxOps: 40 },
  );
  rows.push(rowOf(many, { value: `${fmtRate(many.opsPerSec * 1000)} docs/s` }));

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
  const rss = (): string => `${((rssOf(store.pid) ?? 0) / MB).toFixed(0)} MB`;
  log(`main store RSS with ~${fmtRate(100_000 + nextId - 10_000_000)} docs: ${rss()}`);

  const rnd = (): number => Math.floor(Math.random() * 100_000);
  const email = (i: number): string => `attendee${i}@example-company.org`;
  rows.push(
    await versusPing(ping, { name: 'find by _id', op: () => people.findOne({ _id: rnd() }) }, 0.6),
  );
  rows.push(
    await versusPing(
      ping,
      { name: 'find by unique secondary index', op: () => people.findOne({ email: email(rnd()) }) },
      0.6,
    ),
  );
  rows.push(
    await versusPing(
      ping,
      {
        name: 'updateOne $inc',
        op: () => people.updateOne({ _id: rnd() }, { $inc: { score: 1 } }),
      },
      null,
    ),
  );
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

  // The same indexed lookup on 1,000 and on 1,000,000 documents, measured in alternation:
  // an index keeps it flat, a scan would not.
  const small = db.collection<Badge>('scale_1k');
  const large = db.collection<Badge>('scale_1m');
  await small.createIndex({ email: 1 }, { unique: true });
  await large.createIndex({ email: 1 }, { unique: true });
  await load(0, 1000, badge, (b) => small.insertMany(b, { ordered: false }));
  const growStart = performance.now();
  await load(0, 1_000_000, badge, (b) => large.insertMany(b, { ordered: false }));
  const growSeconds = (performance.now() - growStart) / 1000;
  log(`loaded 1,000,000 small docs in ${growSeconds.toFixed(0)} s; store RSS ${rss()}`);
  const pick = (coll: typeof small, n: number) => () =>
    coll.findOne({ email: email(Math.floor(Math.random() * n)) });
  const [at1k, at1m] = await measureAlternating(
    { name: 'indexed find at 1,000 docs', op: pick(small, 1000) },
    { name: 'indexed find at 1,000,000 docs', op: pick(large, 1_000_000) },
    { rounds: 8, sliceSeconds: 0.4, warmup: 200 },
  );
  const ratio = at1m.p50us / at1k.p50us;
  rows.push(rowOf(at1k));
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
  const held = rssOf(fresh.store.pid) ?? Number.NaN;
  rows.push({
    name: 'RSS with 100,000 docs of ~300 B',
    value: `${(held / MB).toFixed(0)} MB (empty: ${(empty / MB).toFixed(0)} MB)`,
    target: '≤ 200 MB',
    met: held <= 200 * MB,
  });
  await fresh.client.close();
  await fresh.store.stop();

  console.log(renderTable(rows));
  log(`total ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average now ${loadAverage()}`);
  if (profile) {
    const dir = join(workDir, 'profiles');
    log(
      `CPU profiles: ${readdirSync(dir)
        .map((f) => join(dir, f))
        .join(', ')}`,
    );
  }
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
