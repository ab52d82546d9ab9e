/**
 * What a filter says about single fields, for choosing an index: equality values, range
 * bounds, and whether the whole filter is nothing but equalities an index answers exactly.
 */
import type { Document } from 'bson';
import type { Bound } from './collection-index';
import { isPlainObject } from './values';

export interface Condition {
  eq?: unknown[];
  lower?: Bound;
  upper?: Bound;
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

const LOWER = [
  ['$gt', false],
  ['$gte', true],
] as const;
const UPPER = [
  ['$lt', false],
  ['$lte', true],
] as const;

function conditionOf(spec: unknown): Condition | undefined {
  if (!isPlainObject(spec)) return lookupable(spec) ? { eq: [spec] } : undefined;
  const keys = Object.keys(spec);
  if (keys.length === 0) return undefined;
  if (!keys.some((k) => k.startsWith('$'))) return { eq: [spec] };
  if (!keys.every((k) => k.startsWith('$'))) return undefined;
  const c: Condition = {};
  if ('$eq' in spec && lookupable(spec.$eq)) c.eq = [spec.$eq];
  else if (Array.isArray(spec.$in) && spec.$in.every(lookupable)) c.eq = spec.$in;
  for (const [op, inclusive] of LOWER) {
    if (op in spec && lookupable(spec[op]) && spec[op] !== null)
      c.lower = { value: spec[op], inclusive };
  }
  for (const [op, inclusive] of UPPER) {
    if (op in spec && lookupable(spec[op]) && spec[op] !== null)
      c.upper = { value: spec[op], inclusive };
  }
  return c.eq || c.lower || c.upper ? c : undefined;
}

/** Conditions on single fields that every match must satisfy (top level and `$and`). */
export function collectConditions(
  filter: Document,
  out = new Map<string, Condition>(),
): Map<string, Condition> {
  for (const [key, spec] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(spec)) {
      for (const part of spec) if (isPlainObject(part)) collectConditions(part, out);
      continue;
    }
    if (key.startsWith('$') || out.has(key)) continue;
    const c = conditionOf(spec);
    if (c) out.set(key, c);
  }
  return out;
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

/**
 * The fields of a filter made only of equalities (or `$in`) of simple values, or null. An
 * index lookup on exactly these fields returns exactly the matching documents.
 */
export function simpleEqualityFields(filter: Document | undefined): Set<string> | null {
  if (!filter) return null;
  const fields = new Set<string>();
  for (const [field, spec] of Object.entries(filter)) {
    if (field.startsWith('$')) return null;
    if (!isPlainObject(spec)) {
      if (!isSimpleValue(spec)) return null;
    } else {
      const ops = Object.keys(spec);
      if (ops.length !== 1) return null;
      if (ops[0] === '$eq') {
        if (!isSimpleValue(spec.$eq)) return null;
      } else if (ops[0] !== '$in' || !Array.isArray(spec.$in) || !spec.$in.every(isSimpleValue)) {
        return null;
      }
    }
    fields.add(field);
  }
  return fields.size > 0 ? fields : null;
}
