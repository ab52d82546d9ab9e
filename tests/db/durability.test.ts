/**
 * The store's durability promise, proved from outside: a child process takes acknowledged
 * writes through the official driver, is killed with SIGKILL mid-stream, and after a
 * restart on the same dbpath every acknowledged write is there, exactly, with indexes
 * intact. Writes in flight at the kill may or may not have happened, but never halfway.
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli, spawnStore, type StoreProcess } from '../bench/db-store-process';
import { prng } from '../helpers/random';

interface Item {
  _id: number;
  key: string;
  group: number;
  n: number;
  payload: string;
  tags: string[];
}

/** `undefined`: the document must not exist. */
type State = Item | undefined;

const WRITERS = 8;
const dirs: string[] = [];
const stores: StoreProcess[] = [];
const clients: MongoClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close(true).catch(() => undefined);
  for (const store of stores.splice(0)) await store.kill9();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-durability-'));
  dirs.push(dir);
  return dir;
}

async function start(dbpath: string): Promise<{ store: StoreProcess; items: Collection<Item> }> {
  // Compacting every few hundred records puts several compactions inside each stream.
  const store = await spawnStore({ dbpath, args: ['--compactAfterRecords', '150'] });
  stores.push(store);
  const client = new MongoClient(store.uri, { serverSelectionTimeoutMS: 5_000 });
  clients.push(client);
  await client.connect();
  return { store, items: client.db('durability').collection<Item>('items') };
}

/** What the client knows: acknowledged states, and the one write per writer in doubt. */
class Model {
  readonly acked = new Map<number, State>();
  readonly inDoubt = new Map<number, [State, State]>();
  /** Answers that are wrong whatever happened to the process. */
  readonly violations: string[] = [];
  /** Existing documents per writer (a writer owns the ids congruent to it). */
  readonly live = Array.from({ length: WRITERS }, () => new Set<number>());
  acknowledged = 0;
  private sequence = 0;

  newId(writer: number): number {
    return WRITERS * this.sequence++ + writer;
  }

  settle(id: number, state: State): void {
    this.acked.set(id, state);
    if (state === undefined) this.live[id % WRITERS]!.delete(id);
    else this.live[id % WRITERS]!.add(id);
  }
}

/**
 * One writer per id residue, each with one write in flight, so every document has a clear
 * order of acknowledged states. Stops at the first error (the kill).
 */
async function writer(
  items: Collection<Item>,
  model: Model,
  writer: number,
  random: () => number,
  stop: () => boolean,
): Promise<void> {
  while (!stop()) {
    const j = random() < 0.25;
    const options = j ? { writeConcern: { j: true } } : {};
    const roll = random();
    const live = [...model.live[writer]!];
    const payload = 'p'.repeat(20 + Math.floor(random() * 400));
    let id: number;
    let before: State;
    let after: State;
    let run: () => Promise<unknown>;
    if (roll < 0.5 || live.length === 0) {
      id = model.newId(writer);
      const doc: Item = { _id: id, key: `key-${id}`, group: id % 7, n: 0, payload, tags: ['a'] };
      [before, after] = [undefined, doc];
      run = () => items.insertOne(doc, options);
    } else if (roll < 0.85) {
      id = live[Math.floor(random() * live.length)]!;
      before = model.acked.get(id);
      after = { ...before!, n: before!.n + 1, payload, tags: [...before!.tags, 'u'] };
      run = () =>
        items.updateOne(
          { _id: id },
          { $inc: { n: 1 }, $set: { payload, tags: after!.tags } },
          options,
        );
    } else if (roll < 0.95) {
      id = live[Math.floor(random() * live.length)]!;
      [before, after] = [model.acked.get(id), undefined];
      run = () => items.deleteOne({ _id: id }, options);
    } else {
      // A duplicate key is refused and must leave no trace, before or after a restart.
      const taken = model.acked.get(live[0]!)!;
      id = model.newId(writer);
      [before, after] = [undefined, undefined];
      run = async () => {
        const error = await items.insertOne({ ...taken, _id: id }, options).then(
          () => null,
          (e: unknown) => e,
        );
        if (error === null) model.violations.push(`duplicate key ${taken.key} accepted`);
        else if (!(error instanceof MongoServerError)) throw error;
        else if (error.code !== 11000) model.violations.push(`duplicate: code ${error.code}`);
      };
    }
    model.inDoubt.set(id, [before, after]);
    try {
      await run();
    } catch (error) {
      // A refusal is a wrong answer; a lost connection is the kill, leaving this in doubt.
      if (error instanceof MongoServerError) model.violations.push(`${id}: ${error.message}`);
      return;
    }
    model.inDoubt.delete(id);
    model.settle(id, after);
    model.acknowledged += 1;
  }
}

function stream(items: Collection<Item>, model: Model, seed: number, ms: number): Promise<void>[] {
  const random = prng(seed);
  const deadline = Date.now() + ms;
  return Array.from({ length: WRITERS }, (_, w) =>
    writer(items, model, w, prng(Math.floor(random() * 2 ** 31)), () => Date.now() > deadline),
  );
}

async function verify(items: Collection<Item>, model: Model): Promise<void> {
  const found = new Map((await items.find({}).toArray()).map((doc) => [doc._id, doc]));
  const ids = new Set([...model.acked.keys(), ...model.inDoubt.keys(), ...found.keys()]);
  for (const id of ids) {
    const actual = found.get(id);
    const doubt = model.inDoubt.get(id);
    if (doubt) {
      expect([doubt[0], doubt[1]], `document ${id} in doubt`).toContainEqual(actual);
    } else {
      expect(actual, `document ${id}`).toEqual(model.acked.get(id));
    }
  }
  // Counts agree with each other and with every index.
  expect(await items.countDocuments()).toBe(found.size);
  expect(await items.estimatedDocumentCount()).toBe(found.size);
  const byKey = await items.find({ key: { $in: [...found.values()].map((d) => d.key) } }).toArray();
  expect(byKey.length).toBe(found.size);
  let perGroup = 0;
  for (let g = 0; g < 7; g++) perGroup += await items.countDocuments({ group: g });
  expect(perGroup).toBe(found.size);
  const indexes = await items.listIndexes().toArray();
  expect(indexes.find((i) => i.name === 'key_1')).toMatchObject({ key: { key: 1 }, unique: true });
  const any = found.values().next().value;
  if (any) {
    await expect(items.insertOne({ ...any, _id: -1 })).rejects.toMatchObject({ code: 11000 });
  }
}

describe('durability across kill -9', () => {
  it('keeps every acknowledged write through repeated kill -9 and restart', async () => {
    const dbpath = tempDir();
    const model = new Model();
    let { store, items } = await start(dbpath);
    await items.createIndex({ key: 1 }, { unique: true });
    await items.createIndex({ group: 1 });

    for (let round = 0; round < 3; round++) {
      const writers = stream(items, model, 1000 + round, 60_000);
      // Kill once enough writes went through (compactions included), whatever the load.
      const target = model.acknowledged + 300 + round * 100;
      const started = Date.now();
      while (model.acknowledged < target && Date.now() - started < 20_000) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await store.kill9();
      await Promise.all(writers);
      ({ store, items } = await start(dbpath));
      await verify(items, model);
      // What was in doubt is now settled one way or the other.
      for (const [id] of model.inDoubt) {
        const doc = (await items.findOne({ _id: id })) ?? undefined;
        model.settle(id, doc);
      }
      model.inDoubt.clear();
    }
    expect(model.acknowledged).toBeGreaterThan(900);
    expect(model.violations).toEqual([]);
    expect(readdirSync(dbpath).some((name) => name.startsWith('snapshot.'))).toBe(true);

    // A clean stop flushes too.
    const writers = stream(items, model, 77, 500);
    await Promise.all(writers);
    expect((await store.stop()).code).toBe(0);
    const restarted = await start(dbpath);
    await verify(restarted.items, model);
  }, 120_000);

  it('refuses a second process on the same dbpath while the first runs', async () => {
    const dbpath = tempDir();
    const { store, items } = await start(dbpath);
    await items.insertOne({ _id: 1, key: 'one', group: 1, n: 0, payload: '', tags: [] });

    const second = await spawnCli(['--port', '0', '--dbpath', dbpath]).then(
      () => null,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(second?.code).toBe(100);
    expect(second?.stderr).toContain(`in use by process ${store.pid}`);

    expect(store.alive()).toBe(true);
    expect(await items.countDocuments()).toBe(1);
    expect(readdirSync(dbpath)).toContain('mongod.lock');
  });

  it('reports a taken port and exits non-zero', async () => {
    const { store } = await start(tempDir());
    const error = await spawnCli(['--port', String(store.port)]).then(
      () => null,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(error?.code).toBe(48);
    expect(error?.stderr).toMatch(/port \d+ on 127\.0\.0\.1 is already in use/);
  });
});
