import { calculateObjectSize, type Document, ObjectId } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../limits';
import type { IndexSpec, JournalRecord } from '../../journal/types';
import { ChangeLog } from '../change-streams/log';
import { MongoError } from '../errors';
import { Collection, ID_INDEX } from './collection';
import type { QueryStats } from './select';
import { isPlainObject } from './values';

/** Receives the journal records describing each change, in order. */
export type RecordSink = JournalRecord[];

function validateDbName(db: string): void {
  if (db.length === 0 || db.length > 63 || /[/\\. "$\0]/.test(db)) {
    throw new MongoError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
}

function validateCollName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.includes('$') || name.includes('\0')) {
    throw new MongoError('InvalidNamespace', `Invalid collection name: ${String(name)}`);
  }
}

/** Refuses documents over MongoDB's 16 MB limit (replies could not carry them). */
export function checkDocumentSize(doc: Document): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    throw new MongoError(
      'BSONObjectTooLarge',
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
}

/** Refuses what MongoDB refuses to store; returns the document with `_id` first. */
export function prepareInsert(doc: unknown): Document {
  if (!isPlainObject(doc)) throw new MongoError('BadValue', 'document to insert must be an object');
  for (const key of Object.keys(doc)) {
    if (key.startsWith('$')) {
      throw new MongoError('BadValue', `Document can't have $ prefixed field names: ${key}`);
    }
  }
  checkDocumentSize(doc);
  const id: unknown = doc._id;
  if (Array.isArray(id)) throw new MongoError('BadValue', "can't use an array for _id");
  if (id instanceof RegExp) throw new MongoError('BadValue', "can't use a regex for _id");
  if (id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id: ignored, ...rest } = doc;
  void ignored;
  return { _id: id, ...rest };
}

/**
 * The in-memory state of every database. Each mutating method applies one change and
 * pushes the journal records that reproduce it.
 */
export class Engine {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  /** Plan and counts of the most recent query, so tests can check an index was used. */
  lastQuery: QueryStats | undefined;
  /** History of the watched namespaces, read by change streams. */
  readonly changes = new ChangeLog();

  databaseNames(): string[] {
    return Array.from(this.dbs.keys());
  }

  collections(db: string): Collection[] {
    return Array.from(this.dbs.get(db)?.values() ?? []);
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Creates the collection if needed (implicit creation by writes and createIndexes). */
  ensureCollection(db: string, name: string, sink: RecordSink): Collection {
    return this.getCollection(db, name) ?? this.createCollection(db, name, {}, sink);
  }

  createCollection(db: string, name: string, options: Document, sink: RecordSink): Collection {
    validateDbName(db);
    validateCollName(name);
    if (this.getCollection(db, name)) {
      throw new MongoError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    }
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    sink.push({ op: 'createCollection', db, coll: name, options });
    return coll;
  }

  dropCollection(db: string, name: string, sink: RecordSink): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    sink.push({ op: 'dropCollection', db, coll: name });
    this.recordDrop(db, name);
    return true;
  }

  dropDatabase(db: string, sink: RecordSink): void {
    const colls = this.dbs.get(db);
    if (!colls || !this.dbs.delete(db)) return;
    sink.push({ op: 'dropDatabase', db });
    for (const name of colls.keys()) this.recordDrop(db, name);
  }

  /** A watched collection's streams see `drop`, then `invalidate`, and close. */
  private recordDrop(db: string, name: string): void {
    if (!this.changes.active || !this.changes.isWatched(db, name)) return;
    this.changes.record('drop', db, name);
    this.changes.record('invalidate', db, name);
  }

  createIndex(coll: Collection, spec: IndexSpec, sink: RecordSink): void {
    coll.addIndex(spec);
    sink.push({ op: 'createIndex', db: coll.db, coll: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string, sink: RecordSink): void {
    coll.dropIndex(name);
    sink.push({ op: 'dropIndex', db: coll.db, coll: coll.name, name });
  }

  insert(coll: Collection, doc: Document, sink: RecordSink): void {
    coll.insert(doc);
    sink.push({ op: 'put', db: coll.db, coll: coll.name, doc });
    if (this.changes.active && this.changes.isWatched(coll.db, coll.name)) {
      this.changes.record('insert', coll.db, coll.name, { doc, id: doc._id });
    }
  }

  /** Stores the new version of a document; `kind` tells change streams how it changed. */
  replace(
    coll: Collection,
    oldDoc: Document,
    newDoc: Document,
    sink: RecordSink,
    kind: 'update' | 'replace' = 'update',
  ): void {
    coll.replace(oldDoc, newDoc);
    sink.push({ op: 'put', db: coll.db, coll: coll.name, doc: newDoc });
    if (this.changes.active && this.changes.isWatched(coll.db, coll.name)) {
      this.changes.record(kind, coll.db, coll.name, {
        doc: newDoc,
        before: oldDoc,
        id: newDoc._id,
      });
    }
  }

  remove(coll: Collection, doc: Document, sink: RecordSink): void {
    coll.remove(doc);
    sink.push({ op: 'delete', db: coll.db, coll: coll.name, id: doc._id });
    if (this.changes.active && this.changes.isWatched(coll.db, coll.name)) {
      this.changes.record('delete', coll.db, coll.name, { id: doc._id });
    }
  }

  /** Documents held across all databases. */
  documentCount(): number {
    let n = 0;
    for (const colls of this.dbs.values()) for (const coll of colls.values()) n += coll.docs.size;
    return n;
  }

  /**
   * Records that rebuild the current state from nothing (for journal compaction). The state
   * is captured when this is called (document references only: stored documents are never
   * mutated), so the records stay consistent even if they are consumed while writes go on.
   */
  snapshotRecords(): Iterable<JournalRecord> {
    const captured = Array.from(this.dbs, ([db, colls]) =>
      Array.from(colls.values(), (coll) => ({
        db,
        name: coll.name,
        options: coll.options,
        specs: coll.indexSpecs().filter((spec) => spec.name !== ID_INDEX.name),
        docs: Array.from(coll.docs.values()),
      })),
    ).flat();
    return (function* (): Generator<JournalRecord> {
      for (const { db, name, options, specs, docs } of captured) {
        yield { op: 'createCollection', db, coll: name, options };
        for (const spec of specs) yield { op: 'createIndex', db, coll: name, spec };
        for (const doc of docs) yield { op: 'put', db, coll: name, doc };
      }
    })();
  }

  /** Replays one journal record (idempotent: replaying a prefix twice gives the same state). */
  applyRecord(record: JournalRecord): void {
    const sink: RecordSink = [];
    switch (record.op) {
      case 'createCollection':
        if (!this.getCollection(record.db, record.coll)) {
          this.createCollection(record.db, record.coll, record.options, sink);
        }
        return;
      case 'dropCollection':
        this.dropCollection(record.db, record.coll, sink);
        return;
      case 'dropDatabase':
        this.dropDatabase(record.db, sink);
        return;
      case 'createIndex': {
        const coll = this.ensureCollection(record.db, record.coll, sink);
        if (!coll.indexes.has(record.spec.name)) coll.addIndex(record.spec);
        return;
      }
      case 'dropIndex':
        this.getCollection(record.db, record.coll)?.indexes.delete(record.name);
        return;
      case 'put': {
        const coll = this.ensureCollection(record.db, record.coll, sink);
        const existing = coll.getById(record.doc._id);
        if (existing) coll.replace(existing, record.doc);
        else coll.insert(record.doc);
        return;
      }
      case 'delete': {
        const coll = this.getCollection(record.db, record.coll);
        const existing = coll?.getById(record.id);
        if (coll && existing) coll.remove(existing);
        return;
      }
    }
  }
}
