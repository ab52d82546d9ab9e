import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;
let n = 0;
const fresh = (): Collection<LooseDoc> => h.db.collection<LooseDoc>(`idx_${++n}`);

beforeAll(async () => {
  h = await openHarness('indexes');
});
afterAll(async () => {
  await h.close();
});

describe('createIndexes, listIndexes, dropIndexes', () => {
  it('reports index counts and whether the collection was created', async () => {
    const c = fresh();
    const res = await h.db.command({
      createIndexes: c.collectionName,
      indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }],
    });
    expect(res).toMatchObject({
      numIndexesBefore: 1,
      numIndexesAfter: 2,
      createdCollectionAutomatically: true,
      ok: 1,
    });
    const again = await h.db.command({
      createIndexes: c.collectionName,
      indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }],
    });
    expect(again).toMatchObject({ numIndexesBefore: 2, numIndexesAfter: 2, ok: 1 });
    const list = await c.listIndexes().toArray();
    expect(list).toEqual([
      expect.objectContaining({ v: 2, key: { _id: 1 }, name: '_id_' }),
      expect.objectContaining({ v: 2, key: { email: 1 }, name: 'email_1', unique: true }),
    ]);
  });

  it('refuses conflicting definitions with codes 85 and 86', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 }, { name: 'a_idx' });
    expect((await serverError(c.createIndex({ b: 1 }, { name: 'a_idx' }))).code).toBe(86);
    expect((await serverError(c.createIndex({ a: 1 }, { name: 'a_idx', unique: true }))).code).toBe(
      85,
    );
    expect((await serverError(c.createIndex({ a: 1 }, { name: 'other' }))).code).toBe(85);
  });

  it('drops indexes by name, key and wildcard', async () => {
    const c = fresh();
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: -1 } }, { key: { c: 1, d: 1 } }]);
    await c.dropIndex('a_1');
    await h.db.command({ dropIndexes: c.collectionName, index: { b: -1 } });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'c_1_d_1']);
    expect((await serverError(c.dropIndex('nope'))).code).toBe(27);
    expect((await serverError(c.dropIndex('_id_'))).code).toBe(72);
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    const missing = await serverError(
      h.db.collection<LooseDoc>('never_created').listIndexes().toArray(),
    );
    expect(missing.code).toBe(26);
  });
});

describe('unique indexes', () => {
  it('reports E11000 with keyPattern and keyValue and leaves the data untouched', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ _id: 1, email: 'x@y.z' });
    const err = await serverError(c.insertOne({ _id: 2, email: 'x@y.z' }));
    expect(err.code).toBe(11000);
    expect(err.message).toContain('E11000 duplicate key error collection: ');
    expect(err.message).toContain('index: email_1 dup key: { email: "x@y.z" }');
    expect(err.errorResponse).toMatchObject({
      keyPattern: { email: 1 },
      keyValue: { email: 'x@y.z' },
    });
    const upd = await serverError(
      c
        .insertOne({ _id: 3, email: 'other' })
        .then(() => c.updateOne({ _id: 3 }, { $set: { email: 'x@y.z' } })),
    );
    expect(upd.code).toBe(11000);
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, email: 'x@y.z' },
      { _id: 3, email: 'other' },
    ]);
    expect(await c.countDocuments({ email: 'other' })).toBe(1);
    const dupId = await serverError(c.insertOne({ _id: 1, email: 'fresh' }));
    expect(dupId.code).toBe(11000);
    expect(await c.countDocuments({ email: 'fresh' })).toBe(0);
  });

  it('stops ordered batches at the first duplicate and continues unordered ones', async () => {
    const c = fresh();
    await c.createIndex({ k: 1 }, { unique: true });
    const docs = [{ k: 1 }, { k: 2 }, { k: 1 }, { k: 3 }, { k: 2 }, { k: 4 }];
    const ordered = await c
      .insertMany(
        docs.map((d) => ({ ...d })),
        { ordered: true },
      )
      .catch((e: unknown) => e);
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect((ordered as MongoBulkWriteError).result.insertedCount).toBe(2);
    expect((ordered as MongoBulkWriteError).writeErrors).toHaveLength(1);
    expect(await c.countDocuments()).toBe(2);
    await c.deleteMany({});
    const unordered = await c
      .insertMany(
        docs.map((d) => ({ ...d })),
        { ordered: false },
      )
      .catch((e: unknown) => e);
    const bulk = unordered as MongoBulkWriteError;
    expect(bulk.result.insertedCount).toBe(4);
    const errors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(errors.map((e) => e.index)).toEqual([2, 4]);
    expect(errors.every((e) => e.code === 11000)).toBe(true);
    expect((await c.distinct('k')).sort()).toEqual([1, 2, 3, 4]);
  });

  it('enforces compound unique keys', async () => {
    const c = fresh();
    await c.createIndex({ eventId: 1, userId: 1 }, { unique: true });
    await c.insertMany([
      { eventId: 1, userId: 1 },
      { eventId: 1, userId: 2 },
      { eventId: 2, userId: 1 },
    ]);
    const err = await serverError(c.insertOne({ eventId: 1, userId: 2 }));
    expect(err.errorResponse).toMatchObject({
      keyPattern: { eventId: 1, userId: 1 },
      keyValue: { eventId: 1, userId: 2 },
    });
  });

  it('treats missing fields as null unless the index is sparse', async () => {
    const plain = fresh();
    await plain.createIndex({ code: 1 }, { unique: true });
    await plain.insertOne({ a: 1 });
    expect((await serverError(plain.insertOne({ a: 2 }))).code).toBe(11000);
    const sparse = fresh();
    await sparse.createIndex({ code: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ a: 1 }, { a: 2 }, { code: 'x' }]);
    expect((await serverError(sparse.insertOne({ code: 'x' }))).code).toBe(11000);
    expect(await sparse.countDocuments({ code: null })).toBe(2);
  });

  it('applies partial unique indexes only to matching documents', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { email: 'a', active: false },
      { email: 'a', active: false },
      { email: 'a', active: true },
    ]);
    expect((await serverError(c.insertOne({ email: 'a', active: true }))).code).toBe(11000);
    expect(await c.countDocuments({ email: 'a' })).toBe(3);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const c = fresh();
    await c.insertMany([{ v: 1 }, { v: 1 }]);
    const err = await serverError(c.createIndex({ v: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('enforces unique multikey entries across documents', async () => {
    const c = fresh();
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['a', 'b', 'a'] });
    expect((await serverError(c.insertOne({ tags: ['c', 'b'] }))).code).toBe(11000);
    await c.insertOne({ tags: ['c'] });
    expect(await c.countDocuments({ tags: 'c' })).toBe(1);
  });
});

describe('index use', () => {
  it('keeps every index right through updates that move their keys or leave them be', async () => {
    const c = fresh();
    await c.createIndex({ owner: 1, other: 1 }, { unique: true });
    await c.createIndex({ owner: 1, at: -1 });
    await c.createIndex({ tags: 1 });
    await c.insertMany(
      Array.from({ length: 40 }, (_, i) => ({
        _id: i,
        owner: i % 4,
        other: i,
        at: new Date(i * 1000),
        tags: [`t${i % 3}`],
        n: 0,
      })),
    );
    // Keys untouched: a counter and a field no index holds.
    await c.updateMany({}, { $inc: { n: 1 }, $set: { note: 'x' } });
    // Keys moved: a date in one index, an array in another (multikey).
    await c.updateOne({ _id: 5 }, { $set: { at: new Date(99_000) }, $addToSet: { tags: 'hot' } });
    // Same values written again: nothing moves.
    await c.updateOne({ _id: 6 }, { $set: { owner: 2, other: 6 } });
    const err = await serverError(c.updateOne({ _id: 9 }, { $set: { owner: 1, other: 5 } }));
    expect(err.code).toBe(11000);
    expect(await c.findOne({ _id: 9 })).toMatchObject({ owner: 1, other: 9, n: 1 });

    const latestOfOwner1 = await c.find({ owner: 1 }).sort({ at: -1 }).limit(2).toArray();
    expect(latestOfOwner1.map((doc) => doc._id)).toEqual([5, 37]);
    expect(await c.countDocuments({ owner: 1, at: { $gte: new Date(37_000) } })).toBe(2);
    expect((await c.find({ tags: 'hot' }).toArray()).map((doc) => doc._id)).toEqual([5]);
    expect(await c.countDocuments({ tags: 't2' })).toBe(13);
    expect(await c.findOne({ owner: 2, other: 6 })).toMatchObject({ _id: 6, n: 1, note: 'x' });
    expect(await c.countDocuments({ n: 1 })).toBe(40);
    if (!h.isEmbedded) return;
    await c.findOne({ tags: 'hot' });
    expect(h.embedded?.engine.lastQuery).toMatchObject({ stage: 'IXSCAN', indexName: 'tags_1' });
  });

  it('answers equality, $in and range lookups from the index', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.createIndex({ score: 1 });
    await c.insertMany(
      Array.from({ length: 500 }, (_, i) => ({ _id: i, email: `u${i}@x.io`, score: i % 100 })),
    );
    const explain = async (filter: Document): Promise<Document> =>
      (
        await h.db.command({
          explain: { find: c.collectionName, filter },
          verbosity: 'executionStats',
        })
      ).executionStats as Document;
    expect((await explain({ email: 'u42@x.io' })).totalDocsExamined).toBe(1);
    expect((await explain({ email: { $in: ['u1@x.io', 'u2@x.io'] } })).totalDocsExamined).toBe(2);
    expect((await explain({ _id: 17 })).totalDocsExamined).toBe(1);
    const range = await explain({ score: { $gte: 10, $lt: 12 } });
    expect(range.nReturned).toBe(10);
    expect(range.totalDocsExamined).toBe(10);
    expect((await explain({ _id: { $gt: 490 } })).totalDocsExamined).toBe(9);
    // The `count` command itself (what the deprecated `cursor.count()` sends).
    const counted = await c.db.command({ count: c.collectionName, query: { score: { $gte: 98 } } });
    expect(counted.n).toBe(10);
    if (!h.isEmbedded) return;
    await c.findOne({ email: 'u7@x.io' });
    expect(h.embedded?.engine.lastQuery).toMatchObject({
      stage: 'IXSCAN',
      indexName: 'email_1',
      docsExamined: 1,
    });
    await c.findOne({ name: 'nobody' });
    expect(h.embedded?.engine.lastQuery).toMatchObject({ stage: 'COLLSCAN', docsExamined: 500 });
  });

  it('uses the leading field of a compound index', async () => {
    const c = fresh();
    await c.createIndex({ eventId: 1, at: -1 });
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ eventId: i % 30, at: i })));
    const res = await h.db.command({
      explain: { find: c.collectionName, filter: { eventId: 3 } },
      verbosity: 'executionStats',
    });
    expect(res.executionStats.nReturned).toBe(10);
    expect(res.executionStats.totalDocsExamined).toBe(10);
  });
});

describe('compound and $or plans', () => {
  const explain = async (coll: string, filter: Document): Promise<Document> =>
    (await h.db.command({ explain: { find: coll, filter }, verbosity: 'executionStats' }))
      .executionStats as Document;

  it('uses every equality field of a compound index, then a range on the next one', async () => {
    const c = fresh();
    await c.createIndex({ eventId: 1, userId: 1 }, { unique: true });
    await c.createIndex({ eventId: 1, at: 1 });
    const docs = [];
    for (let e = 0; e < 5; e++)
      for (let u = 0; u < 100; u++) docs.push({ eventId: e, userId: u, at: u });
    await c.insertMany(docs);
    const one = await explain(c.collectionName, { eventId: 3, userId: 42 });
    expect(one).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
    const two = await explain(c.collectionName, { eventId: 3, userId: { $in: [1, 2, 500] } });
    expect(two).toMatchObject({ nReturned: 2, totalDocsExamined: 2 });
    const range = await explain(c.collectionName, { eventId: 2, at: { $gte: 10, $lt: 15 } });
    expect(range).toMatchObject({ nReturned: 5, totalDocsExamined: 5 });
    expect(
      await c.countDocuments({ eventId: 2, at: { $gte: 10, $lt: 15 }, userId: { $ne: 11 } }),
    ).toBe(4);
  });

  it('answers $or from the union of indexed branches', async () => {
    const c = fresh();
    await c.createIndex({ eventId: 1, userId: 1 }, { unique: true });
    const docs = [];
    for (let e = 0; e < 4; e++) for (let u = 0; u < 50; u++) docs.push({ eventId: e, userId: u });
    await c.insertMany(docs);
    const filter = {
      $or: [
        { eventId: 1, userId: 7 },
        { eventId: 1, userId: 9 },
        { eventId: 1, userId: 7 },
      ],
    };
    const stats = await explain(c.collectionName, filter);
    expect(stats.nReturned).toBe(2);
    expect(stats.totalDocsExamined).toBe(2);
    expect((await c.find(filter).toArray()).map((d) => d.userId).sort()).toEqual([7, 9]);
    const mixed = await explain(c.collectionName, {
      $or: [{ eventId: 1, userId: 7 }, { other: 1 }],
    });
    expect(mixed.nReturned).toBe(1);
  });
});

describe('TTL indexes', () => {
  it('removes documents whose date is older than expireAfterSeconds', async () => {
    const c = fresh();
    await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await c.insertMany([
      { _id: 'old', expiresAt: new Date(Date.now() - 60_000) },
      { _id: 'future', expiresAt: new Date(Date.now() + 3_600_000) },
      { _id: 'nodate', expiresAt: 'not a date' },
    ]);
    expect((await c.listIndexes().toArray())[1]).toMatchObject({ expireAfterSeconds: 0 });
    // Real MongoDB sweeps every 60 s; the embedded store is swept on demand here.
    if (!h.isEmbedded) return;
    expect(await h.embedded?.sweepExpired()).toBe(1);
    expect((await c.find({}).toArray()).map((d) => d._id).sort()).toEqual(['future', 'nodate']);
  });
});
