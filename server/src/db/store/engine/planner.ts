/**
 * Chooses the documents a filter must be tested against: the `_id` map, an index's entries
 * (equality on a prefix of its fields, then a range on the next one), a union of index
 * lookups for `$or`, or every document. Candidates are always a superset of the matches;
 * unless the plan is exact, the filter itself is still applied to each one.
 */
import type { Document } from 'bson';
import type { Bound, CollectionIndex } from './collection-index';
import { collectConditions, type Condition, simpleEqualityFields } from './conditions';
import { type DocKey, docKey, isPlainObject } from './values';

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'OR' | 'COLLSCAN';
  /** The candidates are exactly the matches (the filter is equalities the index answers). */
  exact: boolean;
  indexName?: string;
  keysExamined: number;
  candidates: Iterable<Document>;
}

export interface PlannableCollection {
  readonly docs: Map<DocKey, Document>;
  readonly indexes: Map<string, CollectionIndex>;
}

/** Equality prefixes are expanded into tuples (`$in` on several fields); beyond this, stop. */
const MAX_PREFIXES = 1000;

interface IndexChoice {
  index: CollectionIndex;
  fields: string[];
  prefixes: unknown[][];
  lower?: Bound;
  upper?: Bound;
  score: number;
}

/** A sparse index lacks documents missing the field, which a `null` equality matches. */
function usableEquality(index: CollectionIndex, c: Condition): boolean {
  return index.spec.sparse !== true || !(c.eq ?? []).some((v) => v === null);
}

function chooseIndex(
  coll: PlannableCollection,
  conditions: Map<string, Condition>,
): IndexChoice | undefined {
  let best: IndexChoice | undefined;
  for (const index of coll.indexes.values()) {
    if (index.spec.partialFilterExpression) continue;
    const fields: string[] = [];
    let prefixes: unknown[][] = [[]];
    for (const field of index.fields) {
      const c = conditions.get(field);
      if (!c?.eq || !usableEquality(index, c)) break;
      // A long `$in` on one field is fine; only products of several are capped.
      if (prefixes.length > 1 && prefixes.length * c.eq.length > MAX_PREFIXES) break;
      const values = c.eq;
      prefixes = prefixes.flatMap((tuple) => values.map((v) => [...tuple, v]));
      fields.push(field);
    }
    const next = index.fields[fields.length];
    const range = next === undefined ? undefined : conditions.get(next);
    const lower = range && !range.eq ? range.lower : undefined;
    let upper = range && !range.eq ? range.upper : undefined;
    // On a multikey index different array elements may satisfy each bound: keep one.
    if (index.multikey && lower && upper) upper = undefined;
    if (fields.length === 0 && !lower && !upper) continue;
    const complete = fields.length === index.fields.length;
    const score =
      fields.length * 10 +
      (lower ? 2 : 0) +
      (upper ? 2 : 0) +
      (index.unique && complete ? 100 : 0) -
      index.fields.length * 0.01;
    if (!best || score > best.score) best = { index, fields, prefixes, lower, upper, score };
  }
  return best;
}

function fetch(coll: PlannableCollection, ids: Iterable<DocKey>): Document[] {
  const out: Document[] = [];
  for (const id of ids) {
    const doc = coll.docs.get(id);
    if (doc) out.push(doc);
  }
  return out;
}

function indexPlan(
  coll: PlannableCollection,
  choice: IndexChoice,
  exactFields: Set<string> | null,
): Plan {
  const { index, prefixes, lower, upper, fields } = choice;
  const ids = new Set<DocKey>();
  let keysExamined = 0;
  for (const prefix of prefixes) {
    for (const e of index.scan(prefix, lower, upper)) {
      keysExamined++;
      ids.add(e.id);
    }
  }
  const exact =
    exactFields !== null &&
    !lower &&
    !upper &&
    exactFields.size === fields.length &&
    fields.every((f) => exactFields.has(f));
  return {
    stage: 'IXSCAN',
    exact,
    indexName: index.name,
    keysExamined,
    candidates: fetch(coll, ids),
  };
}

/** `$or` whose every branch can use an index: the union of the branches' candidates. */
function orPlan(coll: PlannableCollection, filter: Document): Plan | undefined {
  const branches: unknown = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const seen = new Set<Document>();
  let keysExamined = 0;
  for (const branch of branches) {
    if (!isPlainObject(branch)) return undefined;
    const p = plan(coll, branch);
    if (p.stage === 'COLLSCAN') return undefined;
    keysExamined += p.keysExamined;
    for (const doc of p.candidates) seen.add(doc);
  }
  return { stage: 'OR', exact: false, keysExamined, candidates: seen };
}

export function plan(coll: PlannableCollection, filter: Document | undefined): Plan {
  const conditions = filter ? collectConditions(filter) : new Map<string, Condition>();
  const exactFields = simpleEqualityFields(filter);

  const idCond = conditions.get('_id');
  if (idCond?.eq) {
    const ids = new Set(idCond.eq.map(docKey));
    return {
      stage: 'IDHACK',
      exact: exactFields?.size === 1 && exactFields.has('_id'),
      indexName: '_id_',
      keysExamined: ids.size,
      candidates: fetch(coll, ids),
    };
  }
  const choice = chooseIndex(coll, conditions);
  if (choice) return indexPlan(coll, choice, exactFields);
  return (
    (filter && orPlan(coll, filter)) ?? {
      stage: 'COLLSCAN',
      exact: false,
      keysExamined: 0,
      candidates: coll.docs.values(),
    }
  );
}
