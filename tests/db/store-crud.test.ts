import { MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, type StoreHarness } from './store-harness';

let h: StoreHarness;
let n = 0;
const fresh = (): Collection<LooseDoc> => h.db.collection<LooseDoc>(`crud_${++n}`);

beforeAll(async () => {
  h = await openHarness('crud');
});
afterAll(async () => {
  await h.close();
});

async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected a server error');
}

describe('insert and find', () => {
  it('inserts documents, generating ObjectIds and keeping _id first', async () => {
    const c = fresh();
    const one = await c.insertOne({ name: 'Ada', _id: 7 });
    expect(one.insertedId).toBe(7);
    await c.insertOne({ name: 'Bob' });
    const docs = await c.find({}).toArray();
    expect(docs).toHaveLength(2);
    expect(Object.keys(docs[0] as Document)[0]).toBe('_id');
    expect(docs[1]?._id).toBeInstanceOf(ObjectId);
  });

  it('refuses $-prefixed top-level field names', async () => {
    const c = fresh();
    const res = await h.db.command({ insert: c.collectionName, documents: [{ $bad: 1 }] });
    expect(res.n).toBe(0);
    expect(res.writeErrors?.[0]?.code).toBe(2);
    expect(await c.countDocuments()).toBe(0);
  });

  it('filters, sorts, projects, skips and limits', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, name: 'a', score: 5, tags: ['x'], nested: { k: 1, j: 2 } },
      { _id: 2, name: 'b', score: 9, tags: ['x', 'y'], nested: { k: 2, j: 3 } },
      { _id: 3, name: 'c', score: 1, tags: [], nested: { k: 3, j: 4 } },
      { _id: 4, name: 'd', score: 7, nested: { k: 4, j: 5 } },
    ]);
    expect(
      await c
        .find({ score: { $gt: 4 } })
        .sort({ score: -1 })
        .toArray(),
    ).toEqual([
      expect.objectContaining({ _id: 2 }),
      expect.objectContaining({ _id: 4 }),
      expect.objectContaining({ _id: 1 }),
    ]);
    expect(
      await c
        .find({ tags: 'x' }, { projection: { name: 1 } })
        .sort({ _id: 1 })
        .toArray(),
    ).toEqual([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ]);
    expect(
      await c
        .find({}, { projection: { _id: 0, 'nested.k': 1 } })
        .sort({ _id: 1 })
        .limit(2)
        .toArray(),
    ).toEqual([{ nested: { k: 1 } }, { nested: { k: 2 } }]);
    expect(
      await c
        .find({}, { projection: { nested: 0, tags: 0 } })
        .sort({ score: 1 })
        .skip(1)
        .limit(2)
        .toArray(),
    ).toEqual([
      { _id: 1, name: 'a', score: 5 },
      { _id: 4, name: 'd', score: 7 },
    ]);
    expect(
      await c
        .find({ $or: [{ name: 'a' }, { score: { $lt: 2 } }] })
        .sort({ _id: 1 })
        .map((d) => d._id)
        .toArray(),
    ).toEqual([1, 3]);
    expect(await c.findOne({ 'nested.j': 5 })).toMatchObject({ _id: 4 });
    expect(
      await c
        .find({ tags: { $size: 0 } })
        .map((d) => d._id)
        .toArray(),
    ).toEqual([3]);
  });

  it('sorts across types in MongoDB order (null and missing first)', async () => {
    const c = fresh();
    const oid = new ObjectId();
    await c.insertMany([
      { _id: 1, v: 'str' },
      { _id: 2, v: 10 },
      { _id: 3 },
      { _id: 4, v: null },
      { _id: 5, v: true },
      { _id: 6, v: new Date(0) },
      { _id: 7, v: oid },
      { _id: 8, v: { a: 1 } },
      { _id: 9, v: 2.5 },
    ]);
    const ids = await c
      .find({})
      .sort({ v: 1, _id: 1 })
      .map((d) => d._id)
      .toArray();
    expect(ids).toEqual([3, 4, 9, 2, 1, 8, 7, 5, 6]);
  });

  it('matches $type by BSON type', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, v: new ObjectId() },
      { _id: 2, v: 'text' },
      { _id: 3, v: [new ObjectId(), 'x'] },
      { _id: 4, v: null },
      { _id: 5, v: new Date() },
      { _id: 6 },
    ]);
    const ids = async (type: string | string[]): Promise<unknown[]> =>
      (await c.find({ v: { $type: type } }).toArray()).map((d) => d._id).sort();
    expect(await ids('objectId')).toEqual([1, 3]);
    expect(await ids('string')).toEqual([2, 3]);
    expect(await ids('array')).toEqual([3]);
    expect(await ids('null')).toEqual([4]);
    expect(await ids(['date', 'null'])).toEqual([4, 5]);
  });

  it('counts with countDocuments, estimatedDocumentCount and count', async () => {
    const c = fresh();
    await c.insertMany(Array.from({ length: 25 }, (_, i) => ({ i })));
    expect(await c.countDocuments()).toBe(25);
    expect(await c.countDocuments({ i: { $gte: 20 } })).toBe(5);
    expect(await c.countDocuments({ i: { $gte: 5 } }, { skip: 5, limit: 10 })).toBe(10);
    expect(await c.countDocuments({ i: 1000 })).toBe(0);
    expect(await c.estimatedDocumentCount()).toBe(25);
    expect(await h.db.command({ count: c.collectionName, query: { i: { $lt: 3 } } })).toMatchObject(
      { n: 3, ok: 1 },
    );
    expect(await h.db.command({ count: 'no_such_collection' })).toMatchObject({ n: 0, ok: 1 });
  });

  it('returns distinct values, unwinding arrays', async () => {
    const c = fresh();
    await c.insertMany([{ t: ['a', 'b'], k: 1 }, { t: 'b', k: 2 }, { t: ['c'], k: 2 }, { k: 3 }]);
    expect((await c.distinct('t')).sort()).toEqual(['a', 'b', 'c']);
    expect((await c.distinct('t', { k: 2 })).sort()).toEqual(['b', 'c']);
    expect((await c.distinct('k')).sort()).toEqual([1, 2, 3]);
  });
});

describe('update', () => {
  it('updates one or many and reports matched/modified', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, g: 'a', n: 1 },
      { _id: 2, g: 'a', n: 2 },
      { _id: 3, g: 'b', n: 3 },
    ]);
    const one = await c.updateOne({ g: 'a' }, { $inc: { n: 10 } });
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const many = await c.updateMany({ g: 'a' }, { $set: { flag: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const same = await c.updateMany({ g: 'a' }, { $set: { flag: true } });
    expect(same).toMatchObject({ matchedCount: 2, modifiedCount: 0 });
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, g: 'a', n: 11, flag: true },
      { _id: 2, g: 'a', n: 2, flag: true },
      { _id: 3, g: 'b', n: 3 },
    ]);
  });

  it('upserts from the filter equality fields with $setOnInsert', async () => {
    const c = fresh();
    const res = await c.updateOne(
      { email: 'a@x.io', kind: { $in: ['x', 'y'] }, 'profile.city': 'Lyon' },
      { $set: { name: 'Ann' }, $setOnInsert: { createdAt: new Date(5) }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    const doc = await c.findOne({ _id: res.upsertedId ?? undefined });
    expect(doc).toEqual({
      _id: res.upsertedId,
      email: 'a@x.io',
      profile: { city: 'Lyon' },
      name: 'Ann',
      createdAt: new Date(5),
      visits: 1,
    });
    const again = await c.updateOne(
      { email: 'a@x.io' },
      { $set: { name: 'Anne' }, $setOnInsert: { createdAt: new Date(9) } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ email: 'a@x.io' })).toMatchObject({
      name: 'Anne',
      createdAt: new Date(5),
    });
  });

  it('upserts with the _id from the filter, and via replaceOne', async () => {
    const c = fresh();
    await c.updateOne({ _id: 'fixed' }, { $set: { v: 1 } }, { upsert: true });
    expect(await c.findOne({ _id: 'fixed' })).toEqual({ _id: 'fixed', v: 1 });
    const res = await c.replaceOne({ _id: 'other', ignored: 1 }, { w: 2 }, { upsert: true });
    expect(res.upsertedId).toBe('other');
    expect(await c.findOne({ _id: 'other' })).toEqual({ _id: 'other', w: 2 });
  });

  it('replaces documents but keeps _id immutable (code 66)', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 1, b: 2 });
    await c.replaceOne({ _id: 1 }, { c: 3 });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
    const err = await serverError(c.updateOne({ _id: 1 }, { $set: { _id: 2 } }));
    expect(err.code).toBe(66);
    const err2 = await serverError(c.replaceOne({ _id: 1 }, { _id: 5, c: 4 }));
    expect(err2.code).toBe(66);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
  });

  it('applies arrayFilters, positional $ and $[]', async () => {
    const c = fresh();
    await c.insertOne({
      _id: 1,
      grades: [
        { g: 80, n: 0 },
        { g: 95, n: 0 },
        { g: 100, n: 0 },
      ],
      xs: [1, 2, 3],
    });
    await c.updateOne(
      { _id: 1 },
      { $set: { 'grades.$[hi].n': 1 } },
      { arrayFilters: [{ 'hi.g': { $gte: 95 } }] },
    );
    await c.updateOne({ _id: 1, xs: 2 }, { $set: { 'xs.$': 20 } });
    await c.updateOne({ _id: 1 }, { $inc: { 'grades.$[].g': 1 } });
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      grades: [
        { g: 81, n: 0 },
        { g: 96, n: 1 },
        { g: 101, n: 1 },
      ],
      xs: [1, 20, 3],
    });
  });

  it('runs pipeline updates', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, a: 2, b: 3 },
      { _id: 2, a: 5, b: 5 },
    ]);
    const res = await c.updateMany({}, [
      { $set: { sum: { $add: ['$a', '$b'] } } },
      { $unset: 'b' },
    ]);
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, a: 2, sum: 5 },
      { _id: 2, a: 5, sum: 10 },
    ]);
  });

  it('supports the common update operators', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, n: 5, tags: ['a'], old: 1, gone: 1, lo: 5, hi: 5 });
    await c.updateOne(
      { _id: 1 },
      {
        $mul: { n: 2 },
        $addToSet: { tags: { $each: ['a', 'b'] } },
        $rename: { old: 'renamed' },
        $unset: { gone: '' },
        $min: { lo: 1 },
        $max: { hi: 9 },
        $currentDate: { at: true },
      },
    );
    const plain = h.db.collection<{ _id: number; n: number; tags: string[] }>(c.collectionName);
    await plain.updateOne({ _id: 1 }, { $push: { tags: { $each: ['c'], $position: 0 } } });
    await plain.updateOne({ _id: 1 }, { $pull: { tags: 'a' } });
    const doc = await c.findOne({ _id: 1 });
    expect(doc).toMatchObject({ n: 10, tags: ['c', 'b'], renamed: 1, lo: 1, hi: 9 });
    expect(doc).not.toHaveProperty('gone');
    expect(doc?.at).toBeInstanceOf(Date);
  });

  it('refuses unknown and conflicting update operators', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 1 });
    const unknown = await h.db.command({
      update: c.collectionName,
      updates: [{ q: { _id: 1 }, u: { $bogus: { a: 1 } } }],
    });
    expect(unknown.writeErrors?.[0]?.code).toBe(9);
    const conflict = await serverError(c.updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } }));
    expect(conflict.code).toBe(40);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
  });
});

describe('delete', () => {
  it('deletes one or many', async () => {
    const c = fresh();
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await c.deleteMany({ k: 99 })).deletedCount).toBe(0);
    expect(await c.countDocuments()).toBe(1);
  });
});

describe('findAndModify', () => {
  it('returns the document before or after, with sort and projection', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, q: 'a', n: 1 },
      { _id: 2, q: 'a', n: 2 },
    ]);
    const before = await c.findOneAndUpdate({ q: 'a' }, { $inc: { n: 10 } }, { sort: { n: -1 } });
    expect(before).toEqual({ _id: 2, q: 'a', n: 2 });
    const after = await c.findOneAndUpdate(
      { q: 'a' },
      { $inc: { n: 100 } },
      { sort: { n: 1 }, returnDocument: 'after', projection: { n: 1, _id: 0 } },
    );
    expect(after).toEqual({ n: 101 });
    expect(await c.findOneAndUpdate({ q: 'zzz' }, { $set: { n: 0 } })).toBeNull();
  });

  it('upserts and reports lastErrorObject', async () => {
    const c = fresh();
    const res = await c.findOneAndUpdate(
      { key: 'k1' },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(res.ok).toBe(1);
    expect(res.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(res.lastErrorObject?.upserted).toBeInstanceOf(ObjectId);
    expect(res.value).toMatchObject({ key: 'k1', v: 1, created: true });
    const res2 = await c.findOneAndUpdate(
      { key: 'k1' },
      { $set: { v: 2 } },
      { upsert: true, includeResultMetadata: true },
    );
    expect(res2.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(res2.value).toMatchObject({ v: 1 });
  });

  it('replaces and removes', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, a: 1 },
      { _id: 2, a: 2 },
    ]);
    expect(await c.findOneAndReplace({ _id: 1 }, { b: 1 }, { returnDocument: 'after' })).toEqual({
      _id: 1,
      b: 1,
    });
    expect(await c.findOneAndDelete({ a: 2 })).toEqual({ _id: 2, a: 2 });
    expect(await c.findOneAndDelete({ a: 2 })).toBeNull();
    expect(await c.countDocuments()).toBe(1);
    const both = await h.db
      .command({
        findAndModify: c.collectionName,
        query: {},
        remove: true,
        update: { $set: { x: 1 } },
      })
      .catch((e: unknown) => e);
    expect(both).toBeInstanceOf(MongoServerError);
  });
});
