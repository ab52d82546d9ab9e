/** Change events in the shape MongoDB 7 sends them (field order included). */
import type { Document } from 'bson';
import { isPlainObject, valuesEqual } from '../engine/values';
import type { ChangeRecord } from './log';
import { encodeToken } from './tokens';

export type FullDocumentMode = 'default' | 'updateLookup';

/** Looks a document up by `_id` at read time (for `fullDocument: 'updateLookup'`). */
export type DocumentLookup = (db: string, coll: string, id: unknown) => Document | null;

/**
 * The fields an update set and removed. Computed by comparing the documents, descending into
 * embedded documents; an array that changed is reported whole, where MongoDB may report
 * single elements (`tags.3`) for operators like `$push`.
 */
export function updateDescription(before: Document, after: Document): Document {
  const updatedFields: Document = {};
  const removedFields: string[] = [];
  const walk = (old: Document, next: Document, prefix: string): void => {
    for (const key of Object.keys(next)) {
      const path = prefix + key;
      if (!(key in old)) {
        updatedFields[path] = next[key];
        continue;
      }
      const a: unknown = old[key];
      const b: unknown = next[key];
      if (valuesEqual(a, b)) continue;
      if (isPlainObject(a) && isPlainObject(b) && Object.keys(b).length > 0) walk(a, b, `${path}.`);
      else updatedFields[path] = b;
    }
    for (const key of Object.keys(old)) if (!(key in next)) removedFields.push(prefix + key);
  };
  walk(before, after, '');
  return { updatedFields, removedFields, truncatedArrays: [] };
}

/** Builds the event a stream returns for one recorded change. */
export function changeEvent(
  change: ChangeRecord,
  epoch: string,
  fullDocument: FullDocumentMode,
  lookup: DocumentLookup,
): Document {
  const head: Document = {
    _id: encodeToken(epoch, change.seq, change.kind === 'invalidate'),
    operationType: change.kind,
    clusterTime: change.clusterTime,
    wallTime: change.wallTime,
  };
  const ns = { db: change.db, coll: change.coll };
  switch (change.kind) {
    case 'insert':
    case 'replace':
      return { ...head, fullDocument: change.doc, ns, documentKey: { _id: change.id } };
    case 'update': {
      const event: Document = {
        ...head,
        ns,
        documentKey: { _id: change.id },
        updateDescription: updateDescription(change.before ?? {}, change.doc ?? {}),
      };
      if (fullDocument === 'updateLookup') {
        event.fullDocument = lookup(change.db, change.coll, change.id);
      }
      return event;
    }
    case 'delete':
      return { ...head, ns, documentKey: { _id: change.id } };
    case 'drop':
      return { ...head, ns };
    case 'invalidate':
      return head;
  }
}
