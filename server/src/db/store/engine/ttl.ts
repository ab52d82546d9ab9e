import type { Document } from 'bson';
import type { Engine, RecordSink } from './engine';
import type { DocKey } from './values';

/**
 * Removes documents whose TTL-indexed date is older than `expireAfterSeconds`, using the
 * index's date range rather than scanning the collection. Returns how many were removed.
 */
export function sweepExpired(engine: Engine, now: number, sink: RecordSink): number {
  let removed = 0;
  for (const db of engine.databaseNames()) {
    for (const coll of engine.collections(db)) {
      for (const index of Array.from(coll.indexes.values())) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined) continue;
        const cutoff = new Date(now - seconds * 1000);
        const expired = new Map<DocKey, Document>();
        for (const entry of index.scan([], undefined, { value: cutoff, inclusive: true })) {
          const doc = coll.docs.get(entry.id);
          if (doc) expired.set(entry.id, doc);
        }
        for (const doc of expired.values()) {
          engine.remove(coll, doc, sink);
          removed++;
        }
      }
    }
  }
  return removed;
}
