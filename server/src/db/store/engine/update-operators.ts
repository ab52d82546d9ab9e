/** Applying update operators to a private copy of a document. */
import type { Document } from 'bson';
import * as updateOperators from 'mingo/operators/update';
import type { AnyObject } from 'mingo/types';
import { update as applyOperators, type Modifier } from 'mingo/updater';
import { MongoError } from '../errors';
import { UPDATE_OPTIONS } from './query';
import { isPlainObject, valuesEqual } from './values';

/**
 * MongoDB allows `$set: {_id: <same value>}` and refuses any other change to `_id` with
 * ImmutableField; drops the no-op so the operator engine never sees it.
 */
export function guardId(operators: Document, doc: Document, inserting: boolean): void {
  for (const [op, args] of Object.entries(operators)) {
    if (!isPlainObject(args)) continue;
    for (const path of Object.keys(args)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      if (op === '$set' && path === '_id' && (inserting || valuesEqual(args._id, doc._id))) {
        if (inserting) continue;
        const rest: Document = { ...args };
        delete rest._id;
        operators[op] = rest;
        continue;
      }
      throw new MongoError(
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
  }
}

export function usesPositional(operators: Document): boolean {
  for (const args of Object.values(operators)) {
    if (!isPlainObject(args)) continue;
    for (const path of Object.keys(args)) if (/(^|\.)\$(\.|$)/.test(path)) return true;
  }
  return false;
}

/** Each operator types its own argument; the argument was validated as a document. */
type OperatorFn = (expr: never, arrayFilters?: AnyObject[]) => (obj: AnyObject) => string[];

const OPERATORS: Record<string, OperatorFn> = {
  $set: updateOperators.$set,
  $unset: updateOperators.$unset,
  $inc: updateOperators.$inc,
  $mul: updateOperators.$mul,
  $min: updateOperators.$min,
  $max: updateOperators.$max,
  $push: updateOperators.$push,
  $addToSet: updateOperators.$addToSet,
  $pull: updateOperators.$pull,
  $pullAll: updateOperators.$pullAll,
  $pop: updateOperators.$pop,
  $rename: updateOperators.$rename,
  $bit: updateOperators.$bit,
};

/**
 * Runs each operator on the document. The updater's batch entry point copies its operator
 * tables on every call (most of an update's CPU time); the operators themselves do not.
 */
export function applyDirectly(
  doc: Document,
  operators: Document,
  arrayFilters: Document[] | undefined,
): boolean {
  let changed = false;
  for (const [op, expr] of Object.entries(operators)) {
    const apply = OPERATORS[op];
    if (!apply) throw new MongoError('FailedToParse', `Unknown modifier: ${op}`);
    if (apply(expr as never, arrayFilters)(doc).length > 0) changed = true;
  }
  return changed;
}

/** The updater's full path: positional `$` needs the filter, `$currentDate` a fresh clock. */
export function applyThroughUpdater(
  doc: Document,
  operators: Document,
  arrayFilters: Document[] | undefined,
  condition: Document,
): boolean {
  const modified = applyOperators(doc, operators as Modifier<Document>, arrayFilters, condition, {
    queryOptions: UPDATE_OPTIONS,
  });
  return modified.length > 0;
}
