import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, serverError, type StoreHarness } from './store-harness';

let h: StoreHarness;

beforeAll(async () => {
  h = await openHarness('commands');
});
afterAll(async () => {
  await h.close();
});

describe('server commands', () => {
  it('answers hello, ping, buildInfo and getParameter', async () => {
    const admin = h.client.db('admin');
    const hello = await admin.command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, helloOk: true, ok: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await admin.command({ buildInfo: 1 });
    expect(typeof info.version).toBe('string');
    expect(Array.isArray(info.versionArray)).toBe(true);
    const fcv = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(typeof fcv.featureCompatibilityVersion.version).toBe('string');
  });

  it('answers an unknown command with 59 CommandNotFound', async () => {
    const err = await serverError(h.db.command({ noSuchCommandAtAll: 1 }));
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
  });

  it('answers known but unimplemented commands as NotImplemented, never as missing', async () => {
    const status = await serverError(h.client.db('admin').command({ replSetGetStatus: 1 }));
    expect(status.code).toBe(76);
    if (!h.isEmbedded) return;
    const stats = await serverError(h.db.command({ dbStats: 1 }));
    expect(stats.code).toBe(238);
    expect(stats.codeName).toBe('NotImplemented');
  });

  it('rejects transactions like a standalone server (code 20)', async () => {
    const session = h.client.startSession();
    try {
      session.startTransaction();
      const err = await serverError(h.db.collection('tx').insertOne({ a: 1 }, { session }));
      // The driver rewraps this answer as "does not support retryable writes", keeping the original.
      const original: unknown = err.errorResponse.originalError;
      const cause = original instanceof MongoServerError ? original : err;
      expect(cause.code).toBe(20);
      expect(cause.codeName).toBe('IllegalOperation');
      expect(cause.message).toBe(
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    const commit = await serverError(h.client.db('admin').command({ commitTransaction: 1 }));
    expect(commit.code).toBe(20);
    expect(await h.db.collection('tx').countDocuments()).toBe(0);
  });

  it('refuses $text without a text index (27)', async () => {
    await h.db.collection('texts').insertOne({ s: 'hello world' });
    const err = await serverError(
      h.db
        .collection('texts')
        .find({ $text: { $search: 'hello' } })
        .toArray(),
    );
    expect(err.code).toBe(27);
  });

  it('refuses unknown query operators with BadValue', async () => {
    await h.db.collection('texts').insertOne({ s: 'x' });
    const err = await serverError(
      h.db
        .collection('texts')
        .find({ s: { $nope: 1 } })
        .toArray(),
    );
    expect(err.code).toBe(2);
  });
});

describe('collections and databases', () => {
  it('creates collections, refusing duplicates with 48 NamespaceExists', async () => {
    await h.db.createCollection('made');
    const err = await serverError(h.db.command({ create: 'made' }));
    expect(err.code).toBe(48);
    expect(err.codeName).toBe('NamespaceExists');
  });

  it('lists collections with filters and nameOnly', async () => {
    await h.db.collection('listed_a').insertOne({ x: 1 });
    await h.db.collection('listed_b').insertOne({ x: 1 });
    const all = await h.db.listCollections({ name: { $regex: /^listed_/ } }).toArray();
    expect(all.map((c) => c.name).sort()).toEqual(['listed_a', 'listed_b']);
    expect(all[0]).toMatchObject({ type: 'collection', options: {} });
    const names = await h.db.listCollections({ name: 'listed_a' }, { nameOnly: true }).toArray();
    expect(names).toEqual([expect.objectContaining({ name: 'listed_a', type: 'collection' })]);
  });

  it('drops collections and reports a missing one as 26 NamespaceNotFound', async () => {
    await h.db.collection('to_drop').insertOne({ x: 1 });
    expect(await h.db.collection('to_drop').drop()).toBe(true);
    expect(await h.db.collection('to_drop').countDocuments()).toBe(0);
    const raw = await h.db.command({ drop: 'never_existed' }).then(
      (reply) => reply,
      (error: unknown) => error,
    );
    if (raw instanceof MongoServerError) expect(raw.code).toBe(26);
    else expect(raw).toMatchObject({ ok: 1 });
  });

  it('lists and drops databases', async () => {
    const other = h.client.db(`${h.dbName}_other`);
    await other.collection('c').insertOne({ x: 1 });
    const { databases } = await h.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).toContain(`${h.dbName}_other`);
    await other.dropDatabase();
    const after = await h.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(`${h.dbName}_other`);
  });
});

describe('concurrency', () => {
  it('keeps every write from two clients writing at once', async () => {
    const second = await new MongoClient(h.uri).connect();
    try {
      const a = h.db.collection('shared');
      const b = second.db(h.dbName).collection('shared');
      await a.createIndex({ k: 1 }, { unique: true });
      await a.insertOne({ _id: 'counter', n: 0 } as never);
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i++) {
        const coll = i % 2 === 0 ? a : b;
        writes.push(coll.insertOne({ k: i }));
        writes.push(coll.updateOne({ _id: 'counter' } as never, { $inc: { n: 1 } }));
      }
      await Promise.all(writes);
      expect(await a.countDocuments({ k: { $exists: true } })).toBe(200);
      expect(await b.findOne({ _id: 'counter' } as never)).toMatchObject({ n: 200 });
      const dup = await Promise.allSettled([
        a.insertOne({ k: 'same' }),
        b.insertOne({ k: 'same' }),
      ]);
      expect(dup.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
