import { type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseDoc, openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;

beforeAll(async () => {
  h = await openHarness('aggregate');
  await h.db.collection<LooseDoc>('contacts').insertMany([
    { _id: 1, owner: 'ann', tag: 'cooperation', rating: 3, events: ['e1', 'e2'] },
    { _id: 2, owner: 'ann', tag: 'competition', rating: 1, events: ['e1'] },
    { _id: 3, owner: 'bob', tag: 'cooperation', rating: 2, events: [] },
    { _id: 4, owner: 'bob', tag: 'cooperation', rating: 5, events: ['e2'] },
    { _id: 5, owner: 'cyd', tag: 'none', rating: 4 },
  ]);
  await h.db.collection<LooseDoc>('users').insertMany([
    { _id: 'ann', name: 'Ann' },
    { _id: 'bob', name: 'Bob' },
  ]);
});
afterAll(async () => {
  await h.close();
});

describe('aggregate', () => {
  it('runs $match, $group and $sort', async () => {
    const out = await h.db
      .collection('contacts')
      .aggregate([
        { $match: { tag: 'cooperation' } },
        { $group: { _id: '$owner', n: { $sum: 1 }, best: { $max: '$rating' } } },
        { $sort: { n: -1, _id: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: 'bob', n: 2, best: 5 },
      { _id: 'ann', n: 1, best: 3 },
    ]);
  });

  it('runs $lookup, $unwind and $project', async () => {
    const out = await h.db
      .collection('contacts')
      .aggregate([
        { $match: { owner: { $in: ['ann', 'bob'] } } },
        { $lookup: { from: 'users', localField: 'owner', foreignField: '_id', as: 'user' } },
        { $unwind: '$user' },
        { $unwind: '$events' },
        { $project: { _id: 0, id: '$_id', who: '$user.name', event: '$events' } },
        { $sort: { id: 1, event: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { id: 1, who: 'Ann', event: 'e1' },
      { id: 1, who: 'Ann', event: 'e2' },
      { id: 2, who: 'Ann', event: 'e1' },
      { id: 4, who: 'Bob', event: 'e2' },
    ]);
  });

  it('does not change stored documents through $addFields or $unwind', async () => {
    await h.db
      .collection('contacts')
      .aggregate([{ $addFields: { 'extra.x': 1, rating: 0 } }, { $unwind: '$events' }])
      .toArray();
    expect(await h.db.collection<LooseDoc>('contacts').findOne({ _id: 1 })).toEqual({
      _id: 1,
      owner: 'ann',
      tag: 'cooperation',
      rating: 3,
      events: ['e1', 'e2'],
    });
  });

  it('does not change joined documents of another collection', async () => {
    await h.db
      .collection('contacts')
      .aggregate([
        { $lookup: { from: 'users', localField: 'owner', foreignField: '_id', as: 'user' } },
        { $unwind: '$user' },
        { $set: { 'user.name': 'Changed', 'user.extra': true } },
      ])
      .toArray();
    await h.db
      .collection('contacts')
      .aggregate([
        { $lookup: { from: 'users', pipeline: [{ $set: { name: 'Again' } }], as: 'all' } },
      ])
      .toArray();
    expect(await h.db.collection('users').find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'ann', name: 'Ann' },
      { _id: 'bob', name: 'Bob' },
    ]);
  });

  it('counts with $count, $facet and countDocuments', async () => {
    const [count] = await h.db
      .collection('contacts')
      .aggregate([{ $match: { rating: { $gte: 3 } } }, { $count: 'n' }])
      .toArray();
    expect(count).toEqual({ n: 3 });
    const [facet] = await h.db
      .collection('contacts')
      .aggregate([{ $facet: { byTag: [{ $sortByCount: '$tag' }], total: [{ $count: 'n' }] } }])
      .toArray();
    expect((facet as Document).total).toEqual([{ n: 5 }]);
    expect((facet as Document).byTag[0]).toEqual({ _id: 'cooperation', count: 3 });
    expect(await h.db.collection<LooseDoc>('contacts').countDocuments({ owner: 'ann' })).toBe(2);
  });

  it('returns an empty cursor for a missing collection', async () => {
    expect(
      await h.db
        .collection('nothing_here')
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });

  it('refuses unknown stages and requires the cursor option', async () => {
    const unknown = await serverError(
      h.db
        .collection('contacts')
        .aggregate([{ $bogus: {} }])
        .toArray(),
    );
    expect(unknown.code).toBe(40324);
    const noCursor = await serverError(h.db.command({ aggregate: 'contacts', pipeline: [] }));
    expect(noCursor.code).toBe(9);
  });

  it('answers $out with an error on the embedded store, never silently', async () => {
    if (!h.isEmbedded) return;
    const err = await serverError(
      h.db
        .collection('contacts')
        .aggregate([{ $match: {} }, { $out: 'copy' }])
        .toArray(),
    );
    expect(err.code).toBe(238);
    expect(await h.db.listCollections({ name: 'copy' }).toArray()).toEqual([]);
  });
});
