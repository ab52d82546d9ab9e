/** Upserts: seeding the inserted document from the filter, as MongoDB does. */
import { type Document, ObjectId } from 'bson';
import { MongoError } from '../errors';
import { setPath } from './paths';
import {
  applyUpdate,
  type UpdateOptions,
  type UpdateSpec,
  updateKind,
  withIdFirst,
} from './update';
import { deepClone, isPlainObject, valuesEqual } from './values';

/** Seeds an upserted document with the filter's equality conditions, as MongoDB does. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const visit = (filter: Document): void => {
    for (const [key, value] of Object.entries(filter)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (isPlainObject(value)) {
        const keys = Object.keys(value);
        if (keys.some((k) => k.startsWith('$'))) {
          if ('$eq' in value) setPath(seed, key, deepClone(value.$eq));
          continue;
        }
      }
      if (value instanceof RegExp) continue;
      setPath(seed, key, deepClone(value));
    }
  };
  visit(query);
  return seed;
}

/** The document an upsert inserts when nothing matched. */
export function buildUpsert(
  query: Document,
  u: UpdateSpec,
  options: Omit<UpdateOptions, 'inserting'>,
): Document {
  const seed = upsertSeed(query);
  let doc: Document;
  if (updateKind(u) === 'replacement') {
    const replacement = u as Document;
    doc = { ...replacement };
    if (!('_id' in doc) && '_id' in seed) doc._id = seed._id;
  } else {
    doc = applyUpdate(seed, u, { ...options, inserting: true }).doc;
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  if ('_id' in seed && !valuesEqual(seed._id, doc._id)) {
    throw new MongoError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return withIdFirst(doc, doc._id);
}
