import { MongoServerError, ObjectId, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;
let n = 0;
const fresh = (): Collection<LooseDoc> => h.db.collection<LooseDoc>(`update_${++n}`);

beforeAll(async () => {
  h = await openHarness('update');
});
afterAll(async () => {
  await h.close();
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

  it('changes only the updated document when others hold equal values', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, tags: ['a', 'b'], title: 'Same' },
      { _id: 2, tags: ['a', 'b'], title: 'Same' },
    ]);
    const typed = h.db.collection<{ _id: number; tags: string[]; title?: string }>(
      c.collectionName,
    );
    await typed.updateOne({ _id: 1 }, { $push: { tags: 'c' }, $set: { title: 'Other' } });
    await typed.updateOne({ _id: 2 }, { $pop: { tags: 1 } });
    await c.aggregate([{ $addFields: { 'tags.0': 'x' } }, { $unwind: '$tags' }]).toArray();
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, tags: ['a', 'b', 'c'], title: 'Other' },
      { _id: 2, tags: ['a'], title: 'Same' },
    ]);
    await c.insertOne({ _id: 3, tags: ['a', 'b'] });
    expect(await c.findOne({ _id: 3 })).toEqual({ _id: 3, tags: ['a', 'b'] });
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

describe('stored document limits', () => {
  it('refuses updates that grow a document past 16 MB or store $-prefixed names', async () => {
    const c = fresh();
    const big = 'x'.repeat(9 * 1024 * 1024);
    await c.insertOne({ _id: 1, a: big });
    const tooLarge = await serverError(c.updateOne({ _id: 1 }, { $set: { b: big } }));
    const dollar = await serverError(
      h.db.collection(c.collectionName).updateOne({}, { $set: { $bad: 1 } }),
    );
    const stored = await c.findOne({ _id: 1 });
    expect(Object.keys(stored ?? {})).toEqual(['_id', 'a']);
    if (!h.isEmbedded) return;
    expect(tooLarge.code).toBe(10334);
    expect(dollar.code).toBe(52);
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
