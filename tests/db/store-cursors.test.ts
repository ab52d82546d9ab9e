import { Long, MongoServerError, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, type StoreHarness } from './store-harness';

let h: StoreHarness;

beforeAll(async () => {
  h = await openHarness('cursors');
  await h.db
    .collection<LooseDoc>('items')
    .insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, i })));
});
afterAll(async () => {
  await h.close();
});

describe('cursors', () => {
  it('returns the first batch with an int64 cursor id, then getMore batches', async () => {
    const first = await h.db.command({ find: 'items', filter: {}, sort: { i: 1 }, batchSize: 100 });
    expect(first.cursor.firstBatch).toHaveLength(100);
    expect(first.cursor.ns).toBe(`${h.dbName}.items`);
    const id = first.cursor.id as unknown;
    expect(typeof id === 'number' || id instanceof Long).toBe(true);
    expect(Number(id)).not.toBe(0);
    const cursorId = Long.fromValue(id as number);
    const second = await h.db.command({ getMore: cursorId, collection: 'items', batchSize: 100 });
    expect((second.cursor.nextBatch as Document[])[0]?.i).toBe(100);
    const third = await h.db.command({ getMore: cursorId, collection: 'items', batchSize: 100 });
    expect(third.cursor.nextBatch).toHaveLength(50);
    expect(Number(third.cursor.id)).toBe(0);
    const gone = await h.db
      .command({ getMore: cursorId, collection: 'items' })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MongoServerError);
    expect((gone as MongoServerError).code).toBe(43);
  });

  it('iterates everything through the driver with a small batch size', async () => {
    const seen: number[] = [];
    for await (const doc of h.db
      .collection('items')
      .find({ i: { $gte: 10 } })
      .sort({ i: 1 })
      .batchSize(7)) {
      seen.push(doc.i as number);
    }
    expect(seen).toHaveLength(240);
    expect(seen[0]).toBe(10);
    expect(seen[239]).toBe(249);
  });

  it('applies limit across batches and closes with singleBatch', async () => {
    const docs = await h.db
      .collection('items')
      .find({})
      .sort({ i: -1 })
      .limit(30)
      .batchSize(8)
      .toArray();
    expect(docs).toHaveLength(30);
    expect(docs[0]?.i).toBe(249);
    const single = await h.db.command({
      find: 'items',
      filter: {},
      batchSize: 5,
      singleBatch: true,
    });
    expect(single.cursor.firstBatch).toHaveLength(5);
    expect(Number(single.cursor.id)).toBe(0);
  });

  it('opens the cursor with an empty first batch for batchSize 0', async () => {
    const found = await h.db.command({ find: 'items', filter: { i: { $lt: 5 } }, batchSize: 0 });
    expect(found.cursor.firstBatch).toEqual([]);
    const id = Long.fromValue(found.cursor.id as number);
    expect(Number(id)).not.toBe(0);
    const more = await h.db.command({ getMore: id, collection: 'items' });
    expect(more.cursor.nextBatch).toHaveLength(5);
    const agg = await h.db.command({
      aggregate: 'items',
      pipeline: [{ $limit: 3 }],
      cursor: { batchSize: 0 },
    });
    expect(agg.cursor.firstBatch).toEqual([]);
    await h.db.command({
      killCursors: 'items',
      cursors: [Long.fromValue(agg.cursor.id as number)],
    });
  });

  it('kills cursors', async () => {
    const first = await h.db.command({ find: 'items', filter: {}, batchSize: 2 });
    const id = Long.fromValue(first.cursor.id as number);
    const killed = await h.db.command({ killCursors: 'items', cursors: [id] });
    expect(killed.cursorsKilled.map(Number)).toEqual([Number(id)]);
    expect(killed.cursorsNotFound).toEqual([]);
    const after = await h.db.command({ getMore: id, collection: 'items' }).catch((e: unknown) => e);
    expect((after as MongoServerError).code).toBe(43);
    const cursor = h.db.collection<LooseDoc>('items').find({}).batchSize(3);
    await cursor.next();
    await cursor.close();
  });

  it('pages aggregate results through getMore', async () => {
    const out = await h.db
      .collection('items')
      .aggregate(
        [
          { $match: { i: { $lt: 120 } } },
          { $project: { _id: 0, double: { $multiply: ['$i', 2] } } },
        ],
        { batchSize: 10 },
      )
      .toArray();
    expect(out).toHaveLength(120);
    expect(out[119]).toEqual({ double: 238 });
  });
});
