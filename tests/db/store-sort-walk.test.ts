/**
 * Sorted queries served by walking an index in sort order: the results must be exactly what
 * a full scan and an in-memory sort give (a second collection without indexes is the
 * reference, so the comparison also holds on real MongoDB), and the walk must stop early.
 */
import type { Collection, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectionIndex } from '../../server/src/db/store/engine/collection-index';
import { SortedList } from '../../server/src/db/store/engine/sorted-list';
import { compareValues } from '../../server/src/db/store/engine/values';
import { type LooseDoc, openHarness, type StoreHarness } from './store-harness';

let h: StoreHarness;
let indexed: Collection<LooseDoc>;
let reference: Collection<LooseDoc>;

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DOCS = 600;

/** Values of several BSON types, with many ties, nulls and missing fields. */
function makeDocs(): LooseDoc[] {
  const random = rng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: DOCS }, (_, i) => {
    const doc: LooseDoc = { _id: i, b: Math.floor(random() * 6) };
    if (random() < 0.95) doc.g = pick(['x', 'y', 'z']);
    const kind = random();
    if (kind < 0.55) doc.a = Math.floor(random() * 40);
    else if (kind < 0.7) doc.a = pick(['apple', 'banana', 'cherry', 'date']);
    else if (kind < 0.8) doc.a = new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 20)));
    else if (kind < 0.9) doc.a = null;
    if (random() < 0.6) doc.s = pick(['solo', 'duo', 'trio', 'quartet']);
    doc.arr = random() < 0.5 ? [Math.floor(random() * 9), Math.floor(random() * 9)] : [];
    return doc;
  });
}

beforeAll(async () => {
  h = await openHarness('sortwalk');
  indexed = h.db.collection<LooseDoc>('indexed');
  reference = h.db.collection<LooseDoc>('reference');
  const docs = makeDocs();
  await indexed.insertMany(docs.map((d) => ({ ...d })));
  await reference.insertMany(docs.map((d) => ({ ...d })));
  await indexed.createIndex({ g: 1, a: 1, _id: 1 });
  await indexed.createIndex({ g: 1, a: -1, b: -1 });
  await indexed.createIndex({ a: 1 });
  await indexed.createIndex({ g: 1, arr: 1 });
  await indexed.createIndex({ s: 1 }, { sparse: true });
});
afterAll(async () => {
  await h.close();
});

interface Shape {
  filter: Document;
  sort: Document;
  limit?: number;
  skip?: number;
}

async function ids(coll: Collection<LooseDoc>, q: Shape): Promise<unknown[]> {
  // skip and limit as find options: the same command the cursor methods would send.
  const cursor = coll.find(q.filter, {
    sort: q.sort,
    ...(q.skip ? { skip: q.skip } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
  });
  return (await cursor.toArray()).map((d) => d._id);
}

/** The winning plan's stages, outermost first. */
async function stages(q: Shape): Promise<string[]> {
  let cursor = indexed.find(q.filter).sort(q.sort);
  if (q.limit) cursor = cursor.limit(q.limit);
  const explained = await cursor.explain('executionStats');
  const out: string[] = [];
  let node = (explained.queryPlanner as Document).winningPlan as Document | undefined;
  while (node) {
    out.push(String(node.stage));
    node = node.inputStage as Document | undefined;
  }
  return out;
}

const FILTERS: Document[] = [
  {},
  { g: 'x' },
  { g: 'y', b: { $gt: 2 } },
  { g: 'x', a: { $gte: 12 } },
  { g: 'x', a: { $lt: 20 } },
  { g: 'z', a: { $gt: 3, $lte: 30 } },
  { g: 'x', a: { $gte: 'b' } },
  { g: 'y', a: { $lt: new Date(Date.UTC(2026, 0, 10)) } },
  { g: { $in: ['x', 'y'] } },
  { g: 'x', s: { $regex: 'o' } },
  { g: 'z', a: null },
  { a: { $gte: 5, $lt: 25 } },
  { g: 'y', arr: 3 },
  { s: { $exists: false } },
  // A keyset page after (a: 15, _id: 300) in descending order, with the redundant bound.
  { g: 'x', a: { $lte: 15 }, $or: [{ a: { $lt: 15 } }, { a: 15, _id: { $lt: 300 } }] },
];

/** Total orders (ending with `_id`), so every correct plan returns one sequence. */
const SORTS: Document[] = [
  { a: 1, _id: 1 },
  { a: -1, _id: -1 },
  { g: 1, a: 1, _id: 1 },
  { a: -1, b: -1, _id: -1 },
  { a: 1, _id: -1 },
  { arr: 1, _id: 1 },
  { arr: -1, _id: 1 },
  { s: 1, _id: 1 },
  { _id: -1 },
];

describe('sorted queries walked along an index', () => {
  it('return exactly what a full scan and an in-memory sort return', async () => {
    let compared = 0;
    for (const filter of FILTERS) {
      for (const sort of SORTS) {
        for (const [limit, skip] of [
          [0, 0],
          [1, 0],
          [7, 0],
          [7, 5],
        ] as const) {
          const q: Shape = { filter, sort, limit, skip };
          const expected = await ids(reference, q);
          const actual = await ids(indexed, q);
          expect({ q, ids: actual }).toEqual({ q, ids: expected });
          compared++;
        }
      }
    }
    expect(compared).toBe(FILTERS.length * SORTS.length * 4);
  });

  it('walk the index in sort order and stop at the limit, without an in-memory sort', async () => {
    const q: Shape = { filter: { g: 'x' }, sort: { a: -1, _id: -1 }, limit: 5 };
    const expected = await ids(reference, q);
    expect(await ids(indexed, q)).toEqual(expected);
    if (!h.isEmbedded) return;
    expect(h.embedded?.engine.lastQuery).toMatchObject({
      stage: 'IXSCAN',
      indexName: 'g_1_a_1__id_1',
      keysExamined: 5,
      docsExamined: 5,
      nReturned: 5,
    });
    expect(await stages(q)).toEqual(['FETCH', 'IXSCAN']);
  });

  it('start the walk at a range bound on the first sort field', async () => {
    const q: Shape = {
      filter: { g: 'x', a: { $lte: 15 }, $or: [{ a: { $lt: 15 } }, { a: 15, _id: { $lt: 300 } }] },
      sort: { a: -1, _id: -1 },
      limit: 3,
    };
    const expected = await ids(reference, q);
    expect(await ids(indexed, q)).toEqual(expected);
    if (!h.isEmbedded) return;
    const stats = h.embedded?.engine.lastQuery;
    expect(stats).toMatchObject({ indexName: 'g_1_a_1__id_1', nReturned: 3 });
    // Only the keys from the bound on: the ones equal to 15 at or above _id 300 at most.
    expect(stats?.keysExamined).toBeLessThan(10);
  });

  it('leave sort fields bound by the equality out of the walk', async () => {
    const q: Shape = { filter: { g: 'y' }, sort: { g: 1, a: 1, _id: 1 }, limit: 4 };
    const expected = await ids(reference, q);
    expect(await ids(indexed, q)).toEqual(expected);
    if (!h.isEmbedded) return;
    expect(h.embedded?.engine.lastQuery).toMatchObject({ keysExamined: 4, nReturned: 4 });
    expect(await stages(q)).toEqual(['FETCH', 'IXSCAN']);
  });

  it('sort in memory when no index holds the sort in one direction', async () => {
    if (!h.isEmbedded) return;
    for (const q of [
      // Mixed directions over an index kept in one order.
      { filter: { g: 'x' }, sort: { a: 1, _id: -1 }, limit: 5 },
      // An `$in` on the prefix interleaves several runs of the index.
      { filter: { g: { $in: ['x', 'y'] } }, sort: { a: 1, _id: 1 }, limit: 5 },
      // A multikey index holds each document once per element.
      { filter: { g: 'x' }, sort: { arr: 1 }, limit: 5 },
      // A sparse index lacks the documents missing the field.
      { filter: {}, sort: { s: 1 }, limit: 5 },
    ] satisfies Shape[]) {
      const expected = await ids(reference, q);
      expect(await ids(indexed, q)).toEqual(expected);
      expect(h.embedded?.engine.lastQuery?.sortedInMemory).toBe(true);
      expect((await stages(q))[0]).toBe('SORT');
    }
  });

  it('prefer index lookups for each branch of an $or to a walk that only sorts', async () => {
    const q: Shape = {
      filter: {
        $or: [
          { g: 'x', a: 3 },
          { g: 'y', a: 4 },
        ],
      },
      sort: { a: 1, _id: 1 },
      limit: 50,
    };
    const expected = await ids(reference, q);
    expect(await ids(indexed, q)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    if (!h.isEmbedded) return;
    const walkOnly: Shape = { filter: q.filter, sort: { a: 1 }, limit: 50 };
    const keys = async (coll: Collection<LooseDoc>) =>
      (await coll.find(walkOnly.filter).sort(walkOnly.sort).limit(50).toArray()).map((d) => d.a);
    const expectedKeys = await keys(reference);
    expect(await keys(indexed)).toEqual(expectedKeys);
    expect(h.embedded?.engine.lastQuery).toMatchObject({ stage: 'OR', sortedInMemory: true });
  });

  it('keep ties in sort-key order when the sort is not total', async () => {
    const q: Shape = { filter: { g: 'z' }, sort: { a: -1 } };
    const keyOf = (d: Document) => (d.a === undefined ? null : (d.a as unknown));
    const actual = await indexed.find(q.filter).sort(q.sort).toArray();
    const expected = await reference.find(q.filter).sort(q.sort).toArray();
    expect(actual.map(keyOf)).toEqual(expected.map(keyOf));
    expect(new Set(actual.map((d) => d._id))).toEqual(new Set(expected.map((d) => d._id)));
  });

  it('see writes made after the index was built', async () => {
    await indexed.insertOne({ _id: 10_000, g: 'x', a: 99, b: 0, arr: [] });
    await reference.insertOne({ _id: 10_000, g: 'x', a: 99, b: 0, arr: [] });
    await indexed.updateOne({ _id: 3 }, { $set: { a: 98, g: 'x' } });
    await reference.updateOne({ _id: 3 }, { $set: { a: 98, g: 'x' } });
    await indexed.deleteOne({ _id: 10_000 });
    await reference.deleteOne({ _id: 10_000 });
    const q: Shape = { filter: { g: 'x', a: { $lt: 1000 } }, sort: { a: -1, _id: -1 }, limit: 3 };
    const found = await ids(indexed, q);
    expect(found).toEqual(await ids(reference, q));
    expect(found[0]).toBe(3);
  });
});

describe('reverse iteration of the index structures', () => {
  it('SortedList.before yields the reversed prefix up to any target, across chunks', () => {
    const list = new SortedList<number>((a, b) => a - b, 4);
    const values = Array.from({ length: 97 }, (_, i) => (i * 37) % 50);
    for (const v of values) list.insert(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (let target = -2; target <= 52; target++) {
      const expected = sorted.filter((v) => v <= target).reverse();
      expect([...list.before((e) => (e <= target ? -1 : 1))]).toEqual(expected);
    }
    expect([...new SortedList<number>((a, b) => a - b).before(() => -1)]).toEqual([]);
  });

  it('CollectionIndex.scanReverse is scan reversed for every prefix and bound', () => {
    const index = new CollectionIndex({ name: 'g_1_a_1', key: { g: 1, a: 1 } });
    const docs = makeDocs();
    for (const doc of docs) index.add(doc._id as number, index.keysFor(doc));
    const bounds = [undefined, 0, 12, 39, 'b', new Date(Date.UTC(2026, 0, 5))].flatMap((v) =>
      v === undefined ? [undefined] : [true, false].map((inclusive) => ({ value: v, inclusive })),
    );
    let checked = 0;
    for (const prefix of [[], ['x'], ['z'], [null], ['w']]) {
      for (const lower of bounds) {
        for (const upper of bounds) {
          // Bounds of two types match nothing (MongoDB brackets comparisons by type).
          if (lower && upper && typeof lower.value !== typeof upper.value) continue;
          if (lower && upper && compareValues(lower.value, upper.value) > 0) continue;
          const forward = [...index.scan(prefix, lower, upper)].map((e) => e.id);
          const backward = [...index.scanReverse(prefix, lower, upper)].map((e) => e.id);
          expect({ prefix, lower, upper, ids: backward }).toEqual({
            prefix,
            lower,
            upper,
            ids: forward.reverse(),
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
