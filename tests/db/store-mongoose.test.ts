import mongoose, { Schema, type Connection } from 'mongoose';
import { MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type StoreHarness } from './store-harness';

let h: StoreHarness;
let conn: Connection;
let m: ReturnType<typeof models>;

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true },
    name: String,
    visits: { type: Number, default: 0 },
  },
  { timestamps: true },
);
const membershipSchema = new Schema({
  eventId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  role: { type: String, enum: ['attendee', 'exhibitor', 'organizer'], default: 'attendee' },
});
membershipSchema.index({ eventId: 1, userId: 1 }, { unique: true });

function models(c: Connection) {
  return {
    User: c.model('User', userSchema),
    Membership: c.model('Membership', membershipSchema),
    Item: c.model('Item', new Schema({ i: Number })),
  };
}

beforeAll(async () => {
  h = await openHarness('mongoose');
  conn = await mongoose.createConnection(h.uri, { dbName: h.dbName }).asPromise();
  m = models(conn);
});
afterAll(async () => {
  await conn.close();
  await h.close();
});

describe('mongoose models', () => {
  it('creates collections and indexes on init and surfaces E11000 with keyPattern/keyValue', async () => {
    const { User } = m;
    await User.init();
    const indexes = await User.collection.listIndexes().toArray();
    expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({
      unique: true,
      key: { email: 1 },
    });
    await User.create({ email: 'Ada@Example.com', name: 'Ada' });
    const err = await User.create({ email: 'ada@example.com', name: 'Other' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect((err as MongoServerError).keyPattern).toEqual({ email: 1 });
    expect((err as MongoServerError).keyValue).toEqual({ email: 'ada@example.com' });
    expect(await User.countDocuments()).toBe(1);
  });

  it('queries, updates with timestamps and upserts through findOneAndUpdate', async () => {
    const { User } = m;
    const ada = await User.findOne({ email: 'ada@example.com' }).lean();
    expect(ada).toMatchObject({ name: 'Ada', visits: 0 });
    expect(ada?.createdAt).toBeInstanceOf(Date);
    const updated = await User.findOneAndUpdate(
      { email: 'ada@example.com' },
      { $inc: { visits: 2 } },
      { returnDocument: 'after' },
    ).lean();
    expect(updated?.visits).toBe(2);
    expect((updated?.updatedAt as Date).getTime()).toBeGreaterThanOrEqual(
      (ada?.updatedAt as Date).getTime(),
    );
    const upserted = await User.findOneAndUpdate(
      { email: 'bob@example.com' },
      { name: 'Bob' },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    ).lean();
    expect(upserted).toMatchObject({ email: 'bob@example.com', name: 'Bob', visits: 0 });
    expect(upserted?.createdAt).toBeInstanceOf(Date);
    expect(await User.exists({ email: 'bob@example.com' })).toBeTruthy();
    const page = await User.find({}).sort({ email: -1 }).select('email -_id').lean();
    expect(page).toEqual([{ email: 'bob@example.com' }, { email: 'ada@example.com' }]);
    await User.updateMany({}, { $set: { name: 'Same' } });
    expect(await User.distinct('name')).toEqual(['Same']);
    await User.deleteOne({ email: 'bob@example.com' });
    expect(await User.estimatedDocumentCount()).toBe(1);
  });

  it('enforces compound unique indexes with bulk inserts', async () => {
    const { Membership } = m;
    await Membership.init();
    const eventId = new mongoose.Types.ObjectId();
    const [u1, u2] = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
    await Membership.insertMany([
      { eventId, userId: u1 },
      { eventId, userId: u2, role: 'exhibitor' },
    ]);
    const err = await Membership.insertMany([{ eventId, userId: u1 }], { ordered: false }).catch(
      (e: unknown) => e,
    );
    expect((err as { code?: number }).code).toBe(11000);
    const res = await Membership.bulkWrite([
      { updateOne: { filter: { eventId, userId: u2 }, update: { $set: { role: 'organizer' } } } },
      { deleteOne: { filter: { eventId, userId: u1 } } },
      { insertOne: { document: { eventId, userId: u1, role: 'attendee' } } },
    ]);
    expect(res.modifiedCount).toBe(1);
    expect(res.deletedCount).toBe(1);
    expect(res.insertedCount).toBe(1);
    const counts = await Membership.aggregate<{ _id: string; n: number }>([
      { $match: { eventId } },
      { $group: { _id: '$role', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(counts).toEqual([
      { _id: 'attendee', n: 1 },
      { _id: 'organizer', n: 1 },
    ]);
  });

  it('iterates a query cursor', async () => {
    const { Item } = m;
    await Item.insertMany(Array.from({ length: 120 }, (_, i) => ({ i })));
    let sum = 0;
    for await (const doc of Item.find({ i: { $gte: 100 } })
      .sort({ i: 1 })
      .batchSize(5)
      .cursor()) {
      sum += doc.i ?? 0;
    }
    expect(sum).toBe(Array.from({ length: 20 }, (_, k) => 100 + k).reduce((a, b) => a + b, 0));
  });
});
