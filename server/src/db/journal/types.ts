/**
 * The contract between the embedded store's in-memory engine (`../store/`) and its
 * durability layer (this folder). The engine describes every committed change as
 * journal records; the durability layer makes them survive a crash and hands them
 * back, in order, on the next start.
 */
import type { Document } from 'bson';

/** An index as `createIndexes` receives it and `listIndexes` reports it. */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/**
 * One logical change. Writes are logged as post-images (the whole document after the
 * change) so that replay is deterministic and never re-runs an update operator.
 */
export type JournalRecord =
  | { op: 'createCollection'; db: string; coll: string; options: Document }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'delete'; db: string; coll: string; id: unknown };

export interface DurabilityOptions {
  /** Directory holding the journal, snapshots and the lock file. */
  dbpath: string;
  /** Background fsync period; MongoDB's promise is at most 100 ms. */
  syncIntervalMs?: number;
  /** Notable events (a torn journal tail cut off on recovery, a failed fsync). */
  onLog?: (msg: string, meta?: Record<string, unknown>) => void;
}

/**
 * What the engine needs from persistence. With no dbpath the engine runs without one
 * (pure in-memory).
 */
export interface Durability {
  /** Takes the lock and returns every record needed to rebuild the state, in order. */
  open(): Promise<JournalRecord[]>;
  /**
   * Appends the records of one acknowledged write as one atomic unit. Returns once the
   * bytes are handed to the OS (they survive the process being killed); with `j: true`
   * once they are fsync'd (grouped with concurrent callers).
   */
  append(records: JournalRecord[], options: { j: boolean }): Promise<void>;
  /**
   * Rewrites the state as a snapshot and truncates the journal. `state()` is consumed
   * synchronously, in the same turn as the switch to a fresh journal, so it must reflect
   * exactly the records already passed to `append()`: apply a change in memory and append
   * its records in one synchronous turn (no `await` in between). The records are then
   * serialized over several turns, so the documents in them must not be mutated in place
   * afterwards (updates replace the document object).
   */
  compact(state: () => Iterable<JournalRecord>): Promise<void>;
  /** Flushes, fsyncs and releases the lock. */
  close(): Promise<void>;
}
