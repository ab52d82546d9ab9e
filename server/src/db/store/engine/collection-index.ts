import type { Document } from 'bson';
import type { IndexSpec } from '../../journal/types';
import { compareEntries, compareKeyVals, documentKeys, type IndexEntry } from './index-keys';
import { SortedList } from './sorted-list';
import { compareValues, typeRank } from './values';

/** A bound of a range scan on an index's leading field. */
export interface Bound {
  value: unknown;
  inclusive: boolean;
}

export type DocumentFilter = (doc: Document) => boolean;

/** One index of a collection: its spec plus a sorted list of (key, document id) entries. */
export class CollectionIndex {
  readonly fields: string[];
  /** Set once any document produced several keys; range scans then use one bound only. */
  multikey = false;
  private readonly entries = new SortedList<IndexEntry>(compareEntries);

  constructor(
    readonly spec: IndexSpec,
    private readonly partial: DocumentFilter | null,
  ) {
    this.fields = Object.keys(spec.key);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true || this.spec.name === '_id_';
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys a document contributes, or null when the index does not cover it. */
  keysFor(doc: Document): unknown[][] | null {
    if (this.partial && !this.partial(doc)) return null;
    return documentKeys(doc, this.fields, this.spec.sparse === true);
  }

  /** The first key tuple another document already holds, if the index is unique. */
  conflict(keys: unknown[][] | null, selfId: string): unknown[] | undefined {
    if (!keys || !this.unique) return undefined;
    for (const vals of keys) {
      for (const e of this.entries.from((x) => compareKeyVals(x.vals, vals))) {
        if (compareKeyVals(e.vals, vals) !== 0) break;
        if (e.id !== selfId) return vals;
      }
    }
    return undefined;
  }

  add(id: string, keys: unknown[][] | null): void {
    if (!keys) return;
    if (keys.length > 1) this.multikey = true;
    for (const vals of keys) this.entries.insert({ vals, id });
  }

  remove(id: string, keys: unknown[][] | null): void {
    if (!keys) return;
    for (const vals of keys) this.entries.remove({ vals, id });
  }

  clear(): void {
    this.entries.clear();
    this.multikey = false;
  }

  /** Entries whose leading field equals `value`. */
  *equal(value: unknown): Generator<IndexEntry> {
    for (const e of this.entries.from((x) => compareValues(x.vals[0], value))) {
      if (compareValues(e.vals[0], value) !== 0) return;
      yield e;
    }
  }

  /**
   * Entries whose leading field lies between the bounds, within the bounds' BSON type the way
   * MongoDB brackets comparisons by type (`$gt: 5` never matches a string).
   */
  *range(lower: Bound | undefined, upper: Bound | undefined): Generator<IndexEntry> {
    const rank = typeRank((lower ?? upper)?.value);
    const start = lower
      ? (x: IndexEntry): number => {
          const c = compareValues(x.vals[0], lower.value);
          return lower.inclusive ? c : c <= 0 ? -1 : 1;
        }
      : (x: IndexEntry): number => (typeRank(x.vals[0]) < rank ? -1 : 1);
    for (const e of this.entries.from(start)) {
      const v = e.vals[0];
      if (typeRank(v) !== rank) return;
      if (upper) {
        const c = compareValues(v, upper.value);
        if (c > 0 || (c === 0 && !upper.inclusive)) return;
      }
      yield e;
    }
  }
}
