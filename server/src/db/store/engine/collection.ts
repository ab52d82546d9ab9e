import { type Document, UUID } from 'bson';
import type { IndexSpec } from '../../journal/types';
import { MongoError } from '../errors';
import { CollectionIndex } from './collection-index';
import { duplicateKeyError } from './index-keys';
import { sealDocument } from './intern';
import { compileFilter } from './query';
import { compareValues, type DocKey, docKey } from './values';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };

/**
 * One collection: documents by canonical `_id` key plus its indexes. Stored documents are
 * never mutated (updates store a new object), so cursors and journal records can hold them.
 */
export class Collection {
  readonly docs = new Map<DocKey, Document>();
  readonly indexes = new Map<string, CollectionIndex>();
  readonly uuid = new UUID();

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document,
  ) {
    this.indexes.set(
      ID_INDEX.name,
      new CollectionIndex(ID_INDEX, { lazySource: () => this.docs.entries() }),
    );
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Refuses `keys` for document `id` when another document holds one in a unique index. */
  private assertUnique(index: CollectionIndex, keys: unknown[][] | null, id: DocKey): void {
    const dup = index.name === '_id_' ? undefined : index.conflict(keys, id);
    if (dup) throw duplicateKeyError(this.ns, index.name, index.spec.key, dup);
  }

  /** Keys of `doc` in every index, refusing the write if a unique index already holds one. */
  private keysChecked(doc: Document, id: DocKey): Array<unknown[][] | null> {
    return Array.from(this.indexes.values(), (index) => {
      const keys = index.keysFor(doc);
      this.assertUnique(index, keys, id);
      return keys;
    });
  }

  /** Adds a document atomically: every check runs before any index changes. */
  insert(doc: Document): void {
    sealDocument(doc);
    const id = docKey(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, [doc._id]);
    const keys = this.keysChecked(doc, id);
    let i = 0;
    for (const index of this.indexes.values()) index.add(id, keys[i++] ?? null);
    this.docs.set(id, doc);
  }

  /**
   * Swaps a stored document for its updated version (same `_id`), atomically. Only the
   * indexes whose keys the update changed are touched: most updates move a counter or a
   * timestamp that no index holds.
   */
  replace(oldDoc: Document, newDoc: Document): void {
    sealDocument(newDoc);
    const id = docKey(oldDoc._id);
    const moves: {
      index: CollectionIndex;
      before: unknown[][] | null;
      after: unknown[][] | null;
    }[] = [];
    for (const index of this.indexes.values()) {
      const before = index.keysFor(oldDoc);
      const after = index.keysFor(newDoc);
      if (sameKeys(before, after)) continue;
      this.assertUnique(index, after, id);
      moves.push({ index, before, after });
    }
    for (const { index, before, after } of moves) {
      index.remove(id, before);
      index.add(id, after);
    }
    this.docs.set(id, newDoc);
  }

  remove(doc: Document): void {
    const id = docKey(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes.values()) index.remove(id, index.keysFor(doc));
  }

  getById(id: unknown): Document | undefined {
    return this.docs.get(docKey(id));
  }

  /** Builds an index over the existing documents; on a duplicate nothing is added. */
  addIndex(spec: IndexSpec): void {
    const partial = spec.partialFilterExpression
      ? compileFilter(spec.partialFilterExpression)
      : null;
    const index = new CollectionIndex(spec, {
      partial: partial ? (doc) => partial.test(doc) : null,
    });
    for (const [id, doc] of this.docs) {
      const keys = index.keysFor(doc);
      const dup = index.conflict(keys, id);
      if (dup) throw duplicateKeyError(this.ns, spec.name, spec.key, dup);
      index.add(id, keys);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoError('InvalidOptions', 'cannot drop _id index');
    if (!this.indexes.delete(name)) {
      throw new MongoError('IndexNotFound', `index not found with name [${name}]`);
    }
  }

  indexSpecs(): IndexSpec[] {
    return Array.from(this.indexes.values(), (index) => index.spec);
  }
}

/** The same value for an index: equal in its order and of the same kind (1 is not 1n). */
function sameKeyValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'object' && a !== null && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  }
  return compareValues(a, b) === 0;
}

/** Whether a document's keys in one index are the same before and after an update. */
function sameKeys(before: unknown[][] | null, after: unknown[][] | null): boolean {
  if (before === null || after === null) return before === after;
  if (before.length !== after.length) return false;
  for (let t = 0; t < before.length; t++) {
    const x = before[t] as unknown[];
    const y = after[t] as unknown[];
    if (x.length !== y.length) return false;
    for (let f = 0; f < x.length; f++) if (!sameKeyValue(x[f], y[f])) return false;
  }
  return true;
}
