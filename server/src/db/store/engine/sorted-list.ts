/**
 * A sorted sequence kept as a list of bounded chunks: O(log n) search, and inserts only move
 * one chunk's elements, so a million random-order inserts stay cheap (a flat sorted array
 * would move half a million references per insert).
 */
export class SortedList<E> {
  private chunks: E[][] = [];
  private count = 0;

  constructor(
    private readonly cmp: (a: E, b: E) => number,
    private readonly chunkSize = 256,
  ) {}

  get size(): number {
    return this.count;
  }

  /**
   * Index of the first chunk whose last element is not below the target. `probe(e)` answers
   * the sign of `e` relative to the target.
   */
  private chunkFor(probe: (e: E) => number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as E[];
      if (probe(chunk[chunk.length - 1] as E) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static lowerBound<E>(chunk: E[], probe: (e: E) => number): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (probe(chunk[mid] as E) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(e: E): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([e]);
      return;
    }
    let ci = this.chunkFor((x) => this.cmp(x, e));
    if (ci === this.chunks.length) ci--;
    const chunk = this.chunks[ci] as E[];
    chunk.splice(
      SortedList.lowerBound(chunk, (x) => this.cmp(x, e)),
      0,
      e,
    );
    if (chunk.length > this.chunkSize * 2) {
      this.chunks.splice(ci + 1, 0, chunk.splice(this.chunkSize));
    }
  }

  /** Removes the element comparing equal to `e`; false when absent. */
  remove(e: E): boolean {
    const ci = this.chunkFor((x) => this.cmp(x, e));
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const pos = SortedList.lowerBound(chunk, (x) => this.cmp(x, e));
    if (pos >= chunk.length || this.cmp(chunk[pos] as E, e) !== 0) return false;
    chunk.splice(pos, 1);
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    this.count--;
    return true;
  }

  /** Yields elements in order starting at the first one with `probe(e) >= 0`. */
  *from(probe: (e: E) => number): Generator<E> {
    let ci = this.chunkFor(probe);
    let pos = ci < this.chunks.length ? SortedList.lowerBound(this.chunks[ci] as E[], probe) : 0;
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const chunk = this.chunks[ci] as E[];
      for (; pos < chunk.length; pos++) yield chunk[pos] as E;
    }
  }

  /**
   * Yields elements in reverse order starting at the last one with `probe(e) <= 0` (a probe
   * answering 0 or less for everything up to the target).
   */
  *before(probe: (e: E) => number): Generator<E> {
    // The walk starts just before the first element past the target, found like `from`'s
    // start with a probe that counts the target's equals as below it (once per walk).
    const past = (x: E) => (probe(x) <= 0 ? -1 : 1);
    let ci = this.chunkFor(past);
    let pos: number;
    if (ci === this.chunks.length) {
      ci--;
      pos = ci >= 0 ? (this.chunks[ci] as E[]).length - 1 : -1;
    } else {
      pos = SortedList.lowerBound(this.chunks[ci] as E[], past) - 1;
    }
    for (; ci >= 0; ci--) {
      const chunk = this.chunks[ci] as E[];
      if (pos >= chunk.length) pos = chunk.length - 1;
      for (; pos >= 0; pos--) yield chunk[pos] as E;
      pos = Infinity;
    }
  }

  *[Symbol.iterator](): Generator<E> {
    for (const chunk of this.chunks) yield* chunk;
  }

  clear(): void {
    this.chunks = [];
    this.count = 0;
  }
}
