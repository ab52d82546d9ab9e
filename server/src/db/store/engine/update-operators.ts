/** Applying update operators to a private copy of a document. */
import type { Document } from 'bson';
import * as updateOperators from 'mingo/operators/update';
import type { AnyObject } from 'mingo/types';
import { update as applyOperators, type Modifier } from 'mingo/updater';
import { MongoError } from '../errors';
import { TOP_LEVEL_FIELD } from './paths';
import { UPDATE_OPTIONS } from './query';
import { compareValues, deepClone, isPlainObject, valuesEqual } from './values';

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

const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

/**
 * `$max`/`$min` order two values of one kind (numbers, strings, dates) themselves, in the
 * store's value order; anything else goes through the operator engine.
 */
function orderOf(a: unknown, b: unknown): number | undefined {
  const sameKind =
    (isNumber(a) && isNumber(b)) ||
    (typeof a === 'string' && typeof b === 'string') ||
    (a instanceof Date && b instanceof Date);
  return sameKind ? compareValues(a, b) : undefined;
}

type FieldStep = (next: Document, field: string, value: unknown) => boolean | undefined;

/** `$max` (direction 1) or `$min` (-1): writes the value when the field is absent or beyond it. */
function keepExtreme(direction: 1 | -1): FieldStep {
  return (next, field, value) => {
    const previous: unknown = next[field];
    if (previous !== undefined) {
      const order = orderOf(previous, value);
      if (order === undefined) return undefined;
      if (order * direction >= 0) return false;
    }
    next[field] = value;
    return true;
  };
}

/**
 * The top-level operators on top-level fields, as the operator engine applies them (the
 * same results, field order and "changed" answers): each returns whether the field
 * changed, or undefined when the case is not this simple one (then nothing was written).
 */
const TOP_LEVEL_STEPS: Record<string, FieldStep> = {
  $set(next, field, value) {
    if (field in next && valuesEqual(next[field], value)) return false;
    next[field] = deepClone(value);
    return true;
  },
  $unset(next, field) {
    if (!(field in next)) return false;
    delete next[field];
    return true;
  },
  $inc(next, field, value) {
    const previous: unknown = next[field];
    if (!isNumber(value) || (previous !== undefined && !isNumber(previous))) return undefined;
    const sum = (previous ?? 0) + value;
    next[field] = sum;
    return sum !== previous;
  },
  $max: keepExtreme(1),
  $min: keepExtreme(-1),
  $addToSet(next, field, value) {
    if (isPlainObject(value) && '$each' in value) return undefined;
    const previous: unknown = next[field];
    if (previous === undefined) {
      next[field] = [deepClone(value)];
      return true;
    }
    if (!Array.isArray(previous) || !distinct(previous)) return undefined;
    if (previous.some((item) => valuesEqual(item, value))) return false;
    next[field] = [...previous, deepClone(value)];
    return true;
  },
};

function distinct(items: unknown[]): boolean {
  for (let i = 1; i < items.length; i++) {
    for (let j = 0; j < i; j++) if (valuesEqual(items[i], items[j])) return false;
  }
  return true;
}

/**
 * The common update — `$set`, `$unset`, `$inc`, `$max`, `$min` and single-value
 * `$addToSet` on top-level fields other than `_id` — applied to a shallow copy of `doc`:
 * the stored document's other fields are frozen and shared, not cloned. Undefined when the
 * update is not of that kind; the operator engine then does it all.
 */
export function applyTopLevel(
  doc: Document,
  operators: Document,
): { doc: Document; changed: boolean } | undefined {
  for (const [op, args] of Object.entries(operators)) {
    if (!(op in TOP_LEVEL_STEPS) || !isPlainObject(args)) return undefined;
    for (const field of Object.keys(args)) {
      if (field === '_id' || !TOP_LEVEL_FIELD.test(field)) return undefined;
    }
  }
  const next: Document = { ...doc };
  let changed = false;
  for (const [op, args] of Object.entries(operators)) {
    const step = TOP_LEVEL_STEPS[op] as FieldStep;
    for (const [field, value] of Object.entries(args as Document)) {
      const outcome = step(next, field, value);
      if (outcome === undefined) return undefined;
      if (outcome) changed = true;
    }
  }
  return { doc: next, changed };
}
