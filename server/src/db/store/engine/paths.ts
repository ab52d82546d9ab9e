import type { Document } from 'bson';
import { compareValues, isPlainObject } from './values';

/**
 * A top-level field name the store may read or write directly: no dots, no `$`, and not
 * digits only (JavaScript objects order those first, BSON documents do not).
 */
export const TOP_LEVEL_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every value a dotted path reaches, expanding arrays the way MongoDB builds multikey index
 * keys and sort keys. A path that reaches nothing yields `[null]`.
 */
export function pathValues(doc: Document, path: string): unknown[] {
  const out = rawPathValues(doc, path);
  if (out.length === 0) out.push(null);
  return out;
}

/** Like pathValues, but empty when the path is absent (sparse indexes skip such documents). */
export function rawPathValues(doc: Document, path: string): unknown[] {
  const out: unknown[] = [];
  walk(doc, path.split('.'), 0, out);
  return out;
}

function walk(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(null);
      else for (const item of value) out.push(item);
    } else {
      if (value !== undefined) out.push(value);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) walk(value[Number(part)], parts, i + 1, out);
    for (const item of value) if (isPlainObject(item)) walk(item, parts, i, out);
    return;
  }
  if (isPlainObject(value)) {
    walk(value[part], parts, i + 1, out);
  }
}

/** The value MongoDB sorts a document by: arrays sort by their smallest (or largest) element. */
export function sortValue(doc: Document, path: string, direction: 1 | -1): unknown {
  const values = pathValues(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best);
    if ((direction === 1 && c < 0) || (direction === -1 && c > 0)) best = values[i];
  }
  return best;
}

/** Reads a dotted path without array expansion (undefined when absent). */
export function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (isPlainObject(cur)) cur = cur[part];
    else if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else return undefined;
  }
  return cur;
}

/** Writes a dotted path, creating intermediate documents (used to seed upserted documents). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next: unknown = cur[part];
    if (!isPlainObject(next)) {
      const created: Document = {};
      cur[part] = created;
      cur = created;
    } else {
      cur = next;
    }
  }
  cur[parts[parts.length - 1] as string] = value;
}
