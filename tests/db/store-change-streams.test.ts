/**
 * Change streams through the official driver: what the Socket.io MongoDB adapter needs
 * (insert events, a tailing getMore, resume tokens, resuming after a cut) and the rest of
 * the events a collection stream carries. Runs against the embedded store, or MONGODB_URI
 * (which must then be a replica set: change streams need one).
 */
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Long } from 'mongodb';
import {
  type ChangeStream,
  type ChangeStreamDocument,
  type Collection,
  type Document,
  MongoClient,
  Timestamp,
} from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore } from '../../server/src/db/embedded';
import { type LooseDoc, openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;
const streams: ChangeStream[] = [];
let collectionCount = 0;

beforeAll(async () => {
  h = await openHarness('changestreams');
});
afterEach(async () => {
  await Promise.all(streams.splice(0).map((stream) => stream.close()));
});
afterAll(async () => {
  await h.close();
});

/** A fresh collection per test, so one test's events never reach another's stream. */
function freshCollection(): Collection<LooseDoc> {
  collectionCount++;
  return h.db.collection<LooseDoc>(`messages_${collectionCount}`);
}

/** A stream whose server cursor is open, with the event its first batch may have held. */
interface Watch<T extends Document> {
  stream: ChangeStream<T>;
  next(): Promise<ChangeStreamDocument<T>>;
}

/** Opens a stream and waits until the server has opened its cursor. */
async function watching<T extends Document = LooseDoc>(
  coll: Collection<T>,
  pipeline: Document[] = [],
  options: Parameters<Collection['watch']>[1] = {},
): Promise<Watch<T>> {
  const stream = coll.watch<T>(pipeline, { maxAwaitTimeMS: 50, ...options });
  streams.push(stream as unknown as ChangeStream);
  // tryNext runs the aggregate that opens the cursor (and one short getMore).
  const first = await stream.tryNext();
  const buffered = first ? [first] : [];
  return {
    stream,
    next: () => {
      const event = buffered.shift();
      return event ? Promise.resolve(event) : stream.next();
    },
  };
}

async function nextEvents<T extends Document>(
  watch: { next(): Promise<ChangeStreamDocument<T>> },
  n: number,
): Promise<ChangeStreamDocument<T>[]> {
  const events: ChangeStreamDocument<T>[] = [];
  while (events.length < n) events.push(await watch.next());
  return events;
}

/** Opens a change stream cursor with the raw command; returns its id. */
async function openCursor(coll: Collection<LooseDoc>): Promise<Long> {
  const opened = await h.db.command({
    aggregate: coll.collectionName,
    pipeline: [{ $changeStream: {} }],
    cursor: {},
  });
  return opened.cursor.id as Long;
}

/**
 * Sends a getMore that may wait up to 10 minutes, and resolves once it reached the server
 * (a ping sent after it has come back), with the promise of its answer.
 */
async function waitingGetMore(
  coll: Collection<LooseDoc>,
  id: Long,
): Promise<{ answer: Promise<Document | Error> }> {
  const answer = h.db
    .command({ getMore: id, collection: coll.collectionName, maxTimeMS: 600_000 })
    .catch((error: unknown) => error as Error);
  await new Promise((resolve) => setImmediate(resolve));
  expect(await h.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  return { answer };
}

describe('change streams: insert events', () => {
  it('delivers an insert with the full document, namespace, key, token and times', async () => {
    const coll = freshCollection();
    const watch = await watching(coll);
    await coll.insertOne({ _id: 'first', uid: 'node-a', nsp: '/', type: 3 });
    const event = await watch.next();
    expect(event.operationType).toBe('insert');
    if (event.operationType !== 'insert') return;
    expect(event.fullDocument).toEqual({ _id: 'first', uid: 'node-a', nsp: '/', type: 3 });
    expect(event.ns).toEqual({ db: h.dbName, coll: coll.collectionName });
    expect(event.documentKey).toEqual({ _id: 'first' });
    expect(typeof (event._id as { _data?: unknown })._data).toBe('string');
    expect(event.clusterTime).toBeInstanceOf(Timestamp);
    expect(event.wallTime).toBeInstanceOf(Date);
    expect(Object.keys(event)).toEqual([
      '_id',
      'operationType',
      'clusterTime',
      'wallTime',
      'fullDocument',
      'ns',
      'documentKey',
    ]);
  });

  it('answers a waiting getMore as soon as a change arrives, not at its maxTimeMS', async () => {
    const coll = freshCollection();
    const id = await openCursor(coll);
    // The getMore may wait 10 minutes: the test only ends in time if the insert wakes it.
    const { answer } = await waitingGetMore(coll, id);
    let answered = false;
    void answer.then(() => {
      answered = true;
    });
    expect(await coll.countDocuments({})).toBe(0);
    expect(answered).toBe(false);
    await coll.insertOne({ _id: 'wake' });
    const reply = (await answer) as Document;
    expect(reply.cursor.nextBatch.map((e: Document) => e.documentKey)).toEqual([{ _id: 'wake' }]);
    expect(Number(reply.cursor.id)).toBe(Number(id));
    await h.db.command({ killCursors: coll.collectionName, cursors: [id] });
  });

  it('keeps waiting past changes its pipeline filters out', async () => {
    const coll = freshCollection();
    const opened = await h.db.command({
      aggregate: coll.collectionName,
      pipeline: [{ $changeStream: {} }, { $match: { 'fullDocument.uid': { $ne: 'me' } } }],
      cursor: {},
    });
    const id = opened.cursor.id as Long;
    const { answer } = await waitingGetMore(coll, id);
    await coll.insertOne({ _id: 1, uid: 'me' });
    await coll.insertOne({ _id: 2, uid: 'other' });
    const reply = (await answer) as Document;
    expect(reply.cursor.nextBatch.map((e: Document) => e.documentKey)).toEqual([{ _id: 2 }]);
    await h.db.command({ killCursors: coll.collectionName, cursors: [id] });
  });

  it('delivers events in write order, each with a distinct token', async () => {
    const coll = freshCollection();
    const watch = await watching(coll);
    await coll.insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: i })));
    const events = await nextEvents(watch, 25);
    expect(events.map((e) => (e as { documentKey: { _id: number } }).documentKey._id)).toEqual(
      Array.from({ length: 25 }, (_, i) => i),
    );
    expect(new Set(events.map((e) => JSON.stringify(e._id))).size).toBe(25);
  });

  it('applies the stream pipeline: $match on the full document, as the adapter filters itself', async () => {
    const coll = freshCollection();
    const watch = await watching(coll, [{ $match: { 'fullDocument.uid': { $ne: 'me' } } }]);
    await coll.insertMany([
      { _id: 1, uid: 'me' },
      { _id: 2, uid: 'other' },
      { _id: 3, uid: 'me' },
      { _id: 4, uid: 'other' },
    ]);
    const events = await nextEvents(watch, 2);
    expect(events.map((e) => (e as { documentKey: { _id: number } }).documentKey._id)).toEqual([
      2, 4,
    ]);
  });

  it('applies $project and $addFields to events', async () => {
    const coll = freshCollection();
    const watch = await watching<Document>(coll as unknown as Collection<Document>, [
      { $project: { operationType: 1, 'fullDocument.n': 1 } },
      { $addFields: { seen: true } },
    ]);
    await coll.insertOne({ _id: 1, n: 5, secret: 'x' });
    const event = (await watch.next()) as unknown as Document;
    expect(event.fullDocument).toEqual({ n: 5 });
    expect(event.seen).toBe(true);
    expect(event.operationType).toBe('insert');
    expect(event.ns).toBeUndefined();
  });
});

describe('change streams: updates, replacements, deletes and drops', () => {
  it('describes an update: set and removed fields, nested paths', async () => {
    const coll = freshCollection();
    await coll.insertOne({ _id: 1, name: 'Zoé', address: { city: 'Lyon', zip: '69001' }, x: 1 });
    const watch = await watching(coll);
    await coll.updateOne(
      { _id: 1 },
      { $set: { 'address.city': 'Paris', note: 'hi' }, $unset: { x: 1 } },
    );
    const event = await watch.next();
    expect(event.operationType).toBe('update');
    if (event.operationType !== 'update') return;
    expect(event.documentKey).toEqual({ _id: 1 });
    expect(event.updateDescription.updatedFields).toEqual({ 'address.city': 'Paris', note: 'hi' });
    expect(event.updateDescription.removedFields).toEqual(['x']);
    expect(event.fullDocument).toBeUndefined();
  });

  it("looks the current document up with fullDocument: 'updateLookup'", async () => {
    const coll = freshCollection();
    await coll.insertOne({ _id: 1, n: 1 });
    const watch = await watching(coll, [], { fullDocument: 'updateLookup' });
    await coll.updateOne({ _id: 1 }, { $inc: { n: 1 } });
    const event = await watch.next();
    expect(event.operationType).toBe('update');
    expect((event as { fullDocument?: unknown }).fullDocument).toEqual({ _id: 1, n: 2 });
  });

  it('reports replacements, findOneAndUpdate, upserts and deletes', async () => {
    const coll = freshCollection();
    await coll.insertOne({ _id: 1, n: 1 });
    const watch = await watching(coll);
    await coll.replaceOne({ _id: 1 }, { n: 10 });
    await coll.findOneAndUpdate({ _id: 1 }, { $set: { n: 11 } });
    await coll.updateOne({ _id: 2 }, { $set: { n: 2 } }, { upsert: true });
    await coll.deleteOne({ _id: 1 });
    const events = await nextEvents(watch, 4);
    expect(events.map((e) => e.operationType)).toEqual(['replace', 'update', 'insert', 'delete']);
    expect((events[0] as { fullDocument?: unknown }).fullDocument).toEqual({ _id: 1, n: 10 });
    expect((events[2] as { fullDocument?: unknown }).fullDocument).toEqual({ _id: 2, n: 2 });
    expect((events[3] as { documentKey?: unknown }).documentKey).toEqual({ _id: 1 });
    expect(Object.keys(events[3] as object)).toEqual([
      '_id',
      'operationType',
      'clusterTime',
      'wallTime',
      'ns',
      'documentKey',
    ]);
  });

  it('ends with drop then invalidate when the collection is dropped; startAfter goes on', async () => {
    const coll = freshCollection();
    await coll.insertOne({ _id: 1 });
    const watch = await watching(coll);
    await coll.drop();
    const [drop, invalidate] = await nextEvents(watch, 2);
    expect(drop?.operationType).toBe('drop');
    expect(invalidate?.operationType).toBe('invalidate');
    // The invalidate event closes the cursor, and with it the stream.
    expect(await watch.stream.hasNext()).toBe(false);

    const token = (invalidate as ChangeStreamDocument)._id;
    const refused = await serverError(coll.watch([], { resumeAfter: token }).tryNext());
    expect(refused.code).toBe(260);
    const after = await watching(coll, [], { startAfter: token });
    await coll.insertOne({ _id: 'again' });
    const event = await after.next();
    expect((event as { documentKey?: unknown }).documentKey).toEqual({ _id: 'again' });
  });
});

describe('change streams: resuming', () => {
  it('resumes after a token: the events that followed it, none twice', async () => {
    const coll = freshCollection();
    const watch = await watching(coll);
    await coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    const [first] = await nextEvents(watch, 1);
    await watch.stream.close();
    const resumed = await watching(coll, [], { resumeAfter: (first as ChangeStreamDocument)._id });
    const events = await nextEvents(resumed, 2);
    expect(events.map((e) => (e as { documentKey: { _id: number } }).documentKey._id)).toEqual([
      2, 3,
    ]);
  });

  it('hands out postBatchResumeToken on every batch, and resumes from it', async () => {
    const coll = freshCollection();
    const opened = await h.db.command({
      aggregate: coll.collectionName,
      pipeline: [{ $changeStream: {} }],
      cursor: {},
    });
    expect(opened.cursor.firstBatch).toEqual([]);
    expect(typeof opened.cursor.postBatchResumeToken._data).toBe('string');
    const id = opened.cursor.id as Long;
    expect(Number(id)).not.toBe(0);
    const idle = await h.db.command({
      getMore: id,
      collection: coll.collectionName,
      maxTimeMS: 10,
    });
    expect(idle.cursor.nextBatch).toEqual([]);
    expect(Number(idle.cursor.id)).toBe(Number(id));
    const token = idle.cursor.postBatchResumeToken as Document;
    expect(typeof token._data).toBe('string');
    await coll.insertOne({ _id: 'later' });
    const batch = await h.db.command({ getMore: id, collection: coll.collectionName });
    expect(batch.cursor.nextBatch).toHaveLength(1);
    expect(batch.cursor.postBatchResumeToken).toEqual(batch.cursor.nextBatch[0]._id);
    await h.db.command({ killCursors: coll.collectionName, cursors: [id] });

    const resumed = await h.db.command({
      aggregate: coll.collectionName,
      pipeline: [{ $changeStream: { resumeAfter: token } }],
      cursor: {},
    });
    expect(resumed.cursor.firstBatch.map((e: Document) => e.documentKey)).toEqual([
      { _id: 'later' },
    ]);
    await h.db.command({ killCursors: coll.collectionName, cursors: [resumed.cursor.id] });
  });

  it('resumes from the operation time of the change it starts at', async () => {
    const coll = freshCollection();
    const watch = await watching(coll);
    await coll.insertMany([{ _id: 1 }, { _id: 2 }]);
    const [, second] = await nextEvents(watch, 2);
    const from = await watching(coll, [], {
      startAtOperationTime: (second as { clusterTime: Timestamp }).clusterTime,
    });
    const event = await from.next();
    expect((event as { documentKey?: unknown }).documentKey).toEqual({ _id: 2 });
  });

  it('killCursors closes the stream cursor; a waiting getMore is answered at once', async () => {
    const coll = freshCollection();
    const id = await openCursor(coll);
    const { answer } = await waitingGetMore(coll, id);
    const killed = await h.db.command({ killCursors: coll.collectionName, cursors: [id] });
    expect(killed.cursorsKilled.map(Number)).toEqual([Number(id)]);
    // Real MongoDB answers the interrupted getMore with CursorKilled (237).
    expect([43, 237]).toContain(((await answer) as { code?: number }).code);
    const gone = await serverError(
      h.db.command({ getMore: id, collection: coll.collectionName, maxTimeMS: 10 }),
    );
    expect(gone.code).toBe(43);
  });

  it('resumes by itself after the connection drops, missing nothing', async () => {
    // A TCP relay between the driver and the database, so the test can cut connections.
    const target = new URL(h.uri.replace(/^mongodb:\/\//, 'http://'));
    const relayed = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 27017), target.hostname);
      relayed.add(client);
      relayed.add(upstream);
      client.pipe(upstream).pipe(client);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as net.AddressInfo).port;
    const watcher = await new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
      serverSelectionTimeoutMS: 5000,
    }).connect();
    try {
      const coll = freshCollection();
      const stream = watcher
        .db(h.dbName)
        .collection<LooseDoc>(coll.collectionName)
        .watch([], { maxAwaitTimeMS: 50 });
      await stream.tryNext();
      await coll.insertOne({ _id: 'before' });
      expect(((await stream.next()) as { documentKey?: unknown }).documentKey).toEqual({
        _id: 'before',
      });
      const resumeToken = stream.resumeToken;
      for (const socket of relayed) socket.destroy();
      relayed.clear();
      await coll.insertMany([{ _id: 'during-1' }, { _id: 'during-2' }]);
      const events = await nextEvents(stream, 2);
      expect(events.map((e) => (e as { documentKey?: unknown }).documentKey)).toEqual([
        { _id: 'during-1' },
        { _id: 'during-2' },
      ]);
      expect(stream.resumeToken).not.toEqual(resumeToken);
      await stream.close();
    } finally {
      await watcher.close();
      for (const socket of relayed) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});

describe.runIf(!process.env.MONGODB_URI)('change streams: embedded store specifics', () => {
  it("refuses a token from another run of the store: history lost, as MongoDB's oplog rolled over", async () => {
    const coll = freshCollection();
    const watch = await watching(coll);
    await coll.insertOne({ _id: 1 });
    const event = await watch.next();
    const data = String((event._id as { _data: string })._data);
    const foreign = { _data: `${data.startsWith('0') ? '1' : '0'}${data.slice(1)}` };
    const lost = await serverError(coll.watch([], { resumeAfter: foreign }).tryNext());
    expect(lost.code).toBe(286);
    expect(lost.codeName).toBe('ChangeStreamHistoryLost');
  });

  it('refuses what it does not support or MongoDB refuses, with MongoDB codes, writing nothing', async () => {
    const coll = freshCollection();
    const aggregate = (pipeline: Document[], target: string | 1 = coll.collectionName) =>
      serverError(h.db.command({ aggregate: target, pipeline, cursor: {} }));
    const cases: Array<[Document[], number, string]> = [
      [[{ $match: {} }, { $changeStream: {} }], 40602, 'Location40602'],
      [[{ $changeStream: { nope: 1 } }], 40415, 'Location40415'],
      [[{ $changeStream: 1 }], 14, 'TypeMismatch'],
      [[{ $changeStream: {} }, { $group: { _id: null } }], 20, 'IllegalOperation'],
      [[{ $changeStream: { fullDocument: 'required' } }], 238, 'NotImplemented'],
      [[{ $changeStream: { fullDocument: 'sometimes' } }], 2, 'BadValue'],
      [[{ $changeStream: { fullDocumentBeforeChange: 'required' } }], 238, 'NotImplemented'],
      [[{ $changeStream: { showExpandedEvents: true } }], 238, 'NotImplemented'],
      [[{ $changeStream: { resumeAfter: { _data: 'zz' } } }], 2, 'BadValue'],
      [[{ $changeStream: { startAtOperationTime: 5 } }], 14, 'TypeMismatch'],
      [
        [
          {
            $changeStream: {
              resumeAfter: { _data: 'a' },
              startAtOperationTime: new Timestamp({ t: 1, i: 1 }),
            },
          },
        ],
        40674,
        'Location40674',
      ],
    ];
    for (const [pipeline, code, codeName] of cases) {
      const error = await aggregate(pipeline);
      expect({ pipeline, code: error.code, codeName: error.codeName }).toEqual({
        pipeline,
        code,
        codeName,
      });
    }
    const dbWide = await aggregate([{ $changeStream: {} }], 1);
    expect(dbWide.code).toBe(238);
    const collections = await h.db.listCollections({ name: coll.collectionName }).toArray();
    expect(collections).toEqual([]);
  });

  it('shows a durable store’s changes once journaled, and TTL deletes too', async () => {
    const dbpath = mkdtempSync(path.join(tmpdir(), 'coopetition-changes-'));
    const store = await startEmbeddedStore({ port: 0, dbpath, ttlIntervalMs: 0 });
    const client = await new MongoClient(store.uri).connect();
    try {
      const coll = client.db('test_durable').collection<LooseDoc>('adapter');
      await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 });
      const stream = coll.watch([], { maxAwaitTimeMS: 50 });
      await stream.tryNext();
      await coll.insertOne({ _id: 'old', createdAt: new Date(Date.now() - 120_000) });
      expect((await stream.next()).operationType).toBe('insert');
      expect(await store.sweepExpired()).toBe(1);
      const expired = await stream.next();
      expect(expired.operationType).toBe('delete');
      expect((expired as { documentKey?: unknown }).documentKey).toEqual({ _id: 'old' });
      await stream.close();
    } finally {
      await client.close();
      await store.close();
      rmSync(dbpath, { recursive: true, force: true });
    }
  });
});
