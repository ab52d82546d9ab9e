import type { Document } from 'bson';
import { MongoError } from '../errors';
import { rawPathValues } from './paths';
import { compareValues, type DocKey, keyString } from './values';

/**
 * One key of one document in an index; `id` is the document's canonical id key (shared with
 * the collection's map). `k` is the bare value for single-field indexes (no tuple array per
 * document) and the tuple for compound ones.
 */
export interface IndexEntry {
  k: unknown;
  id: DocKey;
}

export function compareKeyVals(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Any total order will do; numbers sort before strings. */
function compareIds(a: IndexEntry, b: IndexEntry): number {
  const x = a.id;
  const y = b.id;
  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareSingle(a: IndexEntry, b: IndexEntry): number {
  return compareValues(a.k, b.k) || compareIds(a, b);
}

export function compareCompound(a: IndexEntry, b: IndexEntry): number {
  return compareKeyVals(a.k as unknown[], b.k as unknown[]) || compareIds(a, b);
}

/**
 * The index keys of a document: one tuple per array element for a multikey field (MongoDB
 * refuses two array fields in one compound key), or null for a sparse index the document
 * is absent from.
 */
export function documentKeys(doc: Document, fields: string[], sparse: boolean): unknown[][] | null {
  const perField: unknown[][] = [];
  let present = false;
  let multi = -1;
  for (let f = 0; f < fields.length; f++) {
    const raw = rawPathValues(doc, fields[f] as string);
    if (raw.length > 0) present = true;
    const values = raw.length === 0 ? [null] : dedupe(raw);
    if (values.length > 1) {
      if (multi !== -1) {
        throw new MongoError(
          'CannotIndexParallelArrays',
          `cannot index parallel arrays [${fields[f]}] [${fields[multi]}]`,
        );
      }
      multi = f;
    }
    perField.push(values);
  }
  if (sparse && !present) return null;
  if (multi === -1) return [perField.map((values) => values[0])];
  return (perField[multi] as unknown[]).map((value) =>
    perField.map((values, f) => (f === multi ? value : values[0])),
  );
}

function dedupe(values: unknown[]): unknown[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = keyString(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

/** Renders a key value the way MongoDB prints it in E11000 messages. */
function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (typeof v === 'object') {
    const tag = (v as { _bsontype?: string })._bsontype;
    if (tag === 'ObjectId') return `ObjectId('${String(v.toString())}')`;
    if (tag !== undefined) return `${tag}(${String(v.toString())})`;
    const parts = Object.entries(v).map(([k, val]) => `${k}: ${formatValue(val)}`);
    return `{ ${parts.join(', ')} }`;
  }
  return String(v);
}

/** The E11000 error MongoDB reports, with keyPattern/keyValue as the driver exposes them. */
export function duplicateKeyError(
  ns: string,
  indexName: string,
  key: Record<string, 1 | -1>,
  vals: unknown[],
): MongoError {
  const keyValue: Document = {};
  Object.keys(key).forEach((field, i) => {
    keyValue[field] = vals[i] === undefined ? null : vals[i];
  });
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ');
  return new MongoError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    { keyPattern: { ...key }, keyValue },
  );
}
