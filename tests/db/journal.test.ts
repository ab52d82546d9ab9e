import { Binary, Decimal128, EJSON, Long, ObjectId, UUID } from 'bson';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileDurability } from '../../server/src/db/journal/file-durability';
import { FILE_HEADER_BYTES, FRAME_HEADER_BYTES } from '../../server/src/db/journal/format';
import { journalName } from '../../server/src/db/journal/files';
import { DbpathLockedError, LOCK_FILE } from '../../server/src/db/journal/lock';
import type { JournalRecord } from '../../server/src/db/journal/types';
import { prng } from '../helpers/random';

const dirs: string[] = [];
const open: FileDurability[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-journal-'));
  dirs.push(dir);
  return dir;
}

async function openAt(
  dbpath: string,
): Promise<{ store: FileDurability; records: JournalRecord[] }> {
  const store = new FileDurability({ dbpath });
  const records = await store.open();
  open.push(store);
  return { store, records };
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function put(i: number, extra: Record<string, unknown> = {}): JournalRecord {
  return { op: 'put', db: 'app', coll: 'cards', doc: { _id: i, name: `card ${i}`, ...extra } };
}

/** Canonical text: catches a Long turning into a number or an ObjectId into a string. */
function canonical(records: JournalRecord[]): string {
  return EJSON.stringify(records, { relaxed: false });
}

function journalPath(dbpath: string, generation = 1): string {
  return join(dbpath, journalName(generation));
}

describe('FileDurability', () => {
  it('round-trips every kind of record and BSON value', async () => {
    const dbpath = tempDir();
    const oid = new ObjectId();
    const records: JournalRecord[] = [
      { op: 'createCollection', db: 'app', coll: 'cards', options: { capped: false } },
      {
        op: 'createIndex',
        db: 'app',
        coll: 'cards',
        spec: { name: 'email_1', key: { email: 1 }, unique: true, partialFilterExpression: {} },
      },
      {
        op: 'put',
        db: 'app',
        coll: 'cards',
        doc: {
          _id: oid,
          long: Long.fromString('9007199254740993'),
          dec: Decimal128.fromString('1.10'),
          bin: new Binary(Buffer.from([1, 2, 3])),
          at: new Date(1_700_000_000_000),
          nested: { list: [1, 'two', { three: 3.5 }, null], empty: [] },
          re: /a.c/i,
          big: 2 ** 40,
        },
      },
      { op: 'delete', db: 'app', coll: 'cards', id: oid },
      { op: 'delete', db: 'app', coll: 'cards', id: 'plain string' },
      { op: 'delete', db: 'app', coll: 'cards', id: 42 },
      { op: 'delete', db: 'app', coll: 'cards', id: { compound: [1, 2] } },
      { op: 'delete', db: 'app', coll: 'cards', id: new UUID() },
      { op: 'delete', db: 'app', coll: 'cards', id: null },
      { op: 'dropIndex', db: 'app', coll: 'cards', name: 'email_1' },
      { op: 'dropCollection', db: 'app', coll: 'cards' },
      { op: 'dropDatabase', db: 'app' },
    ];
    const first = await openAt(dbpath);
    expect(first.records).toEqual([]);
    await first.store.append(records.slice(0, 3), { j: false });
    for (const record of records.slice(3)) await first.store.append([record], { j: true });
    await first.store.close();

    const second = await openAt(dbpath);
    expect(canonical(second.records)).toBe(canonical(records));
    expect(second.records[2]).toEqual(records[2]);
    expect(second.store.recovery?.truncatedBytes).toBe(0);
  });

  it('recovers exactly the complete units before a torn tail, at any cut', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    const units: JournalRecord[][] = [];
    const ends: number[] = [];
    for (let i = 0; i < 60; i++) {
      const unit = Array.from({ length: 1 + (i % 3) }, (_, k) => put(i * 10 + k));
      await store.append(unit, { j: false });
      units.push(unit);
      ends.push(store.stats().journalBytes);
    }
    await store.close();
    const size = ends.at(-1)!;

    const random = prng(20240611);
    const cuts = [0, 1, FILE_HEADER_BYTES, FILE_HEADER_BYTES + 3, size - 1];
    for (let i = 0; i < 40; i++) cuts.push(Math.floor(random() * size));
    for (const cut of cuts) {
      const copy = tempDir();
      cpSync(dbpath, copy, { recursive: true });
      truncateSync(journalPath(copy), cut);
      const reopened = await openAt(copy);
      const expected = units.filter((_, i) => ends[i]! <= cut).flat();
      expect(canonical(reopened.records), `cut at ${cut}`).toBe(canonical(expected));

      // The cut tail is gone, so what is appended next is readable after another restart.
      await reopened.store.append([put(999_999)], { j: true });
      await reopened.store.close();
      const again = await openAt(copy);
      expect(canonical(again.records)).toBe(canonical([...expected, put(999_999)]));
      await again.store.close();
    }
  });

  it('stops at a corrupt byte in the middle and truncates from there', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    const ends: number[] = [];
    for (let i = 0; i < 20; i++) {
      await store.append([put(i)], { j: false });
      ends.push(store.stats().journalBytes);
    }
    await store.close();

    const file = journalPath(dbpath);
    const bytes = readFileSync(file);
    const target = ends[9]! + FRAME_HEADER_BYTES + 10; // inside the body of unit 10
    bytes[target] = bytes[target]! ^ 0xff;
    writeFileSync(file, bytes);

    const reopened = await openAt(dbpath);
    expect(reopened.records.map((r) => (r.op === 'put' ? r.doc._id : null))).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
    expect(reopened.store.recovery).toMatchObject({
      stoppedBy: 'checksum',
      truncatedBytes: bytes.length - ends[9]!,
    });
  });

  it('keeps a unit larger than one frame atomic', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    await store.append([put(1)], { j: false });
    const before = store.stats().journalBytes;
    const payload = 'x'.repeat(1_500_000);
    const big = Array.from({ length: 6 }, (_, i) => put(100 + i, { payload }));
    await store.append(big, { j: true });
    const after = store.stats().journalBytes;
    await store.close();

    const whole = await openAt(dbpath);
    expect(whole.records).toHaveLength(7);
    await whole.store.close();

    // Cut inside the last frame: the earlier frames of the unit are whole but must not count.
    truncateSync(journalPath(dbpath), after - 100);
    expect(before).toBeLessThan(after - 5_000_000);
    const cut = await openAt(dbpath);
    expect(canonical(cut.records)).toBe(canonical([put(1)]));
    expect(cut.store.recovery?.truncatedBytes).toBe(after - 100 - before);
  });

  it('splits a unit of many small records over frames and reads it back whole', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    const unit = Array.from({ length: 30_000 }, (_, i) => put(i, { pad: 'x'.repeat(40) }));
    await store.append(unit, { j: false });
    expect(store.stats().journalBytes).toBeGreaterThan(2 * 1024 * 1024);
    await store.append([put(-1)], { j: false });
    await store.close();
    const reopened = await openAt(dbpath);
    expect(canonical(reopened.records)).toBe(canonical([...unit, put(-1)]));
  });

  it('recovers snapshot + journal after compactions interleaved with writes', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    const state = new Map<number, JournalRecord>();
    const write = (i: number, j: boolean): Promise<void> => {
      const record = put(i, { v: Math.random() });
      state.set(i, record);
      return store.append([record], { j });
    };
    const snapshot = (): JournalRecord[] => [
      { op: 'createCollection', db: 'app', coll: 'cards', options: {} },
      ...state.values(),
    ];
    for (let i = 0; i < 200; i++) await write(i, false);
    await store.compact(snapshot);
    expect(store.stats()).toMatchObject({ compactions: 1, generation: 2 });

    // Writes racing a compaction land in one journal or the other, never in neither.
    const racing: Promise<void>[] = [];
    for (let i = 100; i < 300; i++) racing.push(write(i, i % 2 === 0));
    const compaction = store.compact(snapshot);
    for (let i = 300; i < 400; i++) racing.push(write(i, i % 3 === 0));
    await Promise.all([...racing, compaction]);
    for (let i = 0; i < 50; i++) await write(i, false);
    await store.close();

    expect(readdirSync(dbpath).sort()).toEqual([journalName(3), 'snapshot.00000003']);
    const reopened = await openAt(dbpath);
    const rebuilt = new Map<number, JournalRecord>();
    for (const record of reopened.records) {
      if (record.op === 'put') rebuilt.set(record.doc._id as number, record);
    }
    expect(canonical([...rebuilt.values()].sort(byId))).toBe(
      canonical([...state.values()].sort(byId)),
    );
  });

  it('replays every journal from the newest snapshot when a compaction was cut short', async () => {
    const dbpath = tempDir();
    const { store } = await openAt(dbpath);
    await store.append([put(1)], { j: false });
    await store.compact(() => [put(1)]);
    await store.append([put(2)], { j: false });
    await store.close();
    // Simulate a crash after a second compaction switched journals but before its
    // snapshot was renamed into place: journal 3 exists next to snapshot 2 + journal 2.
    const partial = tempDir();
    cpSync(dbpath, partial, { recursive: true });
    const other = tempDir();
    const helper = await openAt(other);
    await helper.store.append([put(0)], { j: false });
    await helper.store.compact(() => []);
    await helper.store.compact(() => []);
    await helper.store.append([put(3)], { j: false });
    await helper.store.close();
    cpSync(journalPath(other, 3), journalPath(partial, 3));
    writeFileSync(join(partial, 'snapshot.00000003.tmp'), 'half-written');

    const reopened = await openAt(partial);
    expect(canonical(reopened.records)).toBe(canonical([put(1), put(2), put(3)]));
    expect(readdirSync(partial)).not.toContain('snapshot.00000003.tmp');
  });

  it('refuses a second opener while the first holds the dbpath', async () => {
    const dbpath = tempDir();
    const first = await openAt(dbpath);
    const second = new FileDurability({ dbpath });
    await expect(second.open()).rejects.toBeInstanceOf(DbpathLockedError);
    await expect(second.open()).rejects.toThrow(/in use by process \d+/);
    await first.store.close();
    expect(readdirSync(dbpath)).not.toContain(LOCK_FILE);

    const third = await openAt(dbpath);
    expect(third.records).toEqual([]);
  });

  it('takes over a stale lock left by a dead process or an earlier same-pid run', async () => {
    const dbpath = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dbpath, LOCK_FILE), `${dead.stdout.toString()}\n`);
    const first = await openAt(dbpath);
    await first.store.close();

    // An earlier process with this process's pid wrote it, before this process started.
    writeFileSync(join(dbpath, LOCK_FILE), `${process.pid}\n`);
    const before = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    utimesSync(join(dbpath, LOCK_FILE), before, before);
    const second = await openAt(dbpath);
    expect(readFileSync(join(dbpath, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await second.store.close();
  });

  it('refuses a lock this process took since it started, from whichever thread', async () => {
    const dbpath = tempDir();
    // What a store on another thread of this process leaves: our pid, written just now.
    writeFileSync(join(dbpath, LOCK_FILE), `${process.pid}\n`);
    await expect(new FileDurability({ dbpath }).open()).rejects.toThrow(
      new RegExp(`in use by process ${process.pid}`),
    );
    expect(readFileSync(join(dbpath, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
  });

  it('groups concurrent j:true appends into fewer fsyncs', async () => {
    const { store } = await openAt(tempDir());
    const before = store.stats().fsyncs;
    const n = 64;
    await Promise.all(Array.from({ length: n }, (_, i) => store.append([put(i)], { j: true })));
    const used = store.stats().fsyncs - before;
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThan(n / 4);
  });

  it('fsyncs plain appends in the background within the sync interval', async () => {
    const dbpath = tempDir();
    const store = new FileDurability({ dbpath, syncIntervalMs: 20 });
    await store.open();
    open.push(store);
    await store.append([put(1)], { j: false });
    expect(store.stats().fsyncs).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(store.stats().fsyncs).toBeGreaterThanOrEqual(1);
  });

  it('refuses appends after close', async () => {
    const { store } = await openAt(tempDir());
    await store.close();
    await expect(store.append([put(1)], { j: false })).rejects.toThrow(/not open/);
  });
});

function byId(a: JournalRecord, b: JournalRecord): number {
  const ia = a.op === 'put' ? (a.doc._id as number) : 0;
  const ib = b.op === 'put' ? (b.doc._id as number) : 0;
  return ia - ib;
}
