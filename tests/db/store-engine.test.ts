/**
 * The engine's journal records: what commands emit replays to the same state, and a
 * snapshot rebuilds it. Embedded-store internals, so these run without MONGODB_URI only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MongoServerError } from 'mongodb';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../server/src/db/journal/types';
import { startEmbeddedStore } from '../../server/src/db/embedded';
import { runCommand } from '../../server/src/db/store/commands/dispatch';
import { CursorRegistry } from '../../server/src/db/store/cursors';
import { Engine } from '../../server/src/db/store/engine/engine';

const isEmbedded = !process.env.MONGODB_URI;

function harness() {
  const engine = new Engine();
  const cursors = new CursorRegistry();
  const journal: JournalRecord[] = [];
  const run = (cmd: Record<string, unknown>) => {
    const records: JournalRecord[] = [];
    const reply = runCommand(
      { ...cmd, $db: 'app' },
      { engine, cursors, db: 'app', records, connectionId: 1 },
    );
    journal.push(...records);
    return reply;
  };
  return { engine, run, journal };
}

function dump(engine: Engine): unknown {
  return engine.databaseNames().map((db) =>
    engine.collections(db).map((coll) => ({
      name: coll.name,
      indexes: coll.indexSpecs(),
      docs: Array.from(coll.docs.values()),
    })),
  );
}

describe('journal records', () => {
  it('replays the records commands emitted, and a snapshot, to the same state', () => {
    if (!isEmbedded) return;
    const { engine, run, journal } = harness();
    run({
      createIndexes: 'users',
      indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }],
    });
    run({
      insert: 'users',
      documents: [
        { _id: 1, email: 'a' },
        { _id: 2, email: 'b' },
        { _id: 3, email: 'c' },
      ],
    });
    run({ update: 'users', updates: [{ q: { _id: 2 }, u: { $set: { name: 'Bee' } } }] });
    run({ update: 'users', updates: [{ q: { email: 'z' }, u: { $set: { n: 1 } }, upsert: true }] });
    run({ delete: 'users', deletes: [{ q: { _id: 3 }, limit: 1 }] });
    run({ create: 'empty' });
    run({ insert: 'gone', documents: [{ x: 1 }] });
    run({ drop: 'gone' });
    run({ createIndexes: 'users', indexes: [{ key: { name: 1 }, name: 'name_1' }] });
    run({ dropIndexes: 'users', index: 'name_1' });
    expect(journal.map((r) => r.op)).toEqual([
      'createCollection',
      'createIndex',
      'put',
      'put',
      'put',
      'put',
      'put',
      'delete',
      'createCollection',
      'createCollection',
      'put',
      'dropCollection',
      'createIndex',
      'dropIndex',
    ]);

    const replayed = new Engine();
    for (const record of journal) replayed.applyRecord(record);
    expect(dump(replayed)).toEqual(dump(engine));

    const restored = new Engine();
    for (const record of engine.snapshotRecords()) restored.applyRecord(record);
    expect(dump(restored)).toEqual(dump(engine));
    // The unique index is live after a rebuild, not just listed.
    const again = harness();
    for (const record of engine.snapshotRecords()) again.engine.applyRecord(record);
    const dup = again.run({ insert: 'users', documents: [{ email: 'a' }] });
    expect(dup.writeErrors[0].code).toBe(11000);
  });

  it('emits nothing for failed writes and reads', () => {
    if (!isEmbedded) return;
    const { run, journal } = harness();
    run({ createIndexes: 'u', indexes: [{ key: { k: 1 }, name: 'k_1', unique: true }] });
    run({ insert: 'u', documents: [{ _id: 1, k: 1 }] });
    const before = journal.length;
    run({ insert: 'u', documents: [{ _id: 2, k: 1 }] });
    run({ update: 'u', updates: [{ q: { _id: 1 }, u: { $set: { _id: 5 } } }] });
    run({ update: 'u', updates: [{ q: { _id: 1 }, u: { $set: { k: 1 } } }] });
    run({ find: 'u', filter: {} });
    run({ aggregate: 'u', pipeline: [{ $group: { _id: null, n: { $sum: 1 } } }], cursor: {} });
    expect(journal.length).toBe(before);
  });
});

describe('embedded store with a dbpath', () => {
  it('keeps data, indexes and uniqueness across a restart', async () => {
    if (!isEmbedded) return;
    const dbpath = mkdtempSync(join(tmpdir(), 'coop-store-'));
    try {
      const first = await startEmbeddedStore({ dbpath, ttlIntervalMs: 0 });
      const c1 = await new MongoClient(first.uri).connect();
      const users = c1.db('app').collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertMany([{ email: 'a@x' }, { email: 'b@x' }]);
      await users.updateOne(
        { email: 'a@x' },
        { $set: { name: 'Ann' } },
        { writeConcern: { j: true } },
      );
      await users.deleteOne({ email: 'b@x' });
      await c1.close();
      await first.close();

      const second = await startEmbeddedStore({ dbpath, ttlIntervalMs: 0 });
      const c2 = await new MongoClient(second.uri).connect();
      const again = c2.db('app').collection('users');
      expect(await again.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
        { email: 'a@x', name: 'Ann' },
      ]);
      const err = await again.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
      expect((err as MongoServerError).code).toBe(11000);
      await c2.close();
      await second.close();
    } finally {
      rmSync(dbpath, { recursive: true, force: true });
    }
  });

  it('sweeps TTL indexes in the background', async () => {
    if (!isEmbedded) return;
    const store = await startEmbeddedStore({ ttlIntervalMs: 50 });
    const client = await new MongoClient(store.uri).connect();
    try {
      const sessions = client.db('app').collection('sessions');
      await sessions.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 1 });
      await sessions.insertMany([
        { lastSeen: new Date(Date.now() - 5_000) },
        { lastSeen: new Date() },
      ]);
      const deadline = Date.now() + 5_000;
      while ((await sessions.countDocuments()) > 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await sessions.countDocuments()).toBe(1);
    } finally {
      await client.close();
      await store.close();
    }
  });
});
