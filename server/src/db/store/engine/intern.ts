import type { Document } from 'bson';
import { isPlainObject } from './values';

/** Strings longer than this are rarely repeated across documents (emails, notes). */
const MAX_LENGTH = 40;
/** Small arrays of such values (tags) are shared too. */
const MAX_ARRAY_LENGTH = 8;
/** Bounds the tables; values seen once early on (names) must not grow them forever. */
const CAPACITY = 50_000;
const strings = new Map<string, string>();
const arrays = new Map<string, unknown[]>();

/**
 * Prepares a document for storage: equal short strings, and equal small arrays of them,
 * share one copy (card-like documents repeat the same titles, cities, companies and tags,
 * and each decoded copy costs 30-70 bytes), and the document with everything in it is
 * frozen. Stored documents are shared by cursors, journal records and query results and
 * must never change in place (an update works on a deep copy); freezing turns any code path
 * that would modify one into an error instead of silent corruption.
 */
export function sealDocument(doc: Document): void {
  // Already sealed: a document replayed from an in-memory snapshot or a shared array.
  if (!Object.isFrozen(doc)) internStrings(doc);
}

function internStrings(value: Document | unknown[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = internValue(value[i]);
  } else {
    for (const key in value) value[key] = internValue(value[key]);
  }
  Object.freeze(value);
}

function internValue(v: unknown): unknown {
  if (typeof v === 'string') return internString(v);
  if (Array.isArray(v)) {
    if (Object.isFrozen(v)) return v;
    internStrings(v);
    return internArray(v);
  }
  if (isPlainObject(v) && !Object.isFrozen(v)) internStrings(v);
  return v;
}

function internString(s: string): string {
  if (s.length > MAX_LENGTH) return s;
  const hit = strings.get(s);
  if (hit !== undefined) return hit;
  if (strings.size < CAPACITY) strings.set(s, s);
  return s;
}

/** Arrays of short strings and numbers only; anything else stays the document's own. */
function internArray(a: unknown[]): unknown[] {
  if (a.length === 0 || a.length > MAX_ARRAY_LENGTH) return a;
  let key = '';
  for (const item of a) {
    if (typeof item === 'string' && item.length <= MAX_LENGTH) key += `s${item.length}:${item}`;
    else if (typeof item === 'number' && !Object.is(item, -0)) key += `d${item};`;
    else return a;
  }
  const hit = arrays.get(key);
  if (hit !== undefined) return hit;
  if (arrays.size < CAPACITY) arrays.set(key, a);
  return a;
}
