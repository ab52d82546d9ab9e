/**
 * Update semantics around the query engine's operators: replacement documents, pipeline
 * updates, `$setOnInsert`, upserted documents, conflicting paths and `_id` immutability.
 */
import { calculateObjectSize, type Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../limits';
import { Aggregator } from 'mingo/aggregator';
import { MongoError, toMongoError } from '../errors';
import { QUERY_OPTIONS, validateFilter } from './query';
import {
  applyDirectly,
  applyThroughUpdater,
  applyTopLevel,
  guardId,
  usesPositional,
} from './update-operators';
import { deepClone, isPlainObject, keyString, valuesEqual } from './values';

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$rename',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);
const PIPELINE_UPDATE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export type UpdateSpec = Document | Document[];

export interface UpdateOptions {
  arrayFilters?: Document[];
  /** The filter that selected the document (positional `$` resolves against it). */
  query: Document;
  /** True when building an upserted document: `$setOnInsert` applies. */
  inserting: boolean;
}

type UpdateKind = 'pipeline' | 'replacement' | 'operators';

export function updateKind(u: UpdateSpec): UpdateKind {
  if (Array.isArray(u)) return 'pipeline';
  const first = Object.keys(u)[0];
  return first !== undefined && first.startsWith('$') ? 'operators' : 'replacement';
}

/** How change streams report the update: a replacement document is a `replace` event. */
export function changeKind(u: UpdateSpec): 'update' | 'replace' {
  return updateKind(u) === 'replacement' ? 'replace' : 'update';
}

/** Checks an update document up front so a bad one fails before touching any document. */
export function validateUpdate(u: unknown): asserts u is UpdateSpec {
  if (Array.isArray(u)) {
    for (const stage of u) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (!name || !PIPELINE_UPDATE_STAGES.has(name)) {
        throw new MongoError(
          'InvalidOptions',
          `${name ?? 'stage'} is not allowed to be used within an update`,
        );
      }
    }
    return;
  }
  if (!isPlainObject(u))
    throw new MongoError('FailedToParse', 'Update document must be an object or a pipeline');
  if (updateKind(u) === 'replacement') {
    for (const key of Object.keys(u)) {
      if (key.startsWith('$')) {
        throw new MongoError(
          'BadValue',
          `The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
        );
      }
    }
    return;
  }
  const paths: string[] = [];
  for (const [op, args] of Object.entries(u)) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw new MongoError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(args)) {
      throw new MongoError(
        'FailedToParse',
        `Modifiers operate on fields but we found another type instead: ${op}`,
      );
    }
    for (const [path, arg] of Object.entries(args)) {
      checkStoragePath(path);
      paths.push(path);
      if (op === '$rename' && typeof arg === 'string') paths.push(arg);
      // The operator engine writes a number where MongoDB writes a BSON timestamp.
      if (op === '$currentDate' && isPlainObject(arg) && arg.$type === 'timestamp') {
        throw new MongoError(
          'NotImplemented',
          "$currentDate with $type 'timestamp' is not supported by the embedded store",
        );
      }
    }
  }
  checkConflicts(paths);
}

/** `$`-prefixed names cannot be stored; positional segments (`$`, `$[]`, `$[id]`) are fine. */
function checkStoragePath(path: string): void {
  for (const segment of path.split('.')) {
    if (segment.startsWith('$') && !/^\$(\[\w*\])?$/.test(segment)) {
      throw new MongoError(
        'DollarPrefixedFieldName',
        `The dollar ($) prefixed field '${segment}' in '${path}' is not valid for storage.`,
      );
    }
  }
}

function checkSize(doc: Document): void {
  if (calculateObjectSize(doc) > MAX_BSON_OBJECT_SIZE) {
    throw new MongoError(
      'BSONObjectTooLarge',
      `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
}

function checkConflicts(paths: string[]): void {
  const sorted = paths.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as string;
    const b = sorted[i] as string;
    if (a === b || b.startsWith(`${a}.`)) {
      throw new MongoError(
        'ConflictingUpdateOperators',
        `Updating the path '${b}' would create a conflict at '${a}'`,
      );
    }
  }
}

export function withIdFirst(doc: Document, id: unknown): Document {
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id: ignored, ...rest } = doc;
  void ignored;
  return { _id: id, ...rest };
}

function assertSameId(before: Document, after: Document): void {
  if (!valuesEqual(before._id, after._id)) {
    throw new MongoError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
}

function runPipeline(doc: Document, pipeline: Document[]): Document {
  const [out] = new Aggregator(pipeline, QUERY_OPTIONS).run<Document>([doc]);
  if (!out) throw new MongoError('BadValue', 'update pipeline produced no document');
  return out;
}

function computeUpdate(
  doc: Document,
  u: UpdateSpec,
  options: UpdateOptions,
): { doc: Document; changed: boolean } {
  try {
    const kind = updateKind(u);
    if (kind === 'replacement') {
      const replacement = u as Document;
      if ('_id' in replacement && !valuesEqual(replacement._id, doc._id)) {
        throw new MongoError(
          'ImmutableField',
          "After applying the update, the (immutable) field '_id' was found to have been altered",
        );
      }
      const next = withIdFirst({ ...replacement, _id: doc._id }, doc._id);
      return { doc: next, changed: keyString(next) !== keyString(doc) };
    }
    if (kind === 'pipeline') {
      const next = runPipeline(deepClone(doc), u as Document[]);
      if (!options.inserting) assertSameId(doc, next);
      return { doc: next, changed: keyString(next) !== keyString(doc) };
    }
    // Array filters and $pull conditions are queries: the same operators are refused.
    validateFilter(options.arrayFilters);
    validateFilter((u as Document).$pull);
    const { $setOnInsert: onInsert, ...operators } = u as Document;
    if (options.inserting && isPlainObject(onInsert)) {
      operators.$set = { ...(isPlainObject(operators.$set) ? operators.$set : {}), ...onInsert };
    }
    guardId(operators, doc, options.inserting);
    if (Object.keys(operators).length === 0) return { doc, changed: false };
    if (!options.arrayFilters?.length) {
      const simple = applyTopLevel(doc, operators);
      if (simple) return simple;
    }
    const next = deepClone(doc);
    const positional = !options.inserting && usesPositional(operators);
    const changed =
      positional || '$currentDate' in operators
        ? applyThroughUpdater(
            next,
            operators,
            options.arrayFilters,
            positional ? options.query : {},
          )
        : applyDirectly(next, operators, options.arrayFilters);
    if (!options.inserting) assertSameId(doc, next);
    return { doc: next, changed };
  } catch (error) {
    throw toMongoError(error);
  }
}

/**
 * Returns the updated copy of `doc` (never mutating it) and whether anything changed.
 * Throws MongoError for invalid updates.
 */
export function applyUpdate(
  doc: Document,
  u: UpdateSpec,
  options: UpdateOptions,
): { doc: Document; changed: boolean } {
  const result = computeUpdate(doc, u, options);
  if (result.changed || options.inserting) checkSize(result.doc);
  return result;
}
