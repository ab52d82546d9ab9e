/**
 * The store's change history (its "oplog"), kept in memory for the namespaces that change
 * streams watch. Recording starts the first time a stream opens on a namespace (so writes to
 * unwatched collections cost one map lookup) and keeps the most recent changes for resuming.
 *
 * A change becomes visible to streams only once it is committed: for a durable store, after
 * its journal record reached the file, as MongoDB shows only majority-committed changes.
 */
import { randomBytes } from 'node:crypto';
import type { Document, Timestamp } from 'bson';
import { ClusterClock, compareTimestamps } from './tokens';

export type ChangeKind = 'insert' | 'update' | 'replace' | 'delete' | 'drop' | 'invalidate';

/** One change, holding references to stored documents (which are never mutated). */
export interface ChangeRecord {
  seq: number;
  kind: ChangeKind;
  db: string;
  coll: string;
  clusterTime: Timestamp;
  wallTime: Date;
  /** The document after an insert, update or replacement. */
  doc?: Document;
  /** The document before an update (for its update description). */
  before?: Document;
  /** `_id` of the changed document (insert, update, replace, delete). */
  id?: unknown;
}

/** Changes kept per namespace for resuming; older ones are forgotten (history lost). */
export const MAX_CHANGES_PER_NAMESPACE = 10_000;

export interface NamespaceLog {
  changes: ChangeRecord[];
  /**
   * The history is complete after this sequence number and cluster time: recording began
   * there, or the newest forgotten change was there.
   */
  completeAfter: number;
  completeAfterTime: Timestamp;
}

interface Waiter {
  ns: string;
  wake: () => void;
}

export class ChangeLog {
  /** Distinguishes this process's tokens from those of an earlier run. */
  readonly epoch = randomBytes(4).toString('hex');
  private readonly logs = new Map<string, NamespaceLog>();
  private readonly clock = new ClusterClock();
  private seq = 0;
  private committedSeq = 0;
  /** Recorded but not yet committed changes, oldest first. */
  private uncommitted: ChangeRecord[] = [];
  private readonly waiters = new Set<Waiter>();

  /** True once any namespace is watched: writes only then pay for recording. */
  get active(): boolean {
    return this.logs.size > 0;
  }

  /** The newest committed sequence number: streams have seen everything up to it. */
  get committed(): number {
    return this.committedSeq;
  }

  /** Starts recording a namespace (if not already) and returns its history. */
  watch(ns: string): NamespaceLog {
    let log = this.logs.get(ns);
    if (!log) {
      const now = this.clock.peek(Date.now());
      // Changes committed so far were not recorded; everything after them will be.
      log = { changes: [], completeAfter: this.committedSeq, completeAfterTime: now };
      this.logs.set(ns, log);
    }
    return log;
  }

  history(ns: string): NamespaceLog | undefined {
    return this.logs.get(ns);
  }

  isWatched(db: string, coll: string): boolean {
    return this.logs.has(`${db}.${coll}`);
  }

  /** Records a change of a watched namespace (callers check {@link isWatched} first). */
  record(
    kind: ChangeKind,
    db: string,
    coll: string,
    fields: Pick<ChangeRecord, 'doc' | 'before' | 'id'> = {},
  ): void {
    const log = this.logs.get(`${db}.${coll}`);
    if (!log) return;
    const now = Date.now();
    const change: ChangeRecord = {
      seq: ++this.seq,
      kind,
      db,
      coll,
      clusterTime: this.clock.tick(now),
      wallTime: new Date(now),
      ...fields,
    };
    log.changes.push(change);
    this.uncommitted.push(change);
    // Forget in chunks so a busy namespace does not shift its array on every write.
    if (log.changes.length > MAX_CHANGES_PER_NAMESPACE * 1.25) {
      const forgotten = log.changes.splice(0, log.changes.length - MAX_CHANGES_PER_NAMESPACE);
      const newest = forgotten[forgotten.length - 1] as ChangeRecord;
      log.completeAfter = newest.seq;
      log.completeAfterTime = newest.clusterTime;
    }
  }

  /** The sequence number of the latest recorded change (to commit up to, later). */
  mark(): number {
    return this.seq;
  }

  /**
   * Makes every change up to `mark` visible and wakes the streams waiting on them. Commits
   * are cumulative: the journal is written in order, so a later change reaching it means
   * every earlier one did too.
   */
  commit(mark: number = this.seq): void {
    if (mark <= this.committedSeq) return;
    this.committedSeq = mark;
    const touched = new Set<string>();
    let done = 0;
    while (done < this.uncommitted.length && (this.uncommitted[done] as ChangeRecord).seq <= mark) {
      const change = this.uncommitted[done] as ChangeRecord;
      touched.add(`${change.db}.${change.coll}`);
      done++;
    }
    this.uncommitted = done === this.uncommitted.length ? [] : this.uncommitted.slice(done);
    if (touched.size === 0) return;
    for (const waiter of Array.from(this.waiters)) {
      if (touched.has(waiter.ns)) waiter.wake();
    }
  }

  /** Committed changes of `ns` after sequence number `after`, oldest first. */
  *committedAfter(ns: string, after: number): Generator<ChangeRecord> {
    const changes = this.logs.get(ns)?.changes;
    if (!changes) return;
    let lo = 0;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((changes[mid] as ChangeRecord).seq <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < changes.length; i++) {
      const change = changes[i] as ChangeRecord;
      if (change.seq > this.committedSeq) return;
      yield change;
    }
  }

  /** The sequence number of the newest change of `ns` before cluster time `time`. */
  positionBefore(ns: string, time: Timestamp): number {
    const log = this.logs.get(ns);
    if (!log) return this.committedSeq;
    let position = log.completeAfter;
    for (const change of log.changes) {
      if (compareTimestamps(change.clusterTime, time) >= 0) break;
      position = change.seq;
    }
    return position;
  }

  /**
   * Resolves after `ms`, or earlier once a change of `ns` is committed, or when the returned
   * cancel function runs.
   */
  waitFor(ns: string, ms: number): { done: Promise<void>; cancel: () => void } {
    let cancel: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      const waiter: Waiter = {
        ns,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      // The store must not stay alive only because a stream is waiting.
      const timer = setTimeout(waiter.wake, ms);
      timer.unref();
      this.waiters.add(waiter);
      cancel = waiter.wake;
    });
    return { done, cancel };
  }
}
