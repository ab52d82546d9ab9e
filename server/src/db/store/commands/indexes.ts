/** createIndexes, listIndexes, dropIndexes. */
import type { Document } from 'bson';
import type { IndexSpec } from '../../journal/types';
import type { Collection } from '../engine/collection';
import { isPlainObject, keyString } from '../engine/values';
import { MongoError } from '../errors';
import { type CommandHandler, collectionName, documentArray } from './context';

const IGNORED_INDEX_OPTIONS = new Set([
  'key',
  'name',
  'v',
  'background',
  'ns',
  'hidden',
  'storageEngine',
]);

function parseKey(raw: unknown): Record<string, 1 | -1> {
  if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
    throw new MongoError('CannotCreateIndex', 'Index keys cannot be an empty field.');
  }
  const key: Record<string, 1 | -1> = {};
  for (const [field, dir] of Object.entries(raw)) {
    if (typeof dir === 'string') {
      throw new MongoError(
        'NotImplemented',
        `'${dir}' indexes are not supported by the embedded store`,
      );
    }
    if (typeof dir !== 'number' || dir === 0 || Number.isNaN(dir)) {
      throw new MongoError(
        'CannotCreateIndex',
        `Values in the index key pattern can't be 0 or NaN: ${field}`,
      );
    }
    key[field] = dir > 0 ? 1 : -1;
  }
  return key;
}

export function parseIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw))
    throw new MongoError('TypeMismatch', 'index specification must be an object');
  const key = parseKey(raw.key);
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${d}`)
          .join('_');
  const spec: IndexSpec = { name, key };
  for (const [option, value] of Object.entries(raw)) {
    if (IGNORED_INDEX_OPTIONS.has(option)) continue;
    switch (option) {
      case 'unique':
      case 'sparse':
        if (value === true) spec[option] = true;
        break;
      case 'partialFilterExpression':
        if (!isPlainObject(value))
          throw new MongoError('TypeMismatch', 'partialFilterExpression must be an object');
        spec.partialFilterExpression = value;
        break;
      case 'expireAfterSeconds':
        if (typeof value !== 'number' || value < 0) {
          throw new MongoError(
            'CannotCreateIndex',
            "TTL index 'expireAfterSeconds' option must be a non-negative number",
          );
        }
        if (Object.keys(key).length > 1) {
          throw new MongoError(
            'CannotCreateIndex',
            'TTL indexes are single-field indexes, compound indexes do not support TTL',
          );
        }
        spec.expireAfterSeconds = value;
        break;
      default:
        throw new MongoError(
          'NotImplemented',
          `index option '${option}' is not supported by the embedded store`,
        );
    }
  }
  if (name === '_id_' && (spec.unique || spec.sparse || spec.partialFilterExpression)) {
    throw new MongoError(
      'InvalidOptions',
      `The field '${Object.keys(spec).find((k) => k !== 'name' && k !== 'key') ?? ''}' is not valid for an _id index specification.`,
    );
  }
  return spec;
}

/** Options that make two indexes on the same key different indexes. */
function optionsKey(spec: IndexSpec): string {
  return keyString([
    spec.unique === true,
    spec.sparse === true,
    spec.partialFilterExpression ?? null,
    spec.expireAfterSeconds ?? null,
  ]);
}

function sameKey(a: IndexSpec, b: IndexSpec): boolean {
  return keyString(a.key) === keyString(b.key);
}

/** Whether `spec` already exists (true), is new (false), or conflicts (throws 85/86). */
function alreadyExists(coll: Collection, spec: IndexSpec): boolean {
  const byName = coll.indexes.get(spec.name)?.spec;
  if (byName) {
    if (!sameKey(byName, spec)) {
      throw new MongoError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`,
      );
    }
    if (byName.name === '_id_' || optionsKey(byName) === optionsKey(spec)) return true;
    throw new MongoError(
      'IndexOptionsConflict',
      `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`,
    );
  }
  for (const index of coll.indexes.values()) {
    const existing = index.spec;
    if (!sameKey(existing, spec)) continue;
    if (
      keyString(existing.partialFilterExpression ?? null) !==
      keyString(spec.partialFilterExpression ?? null)
    )
      continue;
    if (existing.name === '_id_' && optionsKey(spec) === optionsKey(existing)) return true;
    throw new MongoError(
      'IndexOptionsConflict',
      `Index already exists with a different name: ${existing.name}`,
    );
  }
  return false;
}

const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  const specs = documentArray(cmd, 'indexes').map(parseIndexSpec);
  if (specs.length === 0)
    throw new MongoError('BadValue', 'Must specify at least one index to create');
  const existed = ctx.engine.getCollection(ctx.db, name);
  const coll = existed ?? ctx.engine.ensureCollection(ctx.db, name, ctx.records);
  const before = coll.indexes.size;
  const fresh = specs.filter((spec) => !alreadyExists(coll, spec));
  const built: IndexSpec[] = [];
  try {
    for (const spec of fresh) {
      if (built.some((b) => b.name === spec.name)) continue;
      coll.addIndex(spec);
      built.push(spec);
    }
  } catch (error) {
    // All or nothing, like MongoDB: indexes built by this command are removed again.
    for (const spec of built) coll.indexes.delete(spec.name);
    throw error;
  }
  for (const spec of built) ctx.records.push({ op: 'createIndex', db: ctx.db, coll: name, spec });
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (built.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

export function describeIndex(spec: IndexSpec): Document {
  const out: Document = { v: 2, key: spec.key, name: spec.name };
  if (spec.unique) out.unique = true;
  if (spec.sparse) out.sparse = true;
  if (spec.partialFilterExpression) out.partialFilterExpression = spec.partialFilterExpression;
  if (spec.expireAfterSeconds !== undefined) out.expireAfterSeconds = spec.expireAfterSeconds;
  return out;
}

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const batchSize =
    isPlainObject(cmd.cursor) && typeof cmd.cursor.batchSize === 'number'
      ? cmd.cursor.batchSize
      : undefined;
  return ctx.cursors.first(coll.ns, coll.indexSpecs().map(describeIndex), { batchSize });
};

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'dropIndexes');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const was = coll.indexes.size;
  const target: unknown = cmd.index;
  let names: string[];
  if (target === '*') {
    names = Array.from(coll.indexes.keys()).filter((n) => n !== '_id_');
  } else if (typeof target === 'string') {
    names = [target];
  } else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) {
    names = target as string[];
  } else if (isPlainObject(target)) {
    const match = coll.indexSpecs().find((spec) => keyString(spec.key) === keyString(target));
    if (!match)
      throw new MongoError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names = [match.name];
  } else {
    throw new MongoError('TypeMismatch', "BSON field 'dropIndexes.index' is the wrong type");
  }
  for (const n of names) {
    if (n === '_id_') throw new MongoError('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.has(n))
      throw new MongoError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) ctx.engine.dropIndex(coll, n, ctx.records);
  return { nIndexesWas: was, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = {
  createindexes: createIndexes,
  listindexes: listIndexes,
  dropindexes: dropIndexes,
  deleteindexes: dropIndexes,
};
