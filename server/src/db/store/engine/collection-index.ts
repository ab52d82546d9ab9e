import type { Document } from 'bson';
import type { IndexSpec } from '../../journal/types';
import { compareCompound, compareSingle, documentKeys, type IndexEntry } from './index-keys';
import { SortedList } from './sorted-list';
import { compareValues, type DocKey, typeRank } from './values';

/** A bound of a range scan on an index's leading field. */
export interface Bound {
  value: unknown;
  inclusive: boolean;
}

export type DocumentFilter = (doc: Document) => boolean;

export interface IndexOptions {
  partial?: DocumentFilter | null;
  /**
   * Builds the entries from the documents on first use instead of maintaining them from the
   * start: the `_id` index answers equality from the collection's map, and most
   * collections never see an `_id` range query.
   */
  lazySource?: () => Iterable<[DocKey, Document]>;
}

/** One index of a collection: its spec plus a sorted list of (key, document id) entries. */
export class CollectionIndex {
  readonly fields: string[];
  /** Set once any document produced several keys; range scans then use one bound only. */
  multikey = false;
  private readonly compound: boolean;
  private readonly entries: SortedList<IndexEntry>;
  private readonly partial: DocumentFilter | null;
  private lazySource: (() => Iterable<[DocKey, Document]>) | undefined;

  constructor(
    readonly spec: IndexSpec,
    options: IndexOptions = {},
  ) {
    this.fields = Object.keys(spec.key);
    this.compound = this.fields.length > 1;
    this.entries = new SortedList<IndexEntry>(this.compound ? compareCompound : compareSingle);
    this.partial = options.partial ?? null;
    this.lazySource = options.lazySource;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true || this.spec.name === '_id_';
  }

  /** Keys a document contributes, or null when the index does not cover it. */
  keysFor(doc: Document): unknown[][] | null {
    if (this.partial && !this.partial(doc)) return null;
    return documentKeys(doc, this.fields, this.spec.sparse === true);
  }

  private keyOf(tuple: unknown[]): unknown {
    return this.compound ? tuple : tuple[0];
  }

  private materialize(): void {
    const source = this.lazySource;
    if (!source) return;
    this.lazySource = undefined;
    for (const [id, doc] of source()) this.add(id, this.keysFor(doc));
  }

  /** The first key tuple another document already holds, if the index is unique. */
  conflict(keys: unknown[][] | null, selfId: DocKey): unknown[] | undefined {
    if (!keys || !this.unique) return undefined;
    this.materialize();
    for (const tuple of keys) {
      const probe: IndexEntry = { k: this.keyOf(tuple), id: -Infinity };
      const cmp = this.compound ? compareCompound : compareSingle;
      for (const e of this.entries.from((x) => cmp(x, probe) || 1)) {
        if (cmp(e, { k: probe.k, id: e.id }) !== 0) break;
        if (e.id !== selfId) return tuple;
      }
    }
    return undefined;
  }

  add(id: DocKey, keys: unknown[][] | null): void {
    if (!keys || this.lazySource) return;
    if (keys.length > 1) this.multikey = true;
    for (const tuple of keys) this.entries.insert({ k: this.keyOf(tuple), id });
  }

  remove(id: DocKey, keys: unknown[][] | null): void {
    if (!keys || this.lazySource) return;
    for (const tuple of keys) this.entries.remove({ k: this.keyOf(tuple), id });
  }

  private comparePrefix(e: IndexEntry, prefix: unknown[]): number {
    for (let i = 0; i < prefix.length; i++) {
      const c = compareValues(this.part(e, i), prefix[i]);
      if (c !== 0) return c;
    }
    return 0;
  }

  /**
   * Sign of entry `x` against one end of a scan: its prefix, then its `edge` bound (or, for
   * a scan bounded on the other side only, the bounds' BSON type). `side` is -1 for the
   * start and 1 for the end: an entry equal to an exclusive bound, or of the bounds' type
   * when this end has no bound, counts as outside the start and inside the end.
   */
  private edgeProbe(
    x: IndexEntry,
    prefix: unknown[],
    edge: Bound | undefined,
    rank: number,
    bounded: boolean,
    side: -1 | 1,
  ): number {
    const c = this.comparePrefix(x, prefix);
    if (c !== 0 || !bounded) return c;
    const v = this.part(x, prefix.length);
    if (!edge) {
      const r = typeRank(v);
      return r === rank ? -side : r < rank ? -1 : 1;
    }
    const d = compareValues(v, edge.value);
    return d === 0 && !edge.inclusive ? side : d;
  }

  /** Field `i` of an entry's key. */
  private part(e: IndexEntry, i: number): unknown {
    return this.compound ? (e.k as unknown[])[i] : i === 0 ? e.k : undefined;
  }

  /**
   * Entries whose first fields equal `prefix` and whose next field lies between the bounds,
   * within the bounds' BSON type the way MongoDB brackets comparisons by type (`$gt: 5`
   * never matches a string).
   */
  *scan(prefix: unknown[], lower?: Bound, upper?: Bound): Generator<IndexEntry> {
    this.materialize();
    const bound = lower ?? upper;
    const rank = bound ? typeRank(bound.value) : 0;
    // Probes are passed inline: per-call named closures cost a property definition each
    // under the runtime's keep-names transform.
    const entries = this.entries.from((x) =>
      this.edgeProbe(x, prefix, lower, rank, bound !== undefined, -1),
    );
    for (const e of entries) {
      if (!this.within(e, prefix, rank, bound !== undefined, upper, 1)) return;
      yield e;
    }
  }

  /**
   * Whether entry `e`, reached walking towards the `far` bound (`direction` 1 forwards to
   * the upper bound, -1 backwards to the lower), is still inside the scan: same prefix,
   * then (for a bounded scan) the bounds' BSON type and not past `far`.
   */
  private within(
    e: IndexEntry,
    prefix: unknown[],
    rank: number,
    bounded: boolean,
    far: Bound | undefined,
    direction: 1 | -1,
  ): boolean {
    if (this.comparePrefix(e, prefix) !== 0) return false;
    if (!bounded) return true;
    const v = this.part(e, prefix.length);
    if (typeRank(v) !== rank) return false;
    if (!far) return true;
    const c = compareValues(v, far.value) * direction;
    return c < 0 || (c === 0 && far.inclusive);
  }

  /** The entries `scan` yields, in reverse order (for descending sorts). */
  *scanReverse(prefix: unknown[], lower?: Bound, upper?: Bound): Generator<IndexEntry> {
    this.materialize();
    const bound = upper ?? lower;
    const rank = bound ? typeRank(bound.value) : 0;
    const entries = this.entries.before((x) =>
      this.edgeProbe(x, prefix, upper, rank, bound !== undefined, 1),
    );
    for (const e of entries) {
      if (!this.within(e, prefix, rank, bound !== undefined, lower, -1)) return;
      yield e;
    }
  }
}
