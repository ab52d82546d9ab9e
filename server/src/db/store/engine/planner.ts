/**
 * Chooses the documents a filter must be tested against: the `_id` map, an index's equality
 * or range entries, or every document. Candidates are always a superset of the matches; the
 * filter itself is still applied to each one.
 */
import type { Document } from 'bson';
import type { Bound, CollectionIndex } from './collection-index';
import { isPlainObject, keyString } from './values';

interface Condition {
  eq?: unknown[];
  lower?: Bound;
  upper?: Bound;
}

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN';
  /** The candidates are exactly the matches (the filter is one equality the index answers). */
  exact: boolean;
  indexName?: string;
  keysExamined: number;
  candidates: Iterable<Document>;
}

export interface PlannableCollection {
  readonly docs: Map<string, Document>;
  readonly indexes: Map<string, CollectionIndex>;
}

function isRegex(v: unknown): boolean {
  return (
    v instanceof RegExp ||
    (typeof v === 'object' &&
      v !== null &&
      (v as { _bsontype?: string })._bsontype === 'BSONRegExp')
  );
}

/** A value an index can look up exactly (arrays and regexes have match-any semantics). */
function lookupable(v: unknown): boolean {
  return v !== undefined && !Array.isArray(v) && !isRegex(v);
}

function conditionOf(spec: unknown): Condition | undefined {
  if (!isPlainObject(spec)) return lookupable(spec) ? { eq: [spec] } : undefined;
  const keys = Object.keys(spec);
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    return keys.length > 0 && !keys.some((k) => k.startsWith('$')) ? { eq: [spec] } : undefined;
  }
  const c: Condition = {};
  if ('$eq' in spec && lookupable(spec.$eq)) c.eq = [spec.$eq];
  else if (Array.isArray(spec.$in) && spec.$in.every(lookupable)) c.eq = spec.$in;
  for (const [op, incl] of [
    ['$gt', false],
    ['$gte', true],
  ] as const) {
    if (op in spec && lookupable(spec[op]) && spec[op] !== null)
      c.lower = { value: spec[op], inclusive: incl };
  }
  for (const [op, incl] of [
    ['$lt', false],
    ['$lte', true],
  ] as const) {
    if (op in spec && lookupable(spec[op]) && spec[op] !== null)
      c.upper = { value: spec[op], inclusive: incl };
  }
  if (!c.eq && !c.lower && !c.upper) return undefined;
  return c;
}

/** Conditions on single fields that every match must satisfy (top level and `$and`). */
function collectConditions(filter: Document, out: Map<string, Condition>): void {
  for (const [key, spec] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(spec)) {
      for (const part of spec) if (isPlainObject(part)) collectConditions(part, out);
      continue;
    }
    if (key.startsWith('$') || out.has(key)) continue;
    const c = conditionOf(spec);
    if (c) out.set(key, c);
  }
}

/** Values whose index equality is exactly MongoDB's query equality. */
function isSimpleValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object':
      return (
        v instanceof Date || (v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId')
      );
    default:
      return false;
  }
}

/** True when `filter` is a single equality (or $in) of simple values on `field`. */
function isExactEquality(filter: Document | undefined, field: string): boolean {
  if (!filter) return false;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== field) return false;
  const spec: unknown = filter[field];
  if (!isPlainObject(spec)) return isSimpleValue(spec);
  const ops = Object.keys(spec);
  if (ops.length !== 1) return false;
  if (ops[0] === '$eq') return isSimpleValue(spec.$eq);
  return ops[0] === '$in' && Array.isArray(spec.$in) && spec.$in.every(isSimpleValue);
}

function usable(index: CollectionIndex, c: Condition): boolean {
  if (index.spec.partialFilterExpression) return false;
  if (index.spec.sparse !== true) return true;
  // A sparse index lacks the documents where the field is missing, which `null` matches.
  return !(c.eq ?? []).some((v) => v === null);
}

export function plan(coll: PlannableCollection, filter: Document | undefined): Plan {
  const conditions = new Map<string, Condition>();
  if (filter) collectConditions(filter, conditions);

  const idCond = conditions.get('_id');
  if (idCond?.eq) {
    const candidates: Document[] = [];
    const seen = new Set<string>();
    for (const v of idCond.eq) {
      const k = keyString(v);
      const doc = seen.has(k) ? undefined : coll.docs.get(k);
      seen.add(k);
      if (doc) candidates.push(doc);
    }
    return {
      stage: 'IDHACK',
      exact: isExactEquality(filter, '_id'),
      indexName: '_id_',
      keysExamined: idCond.eq.length,
      candidates,
    };
  }

  let best: { index: CollectionIndex; c: Condition; score: number } | undefined;
  for (const index of coll.indexes.values()) {
    const c = conditions.get(index.fields[0] as string);
    if (!c || !usable(index, c)) continue;
    const score = (c.eq ? 4 : c.lower && c.upper ? 2 : 1) + (index.unique && c.eq ? 1 : 0);
    if (!best || score > best.score) best = { index, c, score };
  }
  if (!best) {
    return {
      stage: 'COLLSCAN',
      exact: false,
      keysExamined: 0,
      candidates: coll.docs.values(),
    };
  }

  const { index, c } = best;
  const ids = new Set<string>();
  let keysExamined = 0;
  const take = (entries: Iterable<{ id: string }>): void => {
    for (const e of entries) {
      keysExamined++;
      ids.add(e.id);
    }
  };
  if (c.eq) {
    for (const v of c.eq) take(index.equal(v));
  } else if (index.multikey) {
    // Different array elements may satisfy each bound, so only one bound narrows safely.
    take(c.lower ? index.range(c.lower, undefined) : index.range(undefined, c.upper));
  } else {
    take(index.range(c.lower, c.upper));
  }
  const candidates: Document[] = [];
  for (const id of ids) {
    const doc = coll.docs.get(id);
    if (doc) candidates.push(doc);
  }
  const exact = c.eq !== undefined && isExactEquality(filter, index.fields[0] as string);
  return { stage: 'IXSCAN', exact, indexName: index.name, keysExamined, candidates };
}
