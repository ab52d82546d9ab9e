/**
 * Chooses the documents a filter must be tested against: the `_id` map, an index's entries
 * (equality on a prefix of its fields, then a range on the next one), a union of index
 * lookups for `$or`, or every document. Candidates are always a superset of the matches;
 * unless the plan is exact, the filter itself is still applied to each one.
 *
 * When the query is sorted and an index holds the sort fields right after its equality
 * prefix, the plan walks that index in sort order (backwards for descending sorts), fetching
 * documents lazily: the caller skips the in-memory sort and stops once the limit is reached,
 * as MongoDB does with an index that provides the sort.
 */
import type { Document } from 'bson';
import type { Bound, CollectionIndex } from './collection-index';
import { collectConditions, type Condition, simpleEqualityFields } from './conditions';
import type { SortSpec } from './query';
import { type DocKey, docKey, isPlainObject } from './values';

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'OR' | 'COLLSCAN';
  /** The candidates are exactly the matches (the filter is equalities the index answers). */
  exact: boolean;
  /** The candidates come in the requested sort order (an index walk provides the sort). */
  sorted: boolean;
  indexName?: string;
  /** Counted as the candidates are consumed when they are produced lazily. */
  keysExamined: number;
  candidates: Iterable<Document>;
}

/** What the caller will do with the matches, so the planner can serve the sort from an index. */
export interface PlanOptions {
  sort?: SortSpec;
  /** 0 or undefined: every match is needed. */
  limit?: number;
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
  /** Set when walking the index in this direction yields the documents in sort order. */
  walk?: 1 | -1;
  score: number;
}

/**
 * Preference for an index that provides the sort. With a limit the walk usually stops after
 * a few documents, so it beats one more equality field (which still needs every match
 * sorted) but not two; without a limit it only wins ties, saving the sort.
 */
const WALK_BONUS_LIMITED = 15;
const WALK_BONUS_UNLIMITED = 5;

/**
 * The direction to walk `index` in so that entries with one value for each of the `eq`
 * fields come out in `sort` order, or undefined. Index entries are kept in ascending order
 * of every field, so the sort's fields must follow the equality prefix in the index's order
 * and all share one direction. Sort fields bound to a single value may be left out.
 * Multikey, sparse and partial indexes cannot give every document its sort position; the
 * lazily built `_id` index is not materialized for this.
 */
function walkDirection(
  index: CollectionIndex,
  eqFields: string[],
  sort: SortSpec,
): 1 | -1 | undefined {
  if (index.multikey || index.spec.sparse === true || index.spec.partialFilterExpression) {
    return undefined;
  }
  if (index.name === '_id_') return undefined;
  const bound = new Set(eqFields);
  const keys = sort.filter(([path]) => !bound.has(path));
  if (keys.length === 0) return 1;
  const direction = keys[0]?.[1];
  for (let i = 0; i < keys.length; i++) {
    const [path, dir] = keys[i] as [string, 1 | -1];
    if (dir !== direction || index.fields[eqFields.length + i] !== path) return undefined;
  }
  return direction;
}

/** A sparse index lacks documents missing the field, which a `null` equality matches. */
function usableEquality(index: CollectionIndex, c: Condition): boolean {
  return index.spec.sparse !== true || !(c.eq ?? []).some((v) => v === null);
}

function chooseIndex(
  coll: PlannableCollection,
  conditions: Map<string, Condition>,
  options: PlanOptions,
): IndexChoice | undefined {
  let best: IndexChoice | undefined;
  const { sort } = options;
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
    // An `$in` on the prefix interleaves several runs of entries: not one walk in order.
    const walk = sort && prefixes.length === 1 ? walkDirection(index, fields, sort) : undefined;
    if (fields.length === 0 && !lower && !upper && walk === undefined) continue;
    const complete = fields.length === index.fields.length;
    const score =
      fields.length * 10 +
      (lower ? 2 : 0) +
      (upper ? 2 : 0) +
      (index.unique && complete ? 100 : 0) +
      (walk === undefined
        ? 0
        : (options.limit ?? 0) > 0
          ? WALK_BONUS_LIMITED
          : WALK_BONUS_UNLIMITED) -
      index.fields.length * 0.01;
    if (!best || score > best.score) {
      best = { index, fields, prefixes, lower, upper, walk, score };
    }
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

/** Candidates fetched one by one as the walk advances, so a limit stops it early. */
function* walkCandidates(
  coll: PlannableCollection,
  choice: IndexChoice,
  plan: Plan,
): Generator<Document> {
  const { index, prefixes, lower, upper, walk } = choice;
  const prefix = prefixes[0] ?? [];
  const entries =
    walk === -1 ? index.scanReverse(prefix, lower, upper) : index.scan(prefix, lower, upper);
  for (const e of entries) {
    plan.keysExamined++;
    const doc = coll.docs.get(e.id);
    if (doc) yield doc;
  }
}

function isExact(choice: IndexChoice, exactFields: Set<string> | null): boolean {
  const { lower, upper, fields } = choice;
  return (
    exactFields !== null &&
    !lower &&
    !upper &&
    exactFields.size === fields.length &&
    fields.every((f) => exactFields.has(f))
  );
}

function indexPlan(
  coll: PlannableCollection,
  choice: IndexChoice,
  exactFields: Set<string> | null,
): Plan {
  const { index, prefixes, lower, upper } = choice;
  if (choice.walk !== undefined) {
    const walkPlan: Plan = {
      stage: 'IXSCAN',
      exact: isExact(choice, exactFields),
      sorted: true,
      indexName: index.name,
      keysExamined: 0,
      candidates: [],
    };
    walkPlan.candidates = walkCandidates(coll, choice, walkPlan);
    return walkPlan;
  }
  const ids = new Set<DocKey>();
  let keysExamined = 0;
  for (const prefix of prefixes) {
    for (const e of index.scan(prefix, lower, upper)) {
      keysExamined++;
      ids.add(e.id);
    }
  }
  return {
    stage: 'IXSCAN',
    exact: isExact(choice, exactFields),
    sorted: false,
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
  return { stage: 'OR', exact: false, sorted: false, keysExamined, candidates: seen };
}

export function plan(
  coll: PlannableCollection,
  filter: Document | undefined,
  options: PlanOptions = {},
): Plan {
  const conditions = filter ? collectConditions(filter) : new Map<string, Condition>();
  const exactFields = simpleEqualityFields(filter);

  const idCond = conditions.get('_id');
  if (idCond?.eq) {
    const ids = new Set(idCond.eq.map(docKey));
    return {
      stage: 'IDHACK',
      exact: exactFields?.size === 1 && exactFields.has('_id'),
      sorted: false,
      indexName: '_id_',
      keysExamined: ids.size,
      candidates: fetch(coll, ids),
    };
  }
  const choice = chooseIndex(coll, conditions, options);
  // A walk that only provides the sort may read the whole index; index lookups for each
  // branch of an `$or` are narrower.
  const walkOnly = choice && choice.fields.length === 0 && !choice.lower && !choice.upper;
  const or = walkOnly && filter ? orPlan(coll, filter) : undefined;
  if (or) return or;
  if (choice) return indexPlan(coll, choice, exactFields);
  return (
    (filter && orPlan(coll, filter)) ?? {
      stage: 'COLLSCAN',
      exact: false,
      sorted: false,
      keysExamined: 0,
      candidates: coll.docs.values(),
    }
  );
}
