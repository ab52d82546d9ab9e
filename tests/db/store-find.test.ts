import { ObjectId, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;
let n = 0;
const fresh = (): Collection<LooseDoc> => h.db.collection<LooseDoc>(`find_${++n}`);

beforeAll(async () => {
  h = await openHarness('find');
});
afterAll(async () => {
  await h.close();
});

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
        .find({}, { projection: { nested: 0, tags: 0 }, sort: { score: 1 }, skip: 1, limit: 2 })
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

  it('projects top-level fields in the document order, as MongoDB returns them', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, b: 2, a: 1, card: { fullName: 'Ann' }, list: [1, 2] });
    const one = async (projection: Document) => {
      const doc = await c.findOne({ _id: 1 }, { projection });
      return doc && { keys: Object.keys(doc), doc };
    };
    expect(await one({ a: 1, b: 1 })).toEqual({
      keys: ['_id', 'b', 'a'],
      doc: { _id: 1, b: 2, a: 1 },
    });
    expect(await one({ card: true, _id: 0 })).toEqual({
      keys: ['card'],
      doc: { card: { fullName: 'Ann' } },
    });
    expect(await one({ a: 0, list: 0 })).toEqual({
      keys: ['_id', 'b', 'card'],
      doc: { _id: 1, b: 2, card: { fullName: 'Ann' } },
    });
    expect(await one({ _id: 0 })).toMatchObject({ keys: ['b', 'a', 'card', 'list'] });
    expect(await one({ _id: 1 })).toEqual({ keys: ['_id'], doc: { _id: 1 } });
    expect(await one({ missing: 1 })).toEqual({ keys: ['_id'], doc: { _id: 1 } });
    // Inclusion and exclusion mixed (other than `_id`) is refused, as MongoDB does.
    for (const projection of [
      { a: 1, b: 0 },
      { 'card.fullName': 1, list: 0 },
      { a: 0, 'list.$': 1 },
    ]) {
      const err = await serverError(c.findOne({ list: 2 }, { projection }));
      expect(err.code, JSON.stringify(projection)).toBe(31254);
    }
    // `_id` may be excluded from an inclusion, and operators sit beside either kind.
    expect(
      await c.findOne({ _id: 1 }, { projection: { a: 1, _id: 0, list: { $slice: 1 } } }),
    ).toEqual({ a: 1, list: [1] });
    // A projected copy shares nothing the store could see changed.
    const projected = await c.findOne({ _id: 1 }, { projection: { card: 1 } });
    (projected?.card as Document).fullName = 'Changed';
    expect(await c.findOne({ _id: 1 })).toMatchObject({ card: { fullName: 'Ann' } });
  });

  it('projects without changing the stored document', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, nested: { k: 1, j: 2 }, arr: [{ a: 1, b: 2 }], s: [1, 2, 3, 4] });
    expect(await c.findOne({ _id: 1 }, { projection: { 'nested.k': 0, 'arr.b': 0 } })).toEqual({
      _id: 1,
      nested: { j: 2 },
      arr: [{ a: 1 }],
      s: [1, 2, 3, 4],
    });
    expect(
      await c.findOne({}, { projection: { s: { $slice: 2 }, _id: 0, 'nested.j': 1 } }),
    ).toEqual({
      s: [1, 2],
      nested: { j: 2 },
    });
    expect(await c.findOne({ s: 3 }, { projection: { 's.$': 1 } })).toEqual({ _id: 1, s: [3] });
    await c.findOneAndUpdate({ _id: 1 }, { $set: { z: 1 } }, { projection: { 'nested.j': 0 } });
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      nested: { k: 1, j: 2 },
      arr: [{ a: 1, b: 2 }],
      s: [1, 2, 3, 4],
      z: 1,
    });
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
